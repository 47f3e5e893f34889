package org.segue.engine.data;

/**
 * Host-side resampling of planar images. Downscaling integrates each output pixel's footprint
 * (area averaging, the antialiased resize face pipelines use); upscaling is bilinear with
 * half-pixel centres (PyTorch's align_corners=False), which keeps an upsampled perturbation within
 * the bounds of the original one.
 */
public final class ImageOps {

    private ImageOps() {}

    public static RgbImage resize(RgbImage image, int height, int width) {
        if (image.height() == height && image.width() == width) {
            return image;
        }
        return new RgbImage(resizePlanes(image.chw(), 3, image.height(), image.width(), height, width), height, width);
    }

    /** Resizes {@code planes} stacked planes of size inH x inW, separably (rows, then columns). */
    public static float[] resizePlanes(float[] data, int planes, int inH, int inW, int outH, int outW) {
        float[] tmp = new float[planes * inH * outW];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < inH; y++) {
                resample1d(data, (p * inH + y) * inW, 1, inW, tmp, (p * inH + y) * outW, 1, outW);
            }
        }
        float[] out = new float[planes * outH * outW];
        for (int p = 0; p < planes; p++) {
            for (int x = 0; x < outW; x++) {
                resample1d(tmp, p * inH * outW + x, outW, inH, out, p * outH * outW + x, outW, outH);
            }
        }
        return out;
    }

    private static void resample1d(float[] src, int srcOff, int srcStride, int n,
                                   float[] dst, int dstOff, int dstStride, int m) {
        if (m == n) {
            for (int i = 0; i < n; i++) {
                dst[dstOff + i * dstStride] = src[srcOff + i * srcStride];
            }
        } else if (m < n) {
            double scale = (double) n / m;
            for (int o = 0; o < m; o++) {
                double start = o * scale;
                double end = start + scale;
                double sum = 0;
                for (int i = (int) Math.floor(start); i < Math.ceil(end) && i < n; i++) {
                    double overlap = Math.min(end, i + 1) - Math.max(start, i);
                    sum += overlap * src[srcOff + i * srcStride];
                }
                dst[dstOff + o * dstStride] = (float) (sum / scale);
            }
        } else {
            double scale = (double) n / m;
            for (int o = 0; o < m; o++) {
                double pos = Math.max(0, (o + 0.5) * scale - 0.5);
                int i0 = Math.min((int) pos, n - 1);
                int i1 = Math.min(i0 + 1, n - 1);
                double f = pos - i0;
                dst[dstOff + o * dstStride] =
                        (float) ((1 - f) * src[srcOff + i0 * srcStride] + f * src[srcOff + i1 * srcStride]);
            }
        }
    }
}
