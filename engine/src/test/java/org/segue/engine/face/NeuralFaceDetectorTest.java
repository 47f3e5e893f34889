package org.segue.engine.face;

import org.junit.jupiter.api.Test;
import org.segue.engine.spi.DetectedFace;
import org.segue.engine.spi.FaceBox;
import org.segue.engine.spi.FaceLandmarks;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The detector's bookkeeping that needs no network (the networks' behaviour: {@code NeuralFaceDetectorIT}). */
class NeuralFaceDetectorTest {

    private static DetectedFace face(int x, int y, int w, int h, float score) {
        double[] five = {x + 0.3 * w, y + 0.4 * h, x + 0.7 * w, y + 0.4 * h, x + 0.5 * w, y + 0.6 * h,
            x + 0.35 * w, y + 0.8 * h, x + 0.65 * w, y + 0.8 * h};
        return new DetectedFace(new FaceBox(x, y, w, h), new FaceLandmarks(five), score);
    }

    @Test
    void aFacePlacedTwiceIsKeptOnceWithItsBestScore() {
        // the two landmark boxes of one face seen in a photo: IoU 0.34
        DetectedFace best = face(188, 264, 218, 171, 0.999f);
        DetectedFace offside = face(231, 329, 176, 152, 0.648f);
        assertEquals(List.of(best), NeuralFaceDetector.withoutDuplicates(List.of(offside, best)));
    }

    @Test
    void aFaceHalfHiddenBehindAnotherIsKept() {
        // a face in the crowd behind, its chin covered: 80% of its box lies inside the front face's, IoU 0.15
        DetectedFace front = face(200, 100, 200, 240, 0.99f);
        DetectedFace behind = face(260, 260, 90, 100, 0.7f);
        assertEquals(List.of(front, behind), NeuralFaceDetector.withoutDuplicates(List.of(behind, front)));
    }

    @Test
    void neighboursThatOnlyTouchAreBothKept() {
        // two people cheek to cheek: their landmark boxes share a strip 10% of a face wide
        DetectedFace left = face(100, 100, 120, 140, 0.9f);
        DetectedFace right = face(208, 110, 120, 140, 0.99f);
        DetectedFace far = face(600, 400, 40, 44, 0.6f);
        List<DetectedFace> kept = NeuralFaceDetector.withoutDuplicates(List.of(left, right, far));
        assertEquals(3, kept.size());
        assertEquals(List.of(right, left, far), kept, "highest score first");
    }
}
