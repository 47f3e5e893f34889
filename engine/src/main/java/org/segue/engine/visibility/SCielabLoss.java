package org.segue.engine.visibility;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.segue.engine.internal.DjlRuntime;

/**
 * {@link SCielab} as a differentiable function of a batch of images, for a training loss: the same sRGB decoding,
 * opponent channels, spatial filters (mirrored borders) and CIELAB, with the colour difference taken as CIE76 (the
 * Euclidean distance in that CIELAB) instead of CIEDE2000, whose hue terms have no useful gradient. CIE76 reads
 * higher than CIEDE2000 on saturated colours and about the same on skin and grey, so it ranks perturbations as the
 * measure does where faces are.
 *
 * <p>The arrays it makes live in the images' manager, so a training step's sub-manager frees them.
 */
public final class SCielabLoss {

    private static final double DELTA = 6.0 / 29;
    private static final float DELTA_CUBED = (float) (DELTA * DELTA * DELTA);

    private final double pixelsPerDegree;
    private final int radius;
    private final float[][] rowWeights;  // [gaussian][3 channels * taps], each channel's kernel times its weight
    private final float[][] columnWeights; // [gaussian][3 channels * taps], each channel's kernel

    /** S-CIELAB for images seen at {@code pixelsPerDegree} image pixels per degree of visual angle. */
    public SCielabLoss(double pixelsPerDegree) {
        SCielab reference = new SCielab(pixelsPerDegree);
        this.pixelsPerDegree = pixelsPerDegree;
        int taps = reference.kernels[0][0].length;
        this.radius = taps / 2;
        int gaussians = 3;
        rowWeights = new float[gaussians][3 * taps];
        columnWeights = new float[gaussians][3 * taps];
        for (int g = 0; g < gaussians; g++) {
            for (int c = 0; c < 3; c++) {
                if (g >= reference.kernels[c].length) {
                    continue; // this channel has fewer Gaussians: it contributes nothing in pass g
                }
                double weight = SCielab.WEIGHTS[c][g];
                for (int t = 0; t < taps; t++) {
                    rowWeights[g][c * taps + t] = (float) (weight * reference.kernels[c][g][t]);
                    columnWeights[g][c * taps + t] = (float) reference.kernels[c][g][t];
                }
            }
        }
    }

    public double pixelsPerDegree() {
        return pixelsPerDegree;
    }

    /**
     * The per-pixel difference (N,H,W) between how {@code original} and {@code changed} (both N,3,H,W in [0, 1])
     * look; differentiable in both.
     *
     * @throws IllegalArgumentException if the images are smaller than the filters' reach or differ in shape
     */
    public NDArray differenceMap(NDArray original, NDArray changed) {
        if (!original.getShape().equals(changed.getShape()) || original.getShape().dimension() != 4) {
            throw new IllegalArgumentException("two image batches of one shape (N,3,H,W) are needed, got "
                    + original.getShape() + " and " + changed.getShape());
        }
        NDArray a = seenLab(original);
        NDArray b = seenLab(changed);
        return a.sub(b).square().sum(new int[] {1}).add(1e-6f).sqrt();
    }

    /** The mean difference over every pixel of the batch. */
    public NDArray mean(NDArray original, NDArray changed) {
        return differenceMap(original, changed).mean();
    }

    /** CIELAB (N,3,H,W: L, a, b) of images as seen at this viewing condition. */
    NDArray seenLab(NDArray images) {
        long h = images.getShape().get(2);
        long w = images.getShape().get(3);
        if (h <= radius || w <= radius) {
            throw new IllegalArgumentException("images of " + w + "x" + h + " are smaller than the filters' reach of "
                    + (radius + 1) + " pixels at " + pixelsPerDegree + " px/degree");
        }
        NDManager nd = images.getManager();
        NDArray v = images.clip(0f, 1f);
        // sRGB decoding; the power's base is at least 0.0905 where it is used, the other branch gets it clamped
        NDArray linear = NDArrays.where(v.lte(0.04045f), v.div(12.92f),
                v.maximum(0.04045f).add(0.055f).div(1.055f).pow(2.4f));
        NDArray opponent = mix(linear, multiply(SCielab.XYZ_TO_OPPONENT, SCielab.RGB_TO_XYZ));
        NDArray filtered = null;
        int taps = 2 * radius + 1;
        for (int g = 0; g < rowWeights.length; g++) {
            NDArray rowKernel = DjlRuntime.constant(nd, rowWeights[g], new Shape(3, 1, 1, taps));
            NDArray columnKernel = DjlRuntime.constant(nd, columnWeights[g], new Shape(3, 1, taps, 1));
            NDArray rows = Conv2d.conv2d(mirrorPad(opponent, 3), rowKernel, null, new Shape(1, 1), new Shape(0, 0),
                    new Shape(1, 1), 3).singletonOrThrow();
            NDArray both = Conv2d.conv2d(mirrorPad(rows, 2), columnKernel, null, new Shape(1, 1), new Shape(0, 0),
                    new Shape(1, 1), 3).singletonOrThrow();
            filtered = filtered == null ? both : filtered.add(both);
        }
        NDArray xyz = mix(filtered, SCielab.OPPONENT_TO_XYZ);
        NDArray fx = labF(xyz.get(new NDIndex(":, 0:1")).div((float) SCielab.WHITE_X));
        NDArray fy = labF(xyz.get(new NDIndex(":, 1:2")).div((float) SCielab.WHITE_Y));
        NDArray fz = labF(xyz.get(new NDIndex(":, 2:3")).div((float) SCielab.WHITE_Z));
        return NDArrays.concat(new NDList(fy.mul(116f).sub(16f), fx.sub(fy).mul(500f), fy.sub(fz).mul(200f)), 1);
    }

    private static NDArray labF(NDArray t) {
        // the cube root's branch gets t clamped to where it is used, so neither branch's gradient is infinite
        return NDArrays.where(t.gt(DELTA_CUBED), t.maximum(DELTA_CUBED).pow(1f / 3),
                t.div((float) (3 * DELTA * DELTA)).add((float) (4.0 / 29)));
    }

    /** {@code m} applied to the channel axis of (N,3,H,W). */
    private static NDArray mix(NDArray x, double[][] m) {
        NDArray[] in = {x.get(new NDIndex(":, 0:1")), x.get(new NDIndex(":, 1:2")), x.get(new NDIndex(":, 2:3"))};
        NDList out = new NDList();
        for (int r = 0; r < 3; r++) {
            out.add(in[0].mul((float) m[r][0]).add(in[1].mul((float) m[r][1])).add(in[2].mul((float) m[r][2])));
        }
        return NDArrays.concat(out, 1);
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] out = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    out[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return out;
    }

    /** {@link #radius} samples mirrored onto both ends of {@code axis} (edge samples repeated, as the reference). */
    private NDArray mirrorPad(NDArray x, int axis) {
        long n = x.getShape().get(axis);
        String before = axis == 3 ? ":, :, :, 0:" + radius : ":, :, 0:" + radius;
        String after = axis == 3 ? ":, :, :, " + (n - radius) + ":" : ":, :, " + (n - radius) + ":";
        return NDArrays.concat(new NDList(x.get(new NDIndex(before)).flip(axis), x,
                x.get(new NDIndex(after)).flip(axis)), axis);
    }
}
