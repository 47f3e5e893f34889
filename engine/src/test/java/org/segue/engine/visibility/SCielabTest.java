package org.segue.engine.visibility;

import org.junit.jupiter.api.Test;
import org.segue.engine.internal.RgbImage;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SCielabTest {

    /** Pairs from Sharma, Wu and Dalal's CIEDE2000 test data (2005): L1 a1 b1 L2 a2 b2 and the difference. */
    private static final double[][] SHARMA = {
            {50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425},
            {50.0000, 3.1571, -77.2803, 50.0000, 0.0000, -82.7485, 2.8615},
            {50.0000, 2.8361, -74.0200, 50.0000, 0.0000, -82.7485, 3.4412},
            {50.0000, -1.3802, -84.2814, 50.0000, 0.0000, -82.7485, 1.0000},
            {50.0000, 0.0000, 0.0000, 50.0000, -1.0000, 2.0000, 2.3669},
            {50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0009, 7.1792},
            {50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195},
            {50.0000, -0.0010, 2.4900, 50.0000, 0.0009, -2.4900, 4.8045},
            {50.0000, -0.0010, 2.4900, 50.0000, 0.0011, -2.4900, 4.7461},
            {50.0000, 2.5000, 0.0000, 50.0000, 0.0000, -2.5000, 4.3065},
            {50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492},
            {50.0000, 2.5000, 0.0000, 61.0000, -5.0000, 29.0000, 22.8977},
            {50.0000, 2.5000, 0.0000, 56.0000, -27.0000, -3.0000, 31.9030},
            {50.0000, 2.5000, 0.0000, 58.0000, 24.0000, 15.0000, 19.4535},
            {60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644},
            {63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.2630},
            {61.2901, 3.7196, -5.3901, 61.4292, 2.2480, -4.9620, 1.8731},
    };

    @Test
    void ciede2000MatchesThePublishedTestData() {
        for (double[] p : SHARMA) {
            assertEquals(p[6], Ciede2000.difference(p[0], p[1], p[2], p[3], p[4], p[5]), 1e-4,
                    java.util.Arrays.toString(p));
            assertEquals(p[6], Ciede2000.difference(p[3], p[4], p[5], p[0], p[1], p[2]), 1e-4, "symmetric");
        }
    }

    private static RgbImage uniform(int h, int w, float r, float g, float b) {
        float[] chw = new float[3 * h * w];
        java.util.Arrays.fill(chw, 0, h * w, r);
        java.util.Arrays.fill(chw, h * w, 2 * h * w, g);
        java.util.Arrays.fill(chw, 2 * h * w, 3 * h * w, b);
        return new RgbImage(chw, h, w);
    }

    /** sRGB to CIELAB (D65), written out independently of the class under test. */
    private static double[] lab(double r, double g, double b) {
        double[] lin = new double[3];
        double[] in = {r, g, b};
        for (int i = 0; i < 3; i++) {
            lin[i] = in[i] <= 0.04045 ? in[i] / 12.92 : Math.pow((in[i] + 0.055) / 1.055, 2.4);
        }
        double x = (0.4124564 * lin[0] + 0.3575761 * lin[1] + 0.1804375 * lin[2]) / 0.95047;
        double y = 0.2126729 * lin[0] + 0.7151522 * lin[1] + 0.0721750 * lin[2];
        double z = (0.0193339 * lin[0] + 0.1191920 * lin[1] + 0.9503041 * lin[2]) / 1.08883;
        java.util.function.DoubleUnaryOperator f = t -> t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
        return new double[] {116 * f.applyAsDouble(y) - 16, 500 * (f.applyAsDouble(x) - f.applyAsDouble(y)),
                200 * (f.applyAsDouble(y) - f.applyAsDouble(z))};
    }

    @Test
    void anUnchangedImageShowsNoDifference() {
        Random random = new Random(1);
        float[] chw = new float[3 * 30 * 40];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = random.nextFloat();
        }
        RgbImage image = new RgbImage(chw, 30, 40);
        SCielab.Summary s = SCielab.summarise(new SCielab(SCielab.ARM_LENGTH_1_TO_1).differenceMap(image, image), null);
        assertEquals(0, s.max(), 1e-9);
    }

    /** The eye's filters pass a uniform image unchanged: on flat patches S-CIELAB is plain CIEDE2000. */
    @Test
    void onFlatPatchesItIsTheColourDifferenceOfThePatches() {
        float[][] pairs = {{0.5f, 0.5f, 0.5f, 0.5f, 0.5f + 8 / 255f, 0.5f}, {0.8f, 0.6f, 0.5f, 0.78f, 0.6f, 0.55f},
                {0.1f, 0.1f, 0.1f, 0.12f, 0.1f, 0.1f}};
        for (float[] p : pairs) {
            float[] map = new SCielab(40).differenceMap(uniform(24, 32, p[0], p[1], p[2]), uniform(24, 32, p[3], p[4], p[5]));
            double[] a = lab(p[0], p[1], p[2]);
            double[] b = lab(p[3], p[4], p[5]);
            double expected = Ciede2000.difference(a[0], a[1], a[2], b[0], b[1], b[2]);
            SCielab.Summary s = SCielab.summarise(map, null);
            assertEquals(expected, s.mean(), 1e-3 * Math.max(1, expected), java.util.Arrays.toString(p));
            assertEquals(s.mean(), s.max(), 1e-3 * Math.max(1, expected), "the same everywhere");
        }
    }

    /** Grey with a pattern of squares of {@code block} pixels, alternately +step and -step in the given channels. */
    private static RgbImage checker(int size, int block, float step, float red, float green, float blue) {
        RgbImage grey = uniform(size, size, 0.5f, 0.5f, 0.5f);
        float[] chw = grey.chw().clone();
        float[] weight = {red, green, blue};
        int n = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float sign = (x / block + y / block) % 2 == 0 ? 1 : -1;
                for (int c = 0; c < 3; c++) {
                    chw[c * n + y * size + x] += sign * step * weight[c];
                }
            }
        }
        return new RgbImage(chw, size, size);
    }

    private static double seen(SCielab eye, RgbImage changed) {
        RgbImage grey = uniform(changed.height(), changed.width(), 0.5f, 0.5f, 0.5f);
        return SCielab.summarise(eye.differenceMap(grey, changed), null).mean();
    }

    /**
     * What the eye resolves: a colour pattern alternating every pixel is blurred away almost entirely while the
     * same change spread evenly is seen whole; at a few cycles per degree luminance detail is seen far better than
     * colour detail; and a pattern fades as the viewer steps back.
     */
    @Test
    void fineColourDetailIsHardlySeenWhileACastIs() {
        float step = 8 / 255f;
        SCielab eye = new SCielab(SCielab.ARM_LENGTH_1_TO_1);
        RgbImage grey = uniform(64, 64, 0.5f, 0.5f, 0.5f);
        float[] cast = grey.chw().clone();
        for (int i = 64 * 64; i < 2 * 64 * 64; i++) {
            cast[i] += step; // green up everywhere
        }
        double castSeen = seen(eye, new RgbImage(cast, 64, 64));
        double fineColour = seen(eye, checker(64, 1, step, 1, -1, 0)); // red against green, every pixel
        assertTrue(castSeen > 3, "a +8 green cast on grey is plainly visible: " + castSeen);
        assertTrue(fineColour < 0.1 * castSeen, "a one-pixel colour checkerboard " + fineColour + " against " + castSeen);

        // squares of 4 px (5 cycles per degree at arm's length, near the eye's peak sensitivity to luminance): of
        // what the same change shows as a flat patch, luminance keeps far more than colour (red against green,
        // balanced by their luminance weights)
        double luma = seen(eye, checker(64, 4, step, 1, 1, 1)) / seen(eye, checker(64, 64, step, 1, 1, 1));
        double colour = seen(eye, checker(64, 4, step, 1, -0.3f, 0)) / seen(eye, checker(64, 64, step, 1, -0.3f, 0));
        assertTrue(luma > 2 * colour, "luminance squares keep " + luma + " of the flat change, colour " + colour);
        double lumaNear = seen(eye, checker(64, 4, step, 1, 1, 1));
        double lumaFar = seen(new SCielab(160), checker(64, 4, step, 1, 1, 1));
        assertTrue(lumaFar < 0.5 * lumaNear, "the same squares at 160 px/degree " + lumaFar + ", at 40 " + lumaNear);
    }

    @Test
    void summariesCoverTheRegionAsked() {
        float[] map = new float[200];
        boolean[] region = new boolean[200];
        for (int i = 0; i < 100; i++) {
            map[i] = i + 1; // 1..100 inside
            region[i] = true;
        }
        map[150] = 1000; // outside
        SCielab.Summary inside = SCielab.summarise(map, region);
        assertEquals(100, inside.pixels());
        assertEquals(50.5, inside.mean(), 1e-9);
        assertEquals(99, inside.p99(), 1e-9);
        assertEquals(100, inside.max(), 1e-9);
        assertEquals(1000, SCielab.summarise(map, null).max(), 1e-9);
        assertEquals(0, SCielab.summarise(map, new boolean[200]).pixels());
        assertThrows(IllegalArgumentException.class, () -> SCielab.summarise(map, new boolean[3]));
    }

    @Test
    void theChangedRegionIsWhereAnyChannelDiffers() {
        RgbImage a = uniform(2, 2, 0.5f, 0.5f, 0.5f);
        float[] chw = a.chw().clone();
        chw[4 + 3] = 0.6f; // green of the last pixel
        chw[8] = 0.4f; // blue of the first
        boolean[] changed = SCielab.changedPixels(a, new RgbImage(chw, 2, 2));
        assertTrue(changed[0] && !changed[1] && !changed[2] && changed[3], java.util.Arrays.toString(changed));
        assertThrows(IllegalArgumentException.class, () -> SCielab.changedPixels(a, uniform(2, 3, 0, 0, 0)));
    }

    @Test
    void refusesImagesOfDifferentSizesAndImpossibleViewing() {
        assertThrows(IllegalArgumentException.class,
                () -> new SCielab(40).differenceMap(uniform(4, 4, 0, 0, 0), uniform(4, 5, 0, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> new SCielab(0));
        assertThrows(IllegalArgumentException.class, () -> new SCielab(Double.NaN));
    }
}
