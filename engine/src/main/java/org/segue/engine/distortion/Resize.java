package org.segue.engine.distortion;

import ai.djl.ndarray.NDArray;

/**
 * Differentiable resizing of NCHW batches through libtorch's interpolation, by the name of its mode
 * (DJL's internal API takes the mode as a bare number: 1 bilinear, 2 area).
 */
public final class Resize {

    private static final int BILINEAR = 1;
    private static final int AREA = 2;

    private Resize() {
    }

    /** Area (box-filter) resizing: the antialiased down-scaling attackers and face pipelines use. */
    public static NDArray area(NDArray x, long height, long width) {
        return x.getNDArrayInternal().interpolation(new long[] {height, width}, AREA, false);
    }

    /** Bilinear resizing (corners not aligned), for up-scaling back to a size. */
    public static NDArray bilinear(NDArray x, long height, long width) {
        return x.getNDArrayInternal().interpolation(new long[] {height, width}, BILINEAR, false);
    }
}
