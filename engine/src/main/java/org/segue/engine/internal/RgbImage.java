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

    /** Value of channel {@code c} at row {@code y}, column {@code x}. */
    public float get(int c, int y, int x) {
        return chw[(c * height + y) * width + x];
    }
}
