package org.segue.engine.photo;

import org.junit.jupiter.api.Test;
import org.segue.engine.spi.FaceLandmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrientationLandmarksTest {

    /** An upright face: eyes level with the image-left one on the left, mouth below. */
    private static final FaceLandmarks UPRIGHT = new FaceLandmarks(new double[] {40, 50, 80, 50, 60, 70, 45, 90, 75, 90});

    @Test
    void landmarksGoToTheStoredGridAndBackInEveryOrientation() {
        int sw = 200;
        int sh = 150;
        for (Orientation o : Orientation.values()) {
            int uw = o.uprightWidth(sw, sh);
            int uh = o.uprightHeight(sw, sh);
            FaceLandmarks stored = o.toStored(UPRIGHT, sw, sh);
            assertArrayEquals(UPRIGHT.xy(), o.toUpright(stored, sw, sh).xy(), 1e-9, o.name());
            // the point order keeps naming image sides: stored as the file holds it, the points agree with the pixels
            for (int i = 0; i < FaceLandmarks.POINTS; i++) {
                assertTrue(stored.x(i) >= 0 && stored.x(i) < sw && stored.y(i) >= 0 && stored.y(i) < sh, o.name());
            }
            assertTrue(uw > 0 && uh > 0);
        }
    }

    @Test
    void aMirroredViewKeepsTheImageLeftEyeFirst() {
        FaceLandmarks stored = Orientation.MIRROR_HORIZONTAL.toStored(UPRIGHT, 200, 150);
        assertTrue(stored.x(FaceLandmarks.LEFT_EYE) < stored.x(FaceLandmarks.RIGHT_EYE), "left eye first after a mirror");
        assertTrue(stored.x(FaceLandmarks.MOUTH_LEFT) < stored.x(FaceLandmarks.MOUTH_RIGHT), "left mouth corner first");
        // stored on its side (the file holds the face turned), the level eyes share one stored column
        FaceLandmarks turned = Orientation.ROTATE_90_CW.toStored(UPRIGHT, 150, 200);
        assertTrue(Math.abs(turned.x(FaceLandmarks.LEFT_EYE) - turned.x(FaceLandmarks.RIGHT_EYE)) < 1e-9, "one column");
        assertTrue(Math.abs(turned.y(FaceLandmarks.LEFT_EYE) - turned.y(FaceLandmarks.RIGHT_EYE)) == 40, "40 px apart");
    }
}
