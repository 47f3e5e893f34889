package org.segue.engine.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.segue.engine.internal.DjlRuntime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place where the L-inf budget is enforced: delta = clamp(G(x, code), -eps, eps) * face area and
 * protected = clamp(x + delta, 0, 1). Everything that turns generator output into pixels goes
 * through here, so the bound cannot be forgotten by one caller.
 */
public final class Perturbation {

    /** The paper's budget: 8/255 per channel in [0,1] pixel units. */
    public static final float DEFAULT_EPSILON = 8f / 255f;

    /** The recipe entry of a model whose perturbation is grey ({@link #delta(NDArray, float, boolean)}). */
    public static final String COLOUR_KEY = "perturbation.colour";
    public static final String GREY = "grey";
    public static final String COLOUR = "colour";

    /** Each area's weights per crop size (area, height, width); training asks for the same size every step. */
    private static final Map<String, float[]> MASKS = new ConcurrentHashMap<>();

    private Perturbation() {}

    /** Checks that a budget is a usable L-inf radius in [0,1] pixel units. */
    public static float checkEpsilon(float eps) {
        if (!(eps > 0f) || eps > 1f) {
            throw new IllegalArgumentException("epsilon must be in (0, 1], was " + eps);
        }
        return eps;
    }

    /**
     * The perturbation of raw generator output (N,3,H,W): clamped to [-eps, eps] and confined to the face by
     * {@code area}'s weights at its own H x W, so nothing outside the area changes, in training as in use. With
     * {@code grey}, the three channels' mean goes to all three, so the perturbation changes brightness only: no
     * colour cast, and turning the image grey keeps all of it.
     */
    public static NDArray delta(NDArray rawOutput, float eps, boolean grey, FaceMask area) {
        long h = rawOutput.getShape().get(2);
        long w = rawOutput.getShape().get(3);
        float[] weights = MASKS.computeIfAbsent(area + " " + h + "x" + w, k -> area.weights((int) h, (int) w));
        NDArray mask = DjlRuntime.constant(rawOutput.getManager(), weights, new Shape(1, 1, h, w));
        NDArray raw = grey ? rawOutput.mean(new int[] {1}, true).repeat(1, 3) : rawOutput;
        return bounded(raw, eps).mul(mask);
    }

    /** Clamps a raw generator output to [-eps, eps], nothing else (the paper's perturbation, for parity checks). */
    public static NDArray bounded(NDArray rawOutput, float eps) {
        return rawOutput.clip(-eps, eps);
    }

    /** Adds a perturbation to images in [0,1] and keeps the result a valid image. */
    public static NDArray apply(NDArray images, NDArray delta) {
        return images.add(delta).clip(0f, 1f);
    }
}
