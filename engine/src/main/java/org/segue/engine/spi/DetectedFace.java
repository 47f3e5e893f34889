package org.segue.engine.spi;

/**
 * One face a detector found.
 *
 * @param box        the tight face box (brows to chin), in the pixel coordinates of the image searched
 * @param landmarks  five facial points in the same coordinates, or null from a detector that finds none
 *                   (faces without landmarks are protected in their box, without alignment)
 * @param confidence the detector's score in [0, 1]
 */
public record DetectedFace(FaceBox box, FaceLandmarks landmarks, float confidence) {

    public DetectedFace {
        if (box == null) {
            throw new IllegalArgumentException("a detected face needs a box");
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be in [0, 1], was " + confidence);
        }
    }

    /** A face from a detector that gives boxes only. */
    public static DetectedFace boxOnly(FaceBox box) {
        return new DetectedFace(box, null, 1f);
    }

    public boolean hasLandmarks() {
        return landmarks != null;
    }
}
