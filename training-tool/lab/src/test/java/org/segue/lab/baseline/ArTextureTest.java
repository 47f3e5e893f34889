package org.segue.lab.baseline;

import org.junit.jupiter.api.Test;
import org.segue.engine.generator.FaceMask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArTextureTest {

    private static final int H = 96;
    private static final int W = 96;
    private static final float EPS = 8f / 255;

    @Test
    void aFreshSampleForEveryFaceWithinTheBudgetAndTheOvalGreyWhereAsked() {
        ArTexture ar = new ArTexture(1, EPS, true, 3);
        float[] a = ar.pattern(0, 11, H, W);
        assertArrayEquals(a, new ArTexture(1, EPS, true, 3).pattern(0, 11, H, W), "a sample is reproducible");
        assertFalse(java.util.Arrays.equals(a, ar.pattern(0, 12, H, W)), "each face gets a sample of its own");
        float[] oval = FaceMask.FACE.weights(H, W);
        for (int i = 0; i < H * W; i++) {
            assertTrue(Math.abs(a[i]) <= EPS * oval[i] + 1e-7f, "within the budget, weighted by the oval");
            assertEquals(a[i], a[H * W + i], "grey: green as red");
            assertEquals(a[i], a[2 * H * W + i], "grey: blue as red");
        }
        float[] colour = new ArTexture(1, EPS, false, 3).pattern(0, 11, H, W);
        assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOfRange(colour, 0, H * W),
                java.util.Arrays.copyOfRange(colour, H * W, 2 * H * W)), "colour: a process per plane");
    }

    /**
     * The property the method rests on: a person's own 3x3 filter (coefficients, minus one at the centre) leaves only
     * the innovations of that person's samples, so it leaves less of them than of anyone else's, wherever it looks.
     */
    @Test
    void aPersonsOwnFilterAnnihilatesTheirSamplesBetterThanOthers() {
        ArTexture ar = new ArTexture(1, 1f, true, 5);
        for (int person = 0; person < 4; person++) {
            double[] b = ar.coefficients(person, 0);
            double own = residual(b, ar.pattern(person, 100 + person, H, W));
            for (int other = 0; other < 4; other++) {
                if (other != person) {
                    double theirs = residual(b, ar.pattern(other, 200 + other, H, W));
                    assertTrue(own < theirs, "person " + person + "'s filter: own residual " + own
                            + " against person " + other + "'s " + theirs);
                }
            }
        }
    }

    @Test
    void cellsRunTheProcessAtACoarserGrid() {
        float[] a = new ArTexture(2, EPS, true, 1).pattern(0, 1, H, W);
        for (int y = 0; y < H; y += 2) {
            for (int x = 0; x < W; x += 2) {
                float v = a[y * W + x];
                float right = a[y * W + x + 1];
                if (v != 0 && right != 0) {
                    assertEquals(Math.signum(v), Math.signum(right), "one value per 2x2 cell");
                }
            }
        }
    }

    @Test
    void refusesACellOrBudgetOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new ArTexture(0, EPS, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new ArTexture(1, 0, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new ArTexture(1, 1.5f, true, 0));
    }

    /**
     * Mean square of the filter's output over the middle of the face (away from the oval's feathered edge, where the
     * weighting changes the process), relative to the sample's own mean square.
     */
    private static double residual(double[] b, float[] pattern) {
        double out = 0;
        double in = 0;
        for (int i = H / 3; i < 2 * H / 3; i++) {
            for (int j = W / 3; j < 2 * W / 3; j++) {
                double v = -pattern[i * W + j];
                for (int k = 0; k < 3; k++) {
                    for (int l = 0; l < 3; l++) {
                        v += b[k * 3 + l] * pattern[(i - 2 + k) * W + j - 2 + l];
                    }
                }
                out += v * v;
                in += (double) pattern[i * W + j] * pattern[i * W + j];
            }
        }
        return out / in;
    }
}
