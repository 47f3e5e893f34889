package org.segue.engine.distortion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A differentiable approximation of baseline JPEG (Shin and Song, 2017): RGB to YCbCr, 4:2:0 chroma
 * subsampling (2x2 averaging, nearest up-sampling), 8x8 block DCT, quantisation with the standard
 * IJG tables scaled for the quality, and back. Rounding is replaced by
 * round(v) + (v - round(v))^3, which equals rounding in value and still passes a gradient.
 * Images whose sides are not multiples of 16 are edge-padded for the transform and cropped after.
 */
public final class DifferentiableJpeg {

    private static final float[] LUMA = {
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
    private static final float[] CHROMA = {
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
        24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};

    private DifferentiableJpeg() {}

    /** The IJG quantisation table for {@code quality} (1..100), entries clamped to 1..255. */
    public static float[] quantisationTable(float[] base, int quality) {
        int q = Math.max(1, Math.min(100, quality));
        int scale = q < 50 ? 5000 / q : 200 - 2 * q;
        float[] out = new float[64];
        for (int i = 0; i < 64; i++) {
            out[i] = Math.max(1, Math.min(255, (float) Math.floor((base[i] * scale + 50) / 100)));
        }
        return out;
    }

    /** JPEG-compresses and decompresses a batch (N,3,H,W) in [0,1] at {@code quality}. */
    public static NDArray apply(NDArray rgb, int quality) {
        NDManager m = rgb.getManager();
        long h = rgb.getShape().get(2);
        long w = rgb.getShape().get(3);
        long ph = (16 - h % 16) % 16;
        long pw = (16 - w % 16) % 16;
        NDArray x = rgb.mul(255f);
        if (ph > 0 || pw > 0) {
            x = edgePad(x, ph, pw);
        }
        NDArray r = x.get(":, 0:1");
        NDArray g = x.get(":, 1:2");
        NDArray b = x.get(":, 2:3");
        NDArray y = r.mul(0.299f).add(g.mul(0.587f)).add(b.mul(0.114f));
        NDArray cb = r.mul(-0.168736f).add(g.mul(-0.331264f)).add(b.mul(0.5f));
        NDArray cr = r.mul(0.5f).add(g.mul(-0.418688f)).add(b.mul(-0.081312f));
        NDArray dct = dctMatrix(m).toDevice(rgb.getDevice(), false);
        y = blockCodec(y.sub(128f), table(m, LUMA, quality, rgb), dct).add(128f);
        cb = upsample2(blockCodec(downsample2(cb), table(m, CHROMA, quality, rgb), dct));
        cr = upsample2(blockCodec(downsample2(cr), table(m, CHROMA, quality, rgb), dct));
        NDArray outR = y.add(cr.mul(1.402f));
        NDArray outG = y.sub(cb.mul(0.344136f)).sub(cr.mul(0.714136f));
        NDArray outB = y.add(cb.mul(1.772f));
        NDArray out = outR.concat(outG, 1).concat(outB, 1).div(255f);
        if (ph > 0 || pw > 0) {
            out = out.get(":, :, :" + h + ", :" + w);
        }
        return out.clip(0f, 1f);
    }

    private static NDArray table(NDManager m, float[] base, int quality, NDArray like) {
        return m.create(quantisationTable(base, quality), new Shape(8, 8)).toDevice(like.getDevice(), false);
    }

    /** Quantise-dequantise of one plane (N,1,H,W) with H, W multiples of 8. */
    private static NDArray blockCodec(NDArray plane, NDArray quant, NDArray dct) {
        Shape s = plane.getShape();
        long n = s.get(0);
        long bh = s.get(2) / 8;
        long bw = s.get(3) / 8;
        NDArray blocks = plane.reshape(n, bh, 8, bw, 8).transpose(0, 1, 3, 2, 4);
        NDArray coeff = dct.matMul(blocks).matMul(dct.transpose());
        NDArray scaled = coeff.div(quant);
        NDArray rounded = scaled.round();
        NDArray residual = scaled.sub(rounded);
        NDArray approx = rounded.add(residual.mul(residual).mul(residual));
        NDArray restored = dct.transpose().matMul(approx.mul(quant)).matMul(dct);
        return restored.transpose(0, 1, 3, 2, 4).reshape(n, 1, bh * 8, bw * 8);
    }

    private static NDArray downsample2(NDArray plane) {
        Shape s = plane.getShape();
        return plane.reshape(s.get(0), 1, s.get(2) / 2, 2, s.get(3) / 2, 2).mean(new int[] {5}).mean(new int[] {3});
    }

    private static NDArray upsample2(NDArray plane) {
        return plane.repeat(2, 2).repeat(3, 2);
    }

    private static NDArray edgePad(NDArray x, long ph, long pw) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDArray out = x;
        if (pw > 0) {
            NDArray last = out.get(":, :, :, " + (w - 1) + ":" + w).repeat(3, pw);
            out = out.concat(last, 3);
        }
        if (ph > 0) {
            NDArray last = out.get(":, :, " + (h - 1) + ":" + h + ", :").repeat(2, ph);
            out = out.concat(last, 2);
        }
        return out;
    }

    /** Orthonormal DCT-II matrix D: coefficients = D . block . D^T. */
    static NDArray dctMatrix(NDManager m) {
        float[] d = new float[64];
        for (int k = 0; k < 8; k++) {
            double c = k == 0 ? Math.sqrt(1.0 / 8) : Math.sqrt(2.0 / 8);
            for (int n = 0; n < 8; n++) {
                d[k * 8 + n] = (float) (c * Math.cos((2 * n + 1) * k * Math.PI / 16));
            }
        }
        return m.create(d, new Shape(8, 8));
    }
}
