package org.segue.engine.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;

/**
 * Parameter-free layers the PyTorch models use but DJL's block library lacks (or implements with
 * different semantics). Each matches its PyTorch namesake exactly, in training and in inference.
 */
public final class Layers {

    /** PyTorch's default epsilon for InstanceNorm2d and BatchNorm2d. */
    public static final float NORM_EPSILON = 1e-5f;

    private Layers() {}

    /** BatchNorm2d with PyTorch's defaults. */
    public static BatchNorm batchNorm() {
        // DJL's momentum is the weight of the old running value: 0.9 here is PyTorch's momentum 0.1.
        return BatchNorm.builder().optEpsilon(NORM_EPSILON).optMomentum(0.9f).build();
    }

    /**
     * InstanceNorm2d without affine parameters or running statistics: per sample and channel,
     * normalise over H and W with the biased variance. That is a layer norm over the last two axes,
     * which libtorch runs as one fused kernel (mean, variance and scaling in two passes over the
     * data instead of the six element-wise passes of writing it out).
     */
    public static NDArray instanceNorm(NDArray x) {
        Shape shape = x.getShape();
        Shape plane = new Shape(shape.get(2), shape.get(3));
        NDManager m = x.getManager();
        NDArray gamma = m.ones(plane, x.getDataType(), x.getDevice());
        NDArray beta = m.zeros(plane, x.getDataType(), x.getDevice());
        return x.getNDArrayInternal().layerNorm(x, plane, gamma, beta, NORM_EPSILON).singletonOrThrow();
    }

    /** {@link #instanceNorm} written out element-wise: the reference the fused form is tested against. */
    static NDArray instanceNormReference(NDArray x) {
        Shape shape = x.getShape();
        // PyTorch's engine reduces over one axis at a time: flatten H,W into one axis first.
        NDArray flat = x.reshape(shape.get(0), shape.get(1), -1);
        NDArray centred = flat.sub(flat.mean(new int[] {2}, true));
        NDArray variance = centred.square().mean(new int[] {2}, true);
        return centred.div(variance.add(NORM_EPSILON).sqrt()).reshape(shape);
    }

    /** ReflectionPad2d(1): mirrors the second row/column outwards, without repeating the edge. */
    public static NDArray reflectionPad1(NDArray x) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        if (h < 2 || w < 2) {
            throw new IllegalArgumentException("reflection padding needs at least 2x2 features, got " + h + "x" + w);
        }
        NDArray cols = concat(3, x.get(":, :, :, 1:2"), x, x.get(":, :, :, " + (w - 2) + ":" + (w - 1)));
        return concat(2, cols.get(":, :, 1:2, :"), cols, cols.get(":, :, " + (h - 2) + ":" + (h - 1) + ", :"));
    }

    /**
     * Inserts {@code stride - 1} zeros between neighbouring pixels: (N,C,H,W) becomes
     * (N,C,(H-1)*s+1,(W-1)*s+1). Built from reshapes and concatenations so autograd passes through.
     */
    public static NDArray dilateWithZeros(NDArray x, int stride) {
        if (stride == 1) {
            return x;
        }
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDManager m = x.getManager();
        NDArray grid = x.reshape(n, c, h, 1, w, 1);
        grid = grid.concat(m.zeros(new Shape(n, c, h, stride - 1, w, 1), x.getDataType(), x.getDevice()), 3);
        grid = grid.concat(m.zeros(new Shape(n, c, h, stride, w, stride - 1), x.getDataType(), x.getDevice()), 5);
        NDArray spread = grid.reshape(n, c, h * stride, w * stride);
        return spread.get(":, :, :" + ((h - 1) * stride + 1) + ", :" + ((w - 1) * stride + 1));
    }

    private static NDArray concat(int axis, NDArray... parts) {
        return NDArrays.concat(new NDList(parts), axis);
    }
}
