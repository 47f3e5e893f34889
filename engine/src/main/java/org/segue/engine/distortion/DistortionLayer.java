package org.segue.engine.distortion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.segue.engine.nn.Layers;

import java.util.Random;

/**
 * Differentiable image distortions applied to a batch (N,3,H,W) in [0,1] between the generator and
 * the surrogate. Each op is also usable on its own. The adversarial perturbation (PGD) needs the
 * surrogate and therefore lives in the trainer; its radius and steps are configured here.
 */
public final class DistortionLayer {

    private final DistortionConfig config;

    public DistortionLayer(DistortionConfig config) {
        this.config = config;
    }

    /** Applies every enabled distortion, drawing its randomness from {@code rng}. */
    public NDArray apply(NDArray x, Random rng) {
        NDArray out = x;
        if (config.blurSigma() > 0) {
            out = gaussianBlur3x3(out, config.blurSigma());
        }
        if (config.sharpness() != 1f) {
            out = sharpness(out, config.sharpness());
        }
        if (config.hflipP() > 0) {
            out = randomFlip(out, 3, config.hflipP(), rng);
        }
        if (config.vflipP() > 0) {
            out = randomFlip(out, 2, config.vflipP(), rng);
        }
        if (config.rescaleP() > 0 && rng.nextFloat() < config.rescaleP()) {
            out = rescale(out, 1f + rng.nextFloat() * (config.rescaleMaxFactor() - 1f));
        }
        if (config.jpegP() > 0 && rng.nextFloat() < config.jpegP()) {
            int q = config.jpegQualityMin() + rng.nextInt(config.jpegQualityMax() - config.jpegQualityMin() + 1);
            out = DifferentiableJpeg.apply(out, q);
        }
        return out;
    }

    /** torchvision GaussianBlur(3, sigma) on every channel, with reflection padding. */
    public static NDArray gaussianBlur3x3(NDArray x, float sigma) {
        float side = (float) Math.exp(-1.0 / (2.0 * sigma * sigma));
        float[] k1 = {side / (1 + 2 * side), 1 / (1 + 2 * side), side / (1 + 2 * side)};
        float[] k2 = new float[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                k2[i * 3 + j] = k1[i] * k1[j];
            }
        }
        return depthwise3x3(Layers.reflectionPad1(x), k2);
    }

    /**
     * torchvision adjust_sharpness: blend the image with a smoothed copy (kernel [1 1 1; 1 5 1;
     * 1 1 1]/13 on inner pixels, border pixels unchanged) by {@code factor}, then clamp to [0,1].
     */
    public static NDArray sharpness(NDArray x, float factor) {
        float[] k = {1, 1, 1, 1, 5, 1, 1, 1, 1};
        for (int i = 0; i < 9; i++) {
            k[i] /= 13f;
        }
        NDArray inner = x.get(":, :, 1:-1, 1:-1");
        NDArray smoothInner = depthwise3x3(x, k);
        // degenerate = smoothed inside, original on the border; result = degenerate + f * (x - degenerate)
        NDArray diffInner = inner.sub(smoothInner).mul(factor - 1f);
        NDArray diff = diffInner.pad(new Shape(1, 1, 1, 1), 0);
        return x.add(diff).clip(0f, 1f);
    }

    /** Flips each image along {@code axis} (3 horizontal, 2 vertical) with probability p. */
    public static NDArray randomFlip(NDArray x, int axis, float p, Random rng) {
        long n = x.getShape().get(0);
        float[] mask = new float[(int) n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            mask[i] = rng.nextFloat() < p ? 1f : 0f;
            any |= mask[i] > 0;
        }
        if (!any) {
            return x;
        }
        NDArray m = x.getManager().create(mask, new Shape(n, 1, 1, 1)).toDevice(x.getDevice(), false);
        return x.flip(axis).mul(m).add(x.mul(m.neg().add(1f)));
    }

    /** Antialiased (area) down-scaling by {@code factor} followed by bilinear up-scaling back. */
    public static NDArray rescale(NDArray x, float factor) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        long sh = Math.max(1, Math.round(h / factor));
        long sw = Math.max(1, Math.round(w / factor));
        if (sh == h && sw == w) {
            return x;
        }
        NDArray small = x.getNDArrayInternal().interpolation(new long[] {sh, sw}, 2, false);
        return small.getNDArrayInternal().interpolation(new long[] {h, w}, 1, false).clip(0f, 1f);
    }

    private static NDArray depthwise3x3(NDArray x, float[] kernel) {
        long c = x.getShape().get(1);
        NDManager m = x.getManager();
        float[] weights = new float[(int) (c * 9)];
        for (int i = 0; i < c; i++) {
            System.arraycopy(kernel, 0, weights, i * 9, 9);
        }
        NDArray w = m.create(weights, new Shape(c, 1, 3, 3)).toDevice(x.getDevice(), false);
        return Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), (int) c)
                .singletonOrThrow();
    }
}
