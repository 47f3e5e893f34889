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

    @Test
    void aRegionIsCutAlikeFromEveryChannelAndARegionOutsideIsRefused() {
        int h = 3;
        int w = 4;
        float[] chw = new float[3 * h * w];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = i;
        }
        RgbImage image = new RgbImage(chw, h, w);
        RgbImage cut = SheetsCommand.cut(image, new int[] {1, 1, 2, 2});
        assertEquals(2, cut.height());
        assertEquals(2, cut.width());
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 2; x++) {
                    assertEquals(image.get(c, 1 + y, 1 + x), cut.get(c, y, x), "channel " + c + " at " + y + "," + x);
                }
            }
        }
        assertEquals(image, SheetsCommand.cut(image, null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SheetsCommand.cut(image, new int[] {3, 0, 2, 1}));
    }
}
