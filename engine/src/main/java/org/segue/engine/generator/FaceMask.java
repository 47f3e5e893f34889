package org.segue.engine.generator;

/**
 * Where on a face crop the perturbation may go: a weight in [0, 1] for each pixel of the generator's crop, 1 inside
 * the area, falling smoothly to 0 at its edge, and 0 beyond. Each area is defined on the canonical face template the
 * crops are aligned to ({@code CropFraming.trainingCrops}: ArcFace's five points), so the same weight lands on the
 * same point of every face, in training and in a user's photo alike. A model is trained with one area and used with
 * the same one: its file records which ({@link #RECIPE_KEY}).
 *
 * <p>A crop that was not aligned (a face without landmarks, cut as its detection box widened by a margin to a
 * square) gets the same weights within that square, which is wider than the face itself there (the margin's hair
 * and background near the face are touched), and stretched where the square was clipped at the photo's edge. The
 * default detector gives landmarks, so this is the path of other detectors only.
 */
public enum FaceMask {

    /**
     * The skin of the face, an egg: the lower half an ellipse down to the chin, the upper half a flatter one up to
     * the forehead below the hairline. Its size comes from the mean 68-point outline (the shipped landmark network)
     * of WebFace10's 200 aligned test faces, in template units (crop width 1): jaw points at x 0.06-0.90 level with
     * the eyes, 0.16-0.80 level with the mouth, the chin at y 0.98, the eyebrows' tops at y 0.33. The outline varies
     * by about 0.05 from face to face (head turn, face shape), so the weight reaches 0 at 95% of that outline and is
     * 1 inside 75% of it: the feathered band is about 9 pixels of a 112-pixel crop, and what lies outside a face's
     * own outline (hair, background, a shirt) is rarely touched. Every model the product uses is confined at least
     * this much; a model file that names no area (trained before areas were recorded) gets this one.
     */
    FACE("face oval 1 (template egg, weight 1 inside 75%, 0 from 95%)", 0.50, 0.42, 0.28, 0.48, 0.75, 0.95),

    /**
     * The head: the face oval widened over the forehead, the hair above it and the ears, an ellipse centred a little
     * above the eyes' level (y 0.42) reaching the crop's top edge at 90% weight, its sides level with the eyes at
     * about 40%, and 0 below the chin and in the crop's corners (neck, shoulders, the background beside the jaw). Hair is
     * where a colour change shows most, so this area trades visibility for the room the perturbation gets.
     */
    HEAD("head 1 (template ellipse over face, hair and ears, weight 1 inside 80%, 0 from 100%)",
            0.42, 0.55, 0.50, 0.58, 0.80, 1.00);

    /** The recipe entry of a model file naming the area its perturbation was confined to while it was trained. */
    public static final String RECIPE_KEY = "perturbation confined to";

    private final String recipeName;
    private final double centreY;
    private final double halfWidth;
    private final double up;
    private final double down;
    private final double full;
    private final double edge;

    FaceMask(String recipeName, double centreY, double halfWidth, double up, double down, double full, double edge) {
        this.recipeName = recipeName;
        this.centreY = centreY;
        this.halfWidth = halfWidth;
        this.up = up;
        this.down = down;
        this.full = full;
        this.edge = edge;
    }

    /** How model files record that their perturbation was confined to this area while they were trained. */
    public String recipeName() {
        return recipeName;
    }

    /**
     * The area a model file's recipe entry names: null, or "none" (a model trained before its area was confined),
     * gives {@link #FACE}, the least the product confines any model to.
     *
     * @throws IllegalArgumentException for a name this version does not know (a model from a newer version)
     */
    public static FaceMask fromRecipe(String name) {
        if (name == null || name.equals("none")) {
            return FACE;
        }
        for (FaceMask m : values()) {
            if (m.recipeName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("the model confines its perturbation to '" + name
                + "', an area this version of Segue does not know");
    }

    /**
     * The weight at a point of the template's unit square ({@code u} rightwards, {@code v} downwards, both 0 to 1
     * across the crop).
     */
    public double weight(double u, double v) {
        double dx = (u - 0.5) / halfWidth;
        double dy = (v - centreY) / (v < centreY ? up : down);
        double r = Math.sqrt(dx * dx + dy * dy);
        if (r <= full) {
            return 1;
        }
        if (r >= edge) {
            return 0;
        }
        return 0.5 * (1 + Math.cos(Math.PI * (r - full) / (edge - full)));
    }

    /**
     * The weights of a {@code height x width} crop, row by row; pixel {@code (i, j)} is the template point
     * {@code (j / width, i / height)}, as a crop's pixel centres are placed on the template.
     */
    public float[] weights(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("a face crop has a size, got " + width + "x" + height);
        }
        return grid(height, width, 0);
    }

    /**
     * The weights of a square crop of {@code size} pixels that holds the template with {@code padding} template
     * widths around it, row by row: pixel {@code (i, j)} is the template point {@code (j / zoom - padding,
     * i / zoom - padding)}, {@code zoom = size / (1 + 2 padding)}.
     */
    public float[] paddedWeights(int size, double padding) {
        if (size <= 0 || !(padding >= 0)) {
            throw new IllegalArgumentException("a padded crop has a size and a padding, got " + size + ", " + padding);
        }
        return grid(size, size, padding);
    }

    /**
     * The weights of a {@code height x width} crop holding the template with {@code padding} template widths around
     * it: pixel {@code (i, j)} is the template point {@code (j / zoomX - padding, i / zoomY - padding)}, each zoom the
     * crop's side over {@code 1 + 2 padding}.
     */
    private float[] grid(int height, int width, double padding) {
        double zoomX = width / (1 + 2 * padding);
        double zoomY = height / (1 + 2 * padding);
        float[] out = new float[height * width];
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                out[i * width + j] = (float) weight(j / zoomX - padding, i / zoomY - padding);
            }
        }
        return out;
    }
}
