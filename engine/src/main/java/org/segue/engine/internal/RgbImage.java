package org.segue.engine.internal;

/**
 * An RGB image on the host as planar float data in [0,1] (channel-major: R plane, G plane, B plane),
 * the layout the networks take. Grey images are expanded to three equal planes when read.
 */
public record RgbImage(float[] chw, int height, int width) {

    public RgbImage {
        if (height <= 0 || width <= 0 || chw.length != 3L * height * width) {
            throw new IllegalArgumentException("RGB image " + width + "x" + height + " needs "
                    + 3L * height * width + " values, got " + chw.length);
        }
    }

    /**
     * This image with {@code delta} (planar, this image's size) added and every value kept in [0, 1]: a protected
     * image from its perturbation. A new image; this one is left as it is.
     */
    public RgbImage plusClamped(float[] delta) {
        if (delta.length != chw.length) {
            throw new IllegalArgumentException("a perturbation of " + delta.length + " values for an image of "
                    + chw.length);
        }
        float[] out = new float[chw.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(1f, Math.max(0f, chw[i] + delta[i]));
        }
        return new RgbImage(out, height, width);
    }

    /** Value of channel {@code c} at row {@code y}, column {@code x}. */
    public float get(int c, int y, int x) {
        return chw[(c * height + y) * width + x];
    }
}
