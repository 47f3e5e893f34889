package org.segue.engine.internal;

/**
 * Separable convolution of planar images with one symmetric kernel along rows, then columns: the Gaussian blurs of
 * the engine (S-CIELAB's filters, the attacker's blur augmentation, the head concealment's smoothing), each with the
 * border its source defines. Sums are formed in double precision, tap by tap from the kernel's first.
 */
public final class Blur {

    private Blur() {}

    /** What a kernel reads beyond an image's edge. */
    public enum Border {
        /** The edge sample repeated outwards: ... 0 0 | 0 1 2 ... */
        REPEAT,
        /** Mirrored with the edge sample repeated (MATLAB's 'symmetric'): ... 1 0 | 0 1 2 ... */
        SYMMETRIC,
        /** Mirrored about the edge sample (torchvision's 'reflect'): ... 2 1 | 0 1 2 ... */
        REFLECT;

        /** Index {@code i} brought into 0..n-1 (n >= 1). */
        public int index(int i, int n) {
            if (n < 1) {
                throw new IllegalArgumentException("a border of an empty row or column, n = " + n);
            }
            if (i >= 0 && i < n) {
                return i;
            }
            if (n == 1) {
                return 0;
            }
            return switch (this) {
                case REPEAT -> Math.min(n - 1, Math.max(0, i));
                case SYMMETRIC -> {
                    int period = 2 * n;
                    int m = Math.floorMod(i, period);
                    yield m < n ? m : period - 1 - m;
                }
                case REFLECT -> {
                    int period = 2 * (n - 1);
                    int m = Math.floorMod(i, period);
                    yield m < n ? m : period - m;
                }
            };
        }
    }

    /** The Gaussian {@code exp(-i^2 / (2 sigma^2))} for i in -radius..radius, summing to 1. */
    public static double[] gaussian(double sigma, int radius) {
        if (!(sigma > 0) || radius < 0) {
            throw new IllegalArgumentException("a Gaussian needs a positive sigma and a radius of 0 or more, got "
                    + sigma + " and " + radius);
        }
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            sum += kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        return kernel;
    }

    /** One plane of {@code h x w} blurred; the plane itself is left as it is. */
    public static double[] plane(double[] plane, int h, int w, double[] kernel, Border border) {
        check(plane.length, 1, h, w, kernel);
        int r = kernel.length / 2;
        double[] rows = new double[plane.length];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int k = -r; k <= r; k++) {
                    s += kernel[k + r] * plane[row + border.index(x + k, w)];
                }
                rows[row + x] = s;
            }
        }
        double[] out = new double[plane.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int k = -r; k <= r; k++) {
                    s += kernel[k + r] * rows[border.index(y + k, h) * w + x];
                }
                out[y * w + x] = s;
            }
        }
        return out;
    }

    /**
     * {@code planes} planes of {@code h x w} (channel-major) blurred, each on its own; the row pass is stored in
     * single precision, as the result is.
     */
    public static float[] planes(float[] chw, int planes, int h, int w, double[] kernel, Border border) {
        check(chw.length, planes, h, w, kernel);
        int r = kernel.length / 2;
        float[] rows = new float[chw.length];
        float[] out = new float[chw.length];
        for (int c = 0; c < planes; c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                int row = base + y * w;
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int k = -r; k <= r; k++) {
                        s += kernel[k + r] * chw[row + border.index(x + k, w)];
                    }
                    rows[row + x] = (float) s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int k = -r; k <= r; k++) {
                        s += kernel[k + r] * rows[base + border.index(y + k, h) * w + x];
                    }
                    out[base + y * w + x] = (float) s;
                }
            }
        }
        return out;
    }

    private static void check(int length, int planes, int h, int w, double[] kernel) {
        if (h < 1 || w < 1 || length != (long) planes * h * w) {
            throw new IllegalArgumentException(length + " samples are not " + planes + " planes of " + h + "x" + w);
        }
        if (kernel.length % 2 != 1) {
            throw new IllegalArgumentException("a kernel has a centre tap: an odd length, got " + kernel.length);
        }
    }
}
