package org.segue.engine.generator;

/**
 * Where on a face crop the perturbation may go: a weight in [0, 1] for each pixel of the generator's crop, 1 on
 * the skin of the face, falling smoothly to 0 before the jaw line, the hairline and the ears, and 0 beyond. It is
 * defined on the canonical face template the crops are aligned to ({@code CropFraming.trainingCrops}: ArcFace's
 * five points), so the same weight lands on the same point of every face, in training and in a user's photo alike.
 *
 * <p>The shape is an egg: the lower half an ellipse down to the chin, the upper half a flatter one up to the
 * forehead below the hairline. Its size comes from the mean 68-point outline (the shipped landmark network) of
 * WebFace10's 200 aligned test faces, in template units (crop width 1): jaw points at x 0.06-0.90 level with the
 * eyes, 0.16-0.80 level with the mouth, the chin at y 0.98, the eyebrows' tops at y 0.33. The outline varies by
 * about 0.05 from face to face (head turn, face shape), so the weight reaches 0 at 95% of that outline and is
 * 1 inside 75% of it: the feathered band is about 9 pixels of a 112-pixel crop, and what lies outside a face's
 * own outline (hair, background, a shirt) is rarely touched.
 *
 * <p>A crop that was not aligned (a face without landmarks, cut as its detection box widened by a margin to a
 * square) gets the same weights: an oval within that square, which is wider than the face itself there (the
 * margin's hair and background near the face are touched), and stretched where the square was clipped at the
 * photo's edge. The default detector gives landmarks, so this is the path of other detectors only.
 */
public final class FaceMask {

    /** How model files record that their perturbation was confined by this mask while they were trained. */
    public static final String NAME = "face oval 1 (template egg, weight 1 inside 75%, 0 from 95%)";

    private static final double CENTRE_X = 0.5;
    private static final double CENTRE_Y = 0.50;
    private static final double HALF_WIDTH = 0.42;
    private static final double UP = 0.28;
    private static final double DOWN = 0.48;
    private static final double FULL = 0.75;
    private static final double EDGE = 0.95;

    private FaceMask() {}

    /**
     * The weight at a point of the template's unit square ({@code u} rightwards, {@code v} downwards, both 0 to 1
     * across the crop).
     */
    public static double weight(double u, double v) {
        double dx = (u - CENTRE_X) / HALF_WIDTH;
        double dy = (v - CENTRE_Y) / (v < CENTRE_Y ? UP : DOWN);
        double r = Math.sqrt(dx * dx + dy * dy);
        if (r <= FULL) {
            return 1;
        }
        if (r >= EDGE) {
            return 0;
        }
        return 0.5 * (1 + Math.cos(Math.PI * (r - FULL) / (EDGE - FULL)));
    }

    /**
     * The weights of a {@code height x width} crop, row by row; pixel {@code (i, j)} is the template point
     * {@code (j / width, i / height)}, as a crop's pixel centres are placed on the template.
     */
    public static float[] weights(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("a face crop has a size, got " + width + "x" + height);
        }
        float[] out = new float[height * width];
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                out[i * width + j] = (float) weight((double) j / width, (double) i / height);
            }
        }
        return out;
    }
}
