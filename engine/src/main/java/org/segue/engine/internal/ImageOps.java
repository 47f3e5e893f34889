package org.segue.engine.internal;

/**
 * Host-side resampling of planar images. Downscaling integrates each output pixel's footprint
 * (area averaging, the antialiased resize face pipelines use); upscaling is bilinear with
 * half-pixel centres (PyTorch's align_corners=False), which keeps an upsampled perturbation within
 * the bounds of the original one.
 */
public final class ImageOps {

    private ImageOps() {}

    /**
     * How an image is resampled. {@link #AREA} is the antialiased resize (area averaging down,
     * bilinear up) face pipelines and PIL use; the others are the plain interpolations many
     * pipelines (OpenCV's default, torch's interpolate) apply without antialiasing, so downscaling
     * samples the image instead of averaging it.
     */
    public enum Filter {
        AREA, BILINEAR, BICUBIC;

        public static Filter parse(String name) {
            for (Filter f : values()) {
                if (f.name().equalsIgnoreCase(name)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown resize filter '" + name + "': use area, bilinear or bicubic");
        }
    }

    public static RgbImage resize(RgbImage image, int height, int width) {
        return resize(image, height, width, Filter.AREA);
    }

    public static RgbImage resize(RgbImage image, int height, int width, Filter filter) {
        if (image.height() == height && image.width() == width) {
            return image;
        }
        return new RgbImage(resizePlanes(image.chw(), 3, image.height(), image.width(), height, width, filter),
                height, width);
    }

    /** ITU-R BT.601 luma Y = 0.299 R + 0.587 G + 0.114 B (what JPEG and most grey conversions use), row-major. */
    public static float[] luma(RgbImage image) {
        int plane = image.height() * image.width();
        float[] chw = image.chw();
        float[] y = new float[plane];
        for (int i = 0; i < plane; i++) {
            y[i] = 0.299f * chw[i] + 0.587f * chw[plane + i] + 0.114f * chw[2 * plane + i];
        }
        return y;
    }

    /** The image in grey: its {@link #luma} on all three channels. */
    public static RgbImage grey(RgbImage image) {
        float[] y = luma(image);
        float[] out = new float[3 * y.length];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(y, 0, out, c * y.length, y.length);
        }
        return new RgbImage(out, image.height(), image.width());
    }

    /** The centred crop keeping {@code fraction} (0..1] of the height and width. */
    public static RgbImage centreCrop(RgbImage image, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("crop fraction must be in (0, 1], was " + fraction);
        }
        int h = Math.max(1, (int) Math.round(image.height() * fraction));
        int w = Math.max(1, (int) Math.round(image.width() * fraction));
        return crop(image, (image.width() - w) / 2, (image.height() - h) / 2, w, h);
    }

    /** The {@code w} x {@code h} rectangle of {@code image} whose top-left pixel is {@code (x0, y0)}. */
    public static RgbImage crop(RgbImage image, int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || w < 1 || h < 1 || x0 + w > image.width() || y0 + h > image.height()) {
            throw new IllegalArgumentException("a " + w + "x" + h + " crop at (" + x0 + ", " + y0 + ") is not inside the "
                    + image.width() + "x" + image.height() + " image");
        }
        float[] out = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(image.chw(), (c * image.height() + y0 + y) * image.width() + x0, out, (c * h + y) * w, w);
            }
        }
        return new RgbImage(out, h, w);
    }

    /** Resizes {@code planes} stacked planes of size inH x inW, separably (rows, then columns). */
    public static float[] resizePlanes(float[] data, int planes, int inH, int inW, int outH, int outW) {
        return resizePlanes(data, planes, inH, inW, outH, outW, Filter.AREA);
    }

    /** As {@link #resizePlanes(float[], int, int, int, int, int)} with the given filter. */
    public static float[] resizePlanes(float[] data, int planes, int inH, int inW, int outH, int outW, Filter filter) {
        if (inH == outH && inW == outW) {
            return data;
        }
        Kernel horizontal = Kernel.of(inW, outW, filter);
        Kernel vertical = Kernel.of(inH, outH, filter);
        float[] rows = new float[planes * inH * outW];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < inH; y++) {
                for (int x = 0; x < outW; x++) {
                    rows[(p * inH + y) * outW + x] = horizontal.apply(data, (p * inH + y) * inW, 1, x);
                }
            }
        }
        float[] out = new float[planes * outH * outW];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    out[(p * outH + y) * outW + x] = vertical.apply(rows, p * inH * outW + x, outW, y);
                }
            }
        }
        return out;
    }

    /**
     * Weights of a 1-D resampling from {@code source} to {@code target} samples: each output sample
     * is a weighted sum of consecutive input samples starting at {@code first[i]}.
     */
    private record Kernel(int[] first, double[][] weights) {

        static Kernel of(int source, int target, Filter filter) {
            int[] first = new int[target];
            double[][] weights = new double[target][];
            double scale = (double) source / target;
            for (int i = 0; i < target; i++) {
                if (filter == Filter.BICUBIC && source > 1) {
                    // Keys cubic convolution with a = -0.75 (PyTorch's bicubic), half-pixel centres,
                    // edge samples repeated; no antialiasing when shrinking.
                    double position = (i + 0.5) * scale - 0.5;
                    int base = (int) Math.floor(position);
                    double t = position - base;
                    int from = Math.max(0, Math.min(source - 1, base - 1));
                    int to = Math.max(0, Math.min(source - 1, base + 2));
                    double[] w = new double[to - from + 1];
                    for (int k = -1; k <= 2; k++) {
                        int j = Math.max(0, Math.min(source - 1, base + k));
                        w[j - from] += cubic(k - t);
                    }
                    first[i] = from;
                    weights[i] = w;
                } else if (source > target && filter == Filter.AREA) {
                    // Area: output sample i covers [i*scale, (i+1)*scale) of the input, so every input
                    // pixel contributes in proportion to its overlap (no aliasing when shrinking).
                    double start = i * scale;
                    double end = (i + 1) * scale;
                    int from = (int) Math.floor(start);
                    int to = Math.min(source, (int) Math.ceil(end));
                    double[] w = new double[to - from];
                    for (int j = from; j < to; j++) {
                        w[j - from] = Math.max(0, Math.min(end, j + 1) - Math.max(start, j)) / scale;
                    }
                    first[i] = from;
                    weights[i] = w;
                } else if (source == 1) {
                    first[i] = 0;
                    weights[i] = new double[] {1};
                } else {
                    // Bilinear with pixel centres aligned (half-pixel convention), clamped at the edges.
                    double position = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), source - 1);
                    int left = Math.min((int) Math.floor(position), source - 2);
                    double fraction = position - left;
                    first[i] = left;
                    weights[i] = new double[] {1 - fraction, fraction};
                }
            }
            return new Kernel(first, weights);
        }

        /** Keys' cubic convolution kernel with a = -0.75. */
        private static double cubic(double x) {
            double a = -0.75;
            double d = Math.abs(x);
            if (d <= 1) {
                return ((a + 2) * d - (a + 3)) * d * d + 1;
            }
            if (d < 2) {
                return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
            }
            return 0;
        }

        /** Output sample {@code i} of the line starting at {@code offset} with element spacing {@code stride}. */
        float apply(float[] data, int offset, int stride, int i) {
            // Summed as differences to the first sample: the weights add up to 1 only up to rounding,
            // and a flat region must stay exactly flat, or LBP would read rounding noise as texture.
            int index = offset + first[i] * stride;
            double base = data[index];
            double sum = 0;
            for (double weight : weights[i]) {
                sum += weight * (data[index] - base);
                index += stride;
            }
            return (float) (base + sum);
        }
    }
}
