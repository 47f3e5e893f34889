package org.segue.lab.baseline;

import org.junit.jupiter.api.Test;
import org.segue.engine.generator.FaceMask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassTextureTest {

    private static final int H = 40;
    private static final int W = 36;

    @Test
    void onePatternPerPersonOfPlusOrMinusTheBudgetInCellsInsideTheOval() {
        float eps = 8f / 255;
        ClassTexture texture = new ClassTexture(2, eps, true, 7);
        float[] a = texture.pattern(0, H, W);
        assertArrayEquals(a, new ClassTexture(2, eps, true, 7).pattern(0, H, W), "a person's pattern is fixed");
        assertFalse(java.util.Arrays.equals(a, texture.pattern(1, H, W)), "another person's differs");
        float[] oval = FaceMask.FACE.weights(H, W);
        int plus = 0;
        int minus = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                float v = a[y * W + x];
                assertEquals(eps * oval[y * W + x], Math.abs(v), 1e-7f);
                assertEquals(v, a[(H + y) * W + x], "grey: green as red");
                assertEquals(v, a[(2 * H + y) * W + x], "grey: blue as red");
                float corner = a[(y - y % 2) * W + x - x % 2];
                if (v != 0 && corner != 0) {
                    assertEquals(Math.signum(corner), Math.signum(v), "one sign per 2x2 cell");
                }
                plus += v > 0 ? 1 : 0;
                minus += v < 0 ? 1 : 0;
            }
        }
        assertTrue(plus > (plus + minus) / 4 && minus > (plus + minus) / 4, "both signs: " + plus + " / " + minus);
        assertEquals(0f, a[0], "a corner lies outside the oval");
        float[] colour = new ClassTexture(1, eps, false, 7).pattern(0, H, W);
        int centre = H / 2 * W + W / 2;
        assertTrue(colour[centre] != colour[H * W + centre] || colour[centre] != colour[2 * H * W + centre]
                || colour[centre + 1] != colour[H * W + centre + 1], "in colour each channel has its own signs");
        assertThrows(IllegalArgumentException.class, () -> new ClassTexture(0, eps, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new ClassTexture(2, 0f, true, 0));
    }
}
