package org.segue.lab;

import org.junit.jupiter.api.Test;
import org.segue.engine.internal.RgbImage;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SheetsCommandTest {

    @Test
    void aSheetIsOriginalProtectedAndTheAmplifiedDifferenceSideBySide() {
        int h = 2;
        int w = 3;
        float[] a = new float[3 * h * w];
        float[] b = new float[3 * h * w];
        java.util.Arrays.fill(a, 0.4f);
        java.util.Arrays.fill(b, 0.4f);
        b[(1 * h + 1) * w + 2] = 0.42f; // green, row 1, column 2: +0.02
        b[(0 * h + 0) * w + 0] = 0.30f; // red, row 0, column 0: -0.1, clipped at 0 once amplified
        RgbImage sheet = SheetsCommand.sheet(new RgbImage(a, h, w), new RgbImage(b, h, w), 10);
        assertEquals(h, sheet.height());
        assertEquals(3 * w + 8, sheet.width());
        assertEquals(0.4f, sheet.get(1, 1, 2), 1e-6, "the original");
        assertEquals(0.42f, sheet.get(1, 1, w + 4 + 2), 1e-6, "the protected image");
        assertEquals(0.7f, sheet.get(1, 1, 2 * (w + 4) + 2), 1e-5, "grey plus ten times the change");
        assertEquals(0f, sheet.get(0, 0, 2 * (w + 4)), 1e-6, "clipped");
        assertEquals(0.5f, sheet.get(2, 0, 2 * (w + 4) + 1), 1e-6, "no change is grey");
        assertEquals(1f, sheet.get(0, 0, w), 1e-6, "a white gap");
    }
}
