package org.segue.engine.distortion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.segue.engine.internal.nn.Layers;

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
        if (config.cropP() > 0 && rng.nextFloat() < config.cropP()) {
            out = randomResizedCrop(out, config.cropMinScale(), rng);
            if (config.cropMaxRotation() > 0) {
                out = randomRotation(out, config.cropMaxRotation(), rng);
            }
        }
        if (config.colourJitter() > 0) {
            out = colourJitter(out, config.colourJitter(), rng);
        }
        if (config.rescaleP() > 0 && rng.nextFloat() < config.rescaleP()) {
            out = rescale(out, 1f + rng.nextFloat() * (config.rescaleMaxFactor() - 1f));
        }
        if (config.jpegP() > 0 && rng.nextFloat() < config.jpegP()) {
            int q = config.jpegQualityMin() + rng.nextInt(config.jpegQualityMax() - config.jpegQualityMin() + 1);
            out = DifferentiableJpeg.apply(out, q);
        }
        return attackerView(out, rng);
    }

    /**
     * The last step of {@link #apply}, and all the surrogate's own training sees: with probability
     * {@code viewP} the batch is area-resized to a side drawn uniformly from {@code viewMinSize}..its
     * side (an attacker resizing faces to its input size, after any JPEG round trip), otherwise it
     * is returned as it is. Both the generator's and the surrogate's steps must draw these views, so
     * that the surrogate G trains against classifies every size it is shown.
     */
    public NDArray attackerView(NDArray x, Random rng) {
        if (config.viewP() <= 0 || rng.nextFloat() >= config.viewP()) {
            return x;
        }
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        int min = (int) Math.min(h, config.viewMinSize());
        long size = min + rng.nextInt((int) h - min + 1);
        long width = Math.max(1, Math.round((double) w * size / h));
        return size == h ? x : Resize.area(x, size, width);
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
        NDArray small = Resize.area(x, sh, sw);
        return Resize.bilinear(small, h, w).clip(0f, 1f);
    }

    /**
     * Crops each image to a random window (area {@code minScale}..1 of the image, aspect 0.9..1.1,
     * placed uniformly) and resizes it back bilinearly: the shift and scale change of an attacker's
     * face re-alignment or random-resized-crop augmentation.
     */
    public static NDArray randomResizedCrop(NDArray x, float minScale, Random rng) {
        long n = x.getShape().get(0);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDList crops = new NDList();
        for (long i = 0; i < n; i++) {
            double area = minScale + rng.nextDouble() * (1 - minScale);
            double aspect = 0.9 + rng.nextDouble() * 0.2;
            long ch = Math.min(h, Math.max(1, Math.round(h * Math.sqrt(area / aspect))));
            long cw = Math.min(w, Math.max(1, Math.round(w * Math.sqrt(area * aspect))));
            long y0 = (long) (rng.nextDouble() * (h - ch + 1));
            long x0 = (long) (rng.nextDouble() * (w - cw + 1));
            NDArray crop = x.get(new NDIndex("{}:{}, :, {}:{}, {}:{}", i, i + 1, y0, y0 + ch, x0, x0 + cw));
            crops.add(ch == h && cw == w ? crop
                    : Resize.bilinear(crop, h, w));
        }
        return NDArrays.concat(crops, 0).clip(0f, 1f);
    }

    /**
     * Rotates each image about its centre by an angle drawn uniformly from +-{@code maxDegrees}, with
     * bilinear interpolation and the border pixels repeated outside the image (so no black corners
     * teach the surrogate a frame), as torchvision's affine warp with border padding does. The four
     * source pixels of every output pixel are gathered, so gradients reach the input.
     */
    public static NDArray randomRotation(NDArray x, float maxDegrees, Random rng) {
        int n = (int) x.getShape().get(0);
        int c = (int) x.getShape().get(1);
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        int plane = h * w;
        long[][] index = new long[4][n * plane];
        float[][] weight = new float[4][n * plane];
        double cy = (h - 1) / 2.0;
        double cx = (w - 1) / 2.0;
        for (int i = 0; i < n; i++) {
            double angle = Math.toRadians((2 * rng.nextDouble() - 1) * maxDegrees);
            double cos = Math.cos(angle);
            double sin = Math.sin(angle);
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    // the source of output pixel (y, x): the inverse rotation of its offset from the centre
                    double sy = Math.min(h - 1, Math.max(0, cy + (y - cy) * cos - (xx - cx) * sin));
                    double sx = Math.min(w - 1, Math.max(0, cx + (y - cy) * sin + (xx - cx) * cos));
                    int y0 = (int) sy;
                    int x0 = (int) sx;
                    int y1 = Math.min(h - 1, y0 + 1);
                    int x1 = Math.min(w - 1, x0 + 1);
                    float fy = (float) (sy - y0);
                    float fx = (float) (sx - x0);
                    int k = i * plane + y * w + xx;
                    index[0][k] = (long) y0 * w + x0;
                    index[1][k] = (long) y0 * w + x1;
                    index[2][k] = (long) y1 * w + x0;
                    index[3][k] = (long) y1 * w + x1;
                    weight[0][k] = (1 - fy) * (1 - fx);
                    weight[1][k] = (1 - fy) * fx;
                    weight[2][k] = fy * (1 - fx);
                    weight[3][k] = fy * fx;
                }
            }
        }
        NDManager m = x.getManager();
        NDArray flat = x.reshape(n, c, plane);
        Shape perImage = new Shape(n, 1, plane);
        NDArray out = null;
        for (int t = 0; t < 4; t++) {
            NDArray idx = m.create(index[t], perImage).toDevice(x.getDevice(), false).repeat(1, c);
            NDArray wt = m.create(weight[t], perImage).toDevice(x.getDevice(), false);
            NDArray term = flat.gather(idx, 2).mul(wt);
            out = out == null ? term : out.add(term);
        }
        return out.reshape(n, c, h, w);
    }

    /**
     * Scales each image's brightness and its contrast (around the image's mean) by independent
     * factors drawn from [1 - strength, 1 + strength].
     */
    public static NDArray colourJitter(NDArray x, float strength, Random rng) {
        long n = x.getShape().get(0);
        float[] brightness = new float[(int) n];
        float[] contrast = new float[(int) n];
        for (int i = 0; i < n; i++) {
            brightness[i] = 1 + (2 * rng.nextFloat() - 1) * strength;
            contrast[i] = 1 + (2 * rng.nextFloat() - 1) * strength;
        }
        NDManager m = x.getManager();
        NDArray b = m.create(brightness, new Shape(n, 1, 1, 1)).toDevice(x.getDevice(), false);
        NDArray c = m.create(contrast, new Shape(n, 1, 1, 1)).toDevice(x.getDevice(), false);
        NDArray bright = x.mul(b).clip(0f, 1f);
        NDArray mean = bright.reshape(n, -1).mean(new int[] {1}, true).reshape(n, 1, 1, 1);
        return bright.sub(mean).mul(c).add(mean).clip(0f, 1f);
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
