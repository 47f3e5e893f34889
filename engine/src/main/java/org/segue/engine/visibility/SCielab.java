package org.segue.engine.visibility;

import org.segue.engine.internal.Blur;
import org.segue.engine.internal.RgbImage;

import java.util.Arrays;

/**
 * How visible a change to an image is: S-CIELAB (Zhang and Wandell, "A spatial extension of CIELAB for digital
 * color image reproduction", 1996/1997) with CIEDE2000 as the colour difference. Both images go from sRGB to CIE
 * XYZ (D65) and on to the three opponent-colour channels of Poirson and Wandell (luminance, red-green, blue-yellow);
 * each channel is blurred with the eye's spatial sensitivity for that channel at the viewing condition (a weighted
 * sum of Gaussians whose spreads are given in degrees of visual angle), then back to XYZ and to CIELAB, where each
 * pixel's difference is measured. The eye resolves fine luminance detail but only coarse colour: a high-frequency
 * chroma pattern is blurred away almost entirely, a low-frequency colour cast passes whole.
 *
 * <p>The filters follow the authors' reference code: each Gaussian {@code exp(-(x / (spread * ppd))^2)} sampled on a
 * support of about one degree ({@code ceil(ppd / 2) * 2 - 1} taps), normalised to sum 1, the weights summing to 1
 * per channel, so a uniform image passes unchanged; borders are mirrored.
 */
public final class SCielab {

    /** Pixels per degree of visual angle for an image shown 1:1 at arm's length (about 60 cm on a 100 dpi screen). */
    public static final double ARM_LENGTH_1_TO_1 = 40;

    // Poirson and Wandell's opponent channels from CIE XYZ (the S-CIELAB reference code's 'xyz2opp')
    static final double[][] XYZ_TO_OPPONENT = {
            {0.2787336, 0.7218031, -0.1065520},
            {-0.4481434, 0.2898758, -0.0771150},
            {0.0859755, -0.5899727, 0.5011865}};
    static final double[][] OPPONENT_TO_XYZ = invert(XYZ_TO_OPPONENT);

    // the channels' spatial sensitivities: weights and spreads (degrees) of their Gaussians
    static final double[][] WEIGHTS = {{1.00327, 0.114416, -0.117686}, {0.616725, 0.383275},
            {0.567885, 0.432115}};
    static final double[][] SPREADS = {{0.05, 0.225, 7.0}, {0.0685, 0.826}, {0.0920, 0.6451}};

    // sRGB (IEC 61966-2-1) linear RGB to XYZ, D65, Y of white 100
    static final double[][] RGB_TO_XYZ = {
            {41.24564, 35.75761, 18.04375},
            {21.26729, 71.51522, 7.21750},
            {1.93339, 11.91920, 95.03041}};
    static final double WHITE_X = 95.047;
    static final double WHITE_Y = 100.0;
    static final double WHITE_Z = 108.883;

    final double[][][] kernels; // [channel][gaussian][taps]

    /** S-CIELAB for an image seen at {@code pixelsPerDegree} image pixels per degree of visual angle. */
    public SCielab(double pixelsPerDegree) {
        if (!(pixelsPerDegree >= 4 && pixelsPerDegree <= 1000)) {
            throw new IllegalArgumentException("pixels per degree must lie in 4..1000, was " + pixelsPerDegree);
        }
        int taps = (int) Math.ceil(pixelsPerDegree / 2) * 2 - 1;
        kernels = new double[3][][];
        for (int c = 0; c < 3; c++) {
            kernels[c] = new double[SPREADS[c].length][];
            for (int g = 0; g < SPREADS[c].length; g++) {
                kernels[c][g] = gaussian(SPREADS[c][g] * pixelsPerDegree, taps);
            }
        }
    }

    /**
     * The CIEDE2000 difference at each pixel (row-major, {@code height * width}) between how {@code original} and
     * {@code changed} look at this viewing condition.
     *
     * @throws IllegalArgumentException if the images differ in size
     */
    public float[] differenceMap(RgbImage original, RgbImage changed) {
        requireSameSize(original, changed);
        int h = original.height();
        int w = original.width();
        double[][] a = lab(seen(original));
        double[][] b = lab(seen(changed));
        float[] out = new float[h * w];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Ciede2000.difference(a[0][i], a[1][i], a[2][i], b[0][i], b[1][i], b[2][i]);
        }
        return out;
    }

    /** How the image looks at this viewing condition, in CIELAB: planes L, a, b (row-major). */
    double[][] seenLab(RgbImage image) {
        return lab(seen(image));
    }

    /** The image's opponent channels as the eye resolves them, back in XYZ: planes X, Y, Z. */
    private double[][] seen(RgbImage image) {
        int h = image.height();
        int w = image.width();
        int n = h * w;
        float[] chw = image.chw();
        double[][] opponent = new double[3][n];
        for (int i = 0; i < n; i++) {
            double r = linear(chw[i]);
            double g = linear(chw[n + i]);
            double bl = linear(chw[2 * n + i]);
            double x = RGB_TO_XYZ[0][0] * r + RGB_TO_XYZ[0][1] * g + RGB_TO_XYZ[0][2] * bl;
            double y = RGB_TO_XYZ[1][0] * r + RGB_TO_XYZ[1][1] * g + RGB_TO_XYZ[1][2] * bl;
            double z = RGB_TO_XYZ[2][0] * r + RGB_TO_XYZ[2][1] * g + RGB_TO_XYZ[2][2] * bl;
            for (int c = 0; c < 3; c++) {
                opponent[c][i] = XYZ_TO_OPPONENT[c][0] * x + XYZ_TO_OPPONENT[c][1] * y + XYZ_TO_OPPONENT[c][2] * z;
            }
        }
        double[][] filtered = new double[3][];
        for (int c = 0; c < 3; c++) {
            filtered[c] = new double[n];
            for (int g = 0; g < kernels[c].length; g++) {
                double[] part = Blur.plane(opponent[c], h, w, kernels[c][g], Blur.Border.SYMMETRIC);
                double weight = WEIGHTS[c][g];
                for (int i = 0; i < n; i++) {
                    filtered[c][i] += weight * part[i];
                }
            }
        }
        double[][] xyz = new double[3][n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                xyz[c][i] = OPPONENT_TO_XYZ[c][0] * filtered[0][i] + OPPONENT_TO_XYZ[c][1] * filtered[1][i]
                        + OPPONENT_TO_XYZ[c][2] * filtered[2][i];
            }
        }
        return xyz;
    }

    /** CIELAB (D65 white) of XYZ planes, in place of them. */
    private static double[][] lab(double[][] xyz) {
        int n = xyz[0].length;
        for (int i = 0; i < n; i++) {
            double fx = labF(xyz[0][i] / WHITE_X);
            double fy = labF(xyz[1][i] / WHITE_Y);
            double fz = labF(xyz[2][i] / WHITE_Z);
            xyz[0][i] = 116 * fy - 16;
            xyz[1][i] = 500 * (fx - fy);
            xyz[2][i] = 200 * (fy - fz);
        }
        return xyz;
    }

    private static double labF(double t) {
        double delta = 6.0 / 29;
        return t > delta * delta * delta ? Math.cbrt(t) : t / (3 * delta * delta) + 4.0 / 29;
    }

    /** sRGB's decoding to linear light. */
    private static double linear(float v) {
        double c = Math.min(1, Math.max(0, v));
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    /** The reference code's Gaussian: {@code exp(-(x / halfWidth)^2)} on {@code taps} taps, summing to 1. */
    static double[] gaussian(double halfWidth, int taps) {
        double[] g = new double[taps];
        int centre = taps / 2;
        double sum = 0;
        for (int i = 0; i < taps; i++) {
            double x = (i - centre) / halfWidth;
            g[i] = Math.exp(-x * x);
            sum += g[i];
        }
        for (int i = 0; i < taps; i++) {
            g[i] /= sum;
        }
        return g;
    }

    private static double[][] invert(double[][] m) {
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        double[][] inv = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                // cofactor of (j, i) over the determinant
                int r0 = (j + 1) % 3;
                int r1 = (j + 2) % 3;
                int c0 = (i + 1) % 3;
                int c1 = (i + 2) % 3;
                inv[i][j] = (m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0]) / det;
            }
        }
        return inv;
    }

    /** The pixels (row-major) where the two images differ in any channel: the region a protection changed. */
    public static boolean[] changedPixels(RgbImage a, RgbImage b) {
        requireSameSize(a, b);
        int plane = a.height() * a.width();
        boolean[] changed = new boolean[plane];
        for (int i = 0; i < plane; i++) {
            changed[i] = a.chw()[i] != b.chw()[i] || a.chw()[plane + i] != b.chw()[plane + i]
                    || a.chw()[2 * plane + i] != b.chw()[2 * plane + i];
        }
        return changed;
    }

    private static void requireSameSize(RgbImage a, RgbImage b) {
        if (a.height() != b.height() || a.width() != b.width()) {
            throw new IllegalArgumentException("images of different sizes: " + a.width() + "x" + a.height() + " and "
                    + b.width() + "x" + b.height());
        }
    }

    /**
     * Mean, 99th percentile and maximum of a difference map over the pixels where {@code region} is true (all
     * pixels where it is null).
     */
    public static Summary summarise(float[] map, boolean[] region) {
        if (region != null && region.length != map.length) {
            throw new IllegalArgumentException("a region of " + region.length + " pixels for a map of " + map.length);
        }
        float[] values = new float[map.length];
        int n = 0;
        for (int i = 0; i < map.length; i++) {
            if (region == null || region[i]) {
                values[n++] = map[i];
            }
        }
        if (n == 0) {
            return new Summary(0, 0, 0, 0);
        }
        Arrays.sort(values, 0, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        int p99 = Math.min(n - 1, (int) Math.ceil(0.99 * n) - 1);
        return new Summary(sum / n, values[p99], values[n - 1], n);
    }

    /**
     * A difference map's summary.
     *
     * @param pixels how many pixels it covers
     */
    public record Summary(double mean, double p99, double max, int pixels) {}
}
