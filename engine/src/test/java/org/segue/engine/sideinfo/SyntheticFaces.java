package org.segue.engine.sideinfo;

import org.segue.engine.internal.RgbImage;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;

/** Procedural test images standing in for faces: each "identity" is its own texture family. */
final class SyntheticFaces {

    private SyntheticFaces() {}

    static final int IDENTITIES = 3;

    /**
     * One sample of {@code identity}: its texture with a random phase, size (64..111 px per side),
     * brightness offset, contrast and per-channel pixel noise.
     */
    static RgbImage sample(int identity, Random random) {
        int height = 64 + random.nextInt(48);
        int width = 64 + random.nextInt(48);
        double phase = 2 * Math.PI * random.nextDouble();
        double phase2 = 2 * Math.PI * random.nextDouble();
        DoubleBinaryOperator texture = switch (identity) {
            case 0 -> (u, v) -> Math.sin(2 * Math.PI * 6 * v + phase); // horizontal stripes
            case 1 -> (u, v) -> Math.sin(2 * Math.PI * 6 * Math.hypot(u - 0.5, v - 0.5) + phase); // rings
            case 2 -> (u, v) -> Math.sin(2 * Math.PI * 5 * u + phase) * Math.sin(2 * Math.PI * 5 * v + phase2); // checks
            default -> throw new IllegalArgumentException("identity " + identity);
        };
        double offset = 0.5 + 0.2 * (random.nextDouble() - 0.5);
        double contrast = 0.2 + 0.1 * random.nextDouble();
        float[] chw = new float[3 * height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double value = offset + contrast * texture.applyAsDouble((x + 0.5) / width, (y + 0.5) / height);
                for (int c = 0; c < 3; c++) {
                    chw[(c * height + y) * width + x] = clamp(value + 0.03 * random.nextGaussian());
                }
            }
        }
        return new RgbImage(chw, height, width);
    }

    /** Independent uniform values in [low, high) in every channel: texture with no exact ties. */
    static RgbImage noise(int height, int width, double low, double high, Random random) {
        float[] chw = new float[3 * height * width];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return new RgbImage(chw, height, width);
    }

    static RgbImage constant(int height, int width, float value) {
        float[] chw = new float[3 * height * width];
        java.util.Arrays.fill(chw, value);
        return new RgbImage(chw, height, width);
    }

    /** Every channel value transformed as {@code gain * v + offset}. */
    static RgbImage affine(RgbImage image, float gain, float offset) {
        float[] chw = image.chw().clone();
        for (int i = 0; i < chw.length; i++) {
            chw[i] = gain * chw[i] + offset;
        }
        return new RgbImage(chw, image.height(), image.width());
    }

    static RgbImage mirrored(RgbImage image) {
        int h = image.height();
        int w = image.width();
        float[] chw = new float[image.chw().length];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    chw[(c * h + y) * w + x] = image.get(c, y, w - 1 - x);
                }
            }
        }
        return new RgbImage(chw, h, w);
    }

    private static float clamp(double v) {
        return (float) Math.min(1, Math.max(0, v));
    }
}
