package org.segue.engine.generator;

import ai.djl.ndarray.NDArray;

/**
 * The one place where the L-inf budget is enforced: delta = clamp(G(x, code), -eps, eps) and
 * protected = clamp(x + delta, 0, 1). Everything that turns generator output into pixels goes
 * through here, so the bound cannot be forgotten by one caller.
 */
public final class Perturbation {

    /** The paper's budget: 8/255 per channel in [0,1] pixel units. */
    public static final float DEFAULT_EPSILON = 8f / 255f;

    private Perturbation() {}

    /** Checks that a budget is a usable L-inf radius in [0,1] pixel units. */
    public static float checkEpsilon(float eps) {
        if (!(eps > 0f) || eps > 1f) {
            throw new IllegalArgumentException("epsilon must be in (0, 1], was " + eps);
        }
        return eps;
    }

    /** Clamps a raw generator output to [-eps, eps]. */
    public static NDArray delta(NDArray rawOutput, float eps) {
        return rawOutput.clip(-eps, eps);
    }

    /** Adds a perturbation to images in [0,1] and keeps the result a valid image. */
    public static NDArray apply(NDArray images, NDArray delta) {
        return images.add(delta).clip(0f, 1f);
    }
}
