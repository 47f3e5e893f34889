package org.segue.engine.face;

/**
 * Where the canonical five-point face template sits in a square crop: the crop is {@code size} pixels
 * wide, the template's unit square is shrunk by {@code 1 + 2 * padding} and centred, then moved down by
 * {@code shiftY} (in units of the unpadded template, negative moves the face up). Padding 0 and shift 0
 * is the 112-pixel ArcFace framing at any size; padding 0.25 shows half a template's width more on every
 * side. All framings of one face share the template, so a generator's crop and an embedder's crop differ
 * in zoom and offset only.
 *
 * <p>Crop pixel {@code (i, j)} (row, column) has its centre at {@code (x, y) = (j, i)}.
 */
public record CropFraming(int size, double padding, double shiftY) {

    /**
     * The five template points (image-left eye, image-right eye, nose tip, image-left and image-right
     * mouth corner) of ArcFace's 112-pixel crop, the de-facto standard alignment of face recognition,
     * divided by 112.
     */
    private static final double[] UNIT_TEMPLATE = {
        38.2946 / 112, 51.6963 / 112,
        73.5318 / 112, 51.5014 / 112,
        56.0252 / 112, 71.7366 / 112,
        41.5493 / 112, 92.3655 / 112,
        70.7299 / 112, 92.2041 / 112,
    };

    public CropFraming {
        if (size < 8 || size > 4096) {
            throw new IllegalArgumentException("an aligned face crop must be 8 to 4096 pixels wide, got " + size);
        }
        if (!(padding > -0.3 && padding <= 3)) {
            throw new IllegalArgumentException("crop padding must be in (-0.3, 3], got " + padding);
        }
        if (!(Math.abs(shiftY) <= 1)) {
            throw new IllegalArgumentException("crop shift must be in [-1, 1], got " + shiftY);
        }
    }

    /**
     * The framing of the aligned face datasets the generators learn from, for a generator's {@code size}:
     * ArcFace's. Measured with face-api's 68 landmarks reduced to five, WebFace10's 224 px crops sit at
     * padding -0.010 and shift -0.018, celeb10's 112 px crops at 0.024 and -0.007 (medians over 1,500 faces
     * each), so a face cut from a photo this way looks like the faces the generator was trained on.
     */
    public static CropFraming trainingCrops(int size) {
        return new CropFraming(size, 0, 0);
    }

    /** A framing centred on the template. */
    public static CropFraming of(int size, double padding) {
        return new CropFraming(size, padding, 0);
    }

    /** The template points in unit coordinates ({@code x0, y0, ... x4, y4}; a fresh copy). */
    public static double[] unitTemplate() {
        return UNIT_TEMPLATE.clone();
    }

    /** The template points in this crop's pixel coordinates ({@code x0, y0, ... x4, y4}). */
    public double[] templatePoints() {
        double[] p = new double[UNIT_TEMPLATE.length];
        double zoom = size / (1 + 2 * padding);
        for (int i = 0; i < p.length; i += 2) {
            p[i] = (UNIT_TEMPLATE[i] + padding) * zoom;
            p[i + 1] = (UNIT_TEMPLATE[i + 1] + padding + shiftY) * zoom;
        }
        return p;
    }
}
