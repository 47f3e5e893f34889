package org.segue.engine.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BlurTest {

    @Test
    void eachBorderReadsBeyondTheEdgeAsItsSourceDefines() {
        int[] indices = {-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7};
        int[][] expected = {
                {0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3}, // REPEAT
                {2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0}, // SYMMETRIC
                {3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1}, // REFLECT
        };
        for (Blur.Border border : Blur.Border.values()) {
            for (int i = 0; i < indices.length; i++) {
                assertEquals(expected[border.ordinal()][i], border.index(indices[i], 4), border + " at " + indices[i]);
            }
            assertEquals(0, border.index(-5, 1), border + " of a single sample");
            assertEquals(0, border.index(7, 1), border + " of a single sample");
            assertThrows(IllegalArgumentException.class, () -> border.index(0, 0));
        }
        // two samples, where reflecting about the edge and mirroring with repetition part most
        int[] two = {-3, -2, -1, 2, 3, 4};
        int[][] expectedTwo = {{0, 0, 0, 1, 1, 1}, {1, 1, 0, 1, 0, 0}, {1, 0, 1, 0, 1, 0}};
        for (Blur.Border border : Blur.Border.values()) {
            for (int i = 0; i < two.length; i++) {
                assertEquals(expectedTwo[border.ordinal()][i], border.index(two[i], 2), border + " at " + two[i]);
            }
        }
    }

    @Test
    void aGaussianSumsToOneAndFallsOffSymmetrically() {
        double[] g = Blur.gaussian(1.0, 2);
        assertEquals(5, g.length);
        double sum = 0;
        for (double v : g) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-12);
        assertEquals(g[0], g[4], 0);
        assertEquals(g[1], g[3], 0);
        assertEquals(Math.exp(-0.5), g[1] / g[2], 1e-12);
        assertEquals(Math.exp(-2), g[0] / g[2], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Blur.gaussian(0, 2));
        assertThrows(IllegalArgumentException.class, () -> Blur.gaussian(1, -1));
    }

    @Test
    void anImpulseAwayFromTheEdgesSpreadsIntoTheKernelsOuterProduct() {
        double[] kernel = Blur.gaussian(0.8, 2);
        int h = 7;
        int w = 9;
        double[] plane = new double[h * w];
        plane[3 * w + 4] = 1;
        for (Blur.Border border : Blur.Border.values()) {
            double[] out = Blur.plane(plane, h, w, kernel, border);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int dy = y - 3;
                    int dx = x - 4;
                    double want = Math.abs(dy) <= 2 && Math.abs(dx) <= 2 ? kernel[dy + 2] * kernel[dx + 2] : 0;
                    assertEquals(want, out[y * w + x], 1e-15, border + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void theEdgeIsReadThroughTheBorder() {
        // one row 1 0 0: a 3-tap box sees 1 at index -1 when the border repeats or mirrors with repetition, 0 when it
        // reflects about the edge sample
        double[] box = {1 / 3.0, 1 / 3.0, 1 / 3.0};
        double[] row = {1, 0, 0};
        assertEquals(2 / 3.0, Blur.plane(row, 1, 3, box, Blur.Border.REPEAT)[0], 1e-15);
        assertEquals(2 / 3.0, Blur.plane(row, 1, 3, box, Blur.Border.SYMMETRIC)[0], 1e-15);
        assertEquals(1 / 3.0, Blur.plane(row, 1, 3, box, Blur.Border.REFLECT)[0], 1e-15);
    }

    @Test
    void planesAreBlurredEachOnItsOwnAsOnePlaneIs() {
        int h = 6;
        int w = 5;
        float[] chw = new float[3 * h * w];
        java.util.Random rng = new java.util.Random(3);
        for (int i = 0; i < chw.length; i++) {
            chw[i] = rng.nextFloat();
        }
        double[] kernel = Blur.gaussian(1.5, 4); // wider than the image: every border is read several times over
        for (Blur.Border border : Blur.Border.values()) {
            float[] out = Blur.planes(chw, 3, h, w, kernel, border);
            for (int c = 0; c < 3; c++) {
                double[] plane = new double[h * w];
                for (int i = 0; i < plane.length; i++) {
                    plane[i] = chw[c * h * w + i];
                }
                double[] one = Blur.plane(plane, h, w, kernel, border);
                for (int i = 0; i < plane.length; i++) {
                    assertEquals(one[i], out[c * h * w + i], 1e-6, border + " plane " + c + " sample " + i);
                }
            }
        }
        float[] flat = new float[3 * h * w];
        java.util.Arrays.fill(flat, 0.25f);
        for (Blur.Border border : Blur.Border.values()) {
            float[] out = Blur.planes(flat, 3, h, w, kernel, border);
            for (float v : out) {
                assertEquals(0.25f, v, 1e-6f, "a flat image stays flat (" + border + ")");
            }
        }
        assertArrayEquals(new float[] {0.5f}, Blur.planes(new float[] {0.5f}, 1, 1, 1, kernel, Blur.Border.REFLECT));
    }

    @Test
    void refusesSamplesThatAreNotThePlanesItIsToldOfAndKernelsWithoutACentre() {
        assertThrows(IllegalArgumentException.class,
                () -> Blur.planes(new float[10], 3, 2, 2, Blur.gaussian(1, 1), Blur.Border.REPEAT));
        assertThrows(IllegalArgumentException.class,
                () -> Blur.plane(new double[4], 2, 2, new double[] {0.5, 0.5}, Blur.Border.REPEAT));
    }
}
