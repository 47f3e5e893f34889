package org.segue.lab.eval;

import org.junit.jupiter.api.Test;
import org.segue.engine.face.CropFraming;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.spi.DetectedFace;
import org.segue.engine.spi.FaceBox;
import org.segue.engine.spi.FaceDetector;
import org.segue.engine.spi.FaceLandmarks;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AttackerFaceCropsTest {

    /** A photo whose red encodes x and green encodes y, so a crop's pixel tells where in the photo it came from. */
    private static BufferedImage coordinatePhoto() {
        BufferedImage photo = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                photo.setRGB(x, y, x << 16 | y << 8);
            }
        }
        return photo;
    }

    private static FaceDetector detectorOf(DetectedFace... faces) {
        return new FaceDetector() {
            @Override
            public List<FaceBox> detect(BufferedImage uprightRgb) {
                return List.of(faces).stream().map(DetectedFace::box).toList();
            }

            @Override
            public List<DetectedFace> detectFaces(BufferedImage uprightRgb) {
                return List.of(faces);
            }

            @Override
            public int workingSize() {
                return 1024;
            }

            @Override
            public String name() {
                return "given faces";
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void anAlignedCropPutsTheDetectorsLandmarksOnTheTemplate() {
        // a face turned by 20 degrees: the template's eye points come from the landmarks, not from the box
        double[] unit = CropFraming.unitTemplate();
        double angle = Math.toRadians(20);
        double scale = 120;
        double[] xy = new double[10];
        for (int p = 0; p < 5; p++) {
            double u = unit[2 * p] - 0.5;
            double v = unit[2 * p + 1] - 0.5;
            xy[2 * p] = 128 + scale * (u * Math.cos(angle) - v * Math.sin(angle));
            xy[2 * p + 1] = 128 + scale * (u * Math.sin(angle) + v * Math.cos(angle));
        }
        FaceLandmarks landmarks = new FaceLandmarks(xy);
        DetectedFace face = new DetectedFace(new FaceBox(70, 70, 116, 116), landmarks, 0.9f);
        RgbImage crop = AttackerFaceCrops.aligned(detectorOf(face), 112, 0, 0.2).crop(coordinatePhoto());

        assertEquals(112, crop.width());
        double[] template = CropFraming.of(112, 0).templatePoints();
        for (int p = 0; p < 5; p++) {
            int j = (int) Math.round(template[2 * p]);
            int i = (int) Math.round(template[2 * p + 1]);
            assertEquals(landmarks.x(p), crop.get(0, i, j) * 255, 1.5, "point " + p + " x");
            assertEquals(landmarks.y(p), crop.get(1, i, j) * 255, 1.5, "point " + p + " y");
        }
    }

    @Test
    void aFaceWithoutLandmarksIsCutAsItsWidenedBoxAndAPhotoWithoutFacesGivesNone() {
        DetectedFace boxOnly = DetectedFace.boxOnly(new FaceBox(100, 100, 50, 50));
        RgbImage crop = AttackerFaceCrops.aligned(detectorOf(boxOnly), 60, 0, 0.1).crop(coordinatePhoto());
        // widened by 10% on each side: 95..155, cut to 60 px, so the first pixel lies near x = 95
        assertEquals(95, crop.get(0, 0, 0) * 255, 1.5);
        assertEquals(95, crop.get(1, 0, 0) * 255, 1.5);
        assertNull(AttackerFaceCrops.aligned(detectorOf(), 60, 0, 0.1).crop(coordinatePhoto()));
    }
}
