package org.segue.lab.eval;

import org.junit.jupiter.api.Test;
import org.segue.engine.internal.RgbImage;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AttackerRunTest {

    @Test
    void greyIsTheLumaOnEveryChannelSoAColourChangeOfEqualLumaVanishes() {
        float[] a = {0.2f, 0.6f, 0.5f, 0.1f, 0.9f, 0.3f}; // two pixels, planes R, G, B
        RgbImage grey = AttackerRun.toGrey(new RgbImage(a, 1, 2));
        float y0 = 0.299f * 0.2f + 0.587f * 0.5f + 0.114f * 0.9f;
        for (int c = 0; c < 3; c++) {
            assertEquals(y0, grey.get(c, 0, 0), 1e-6f);
        }
        // a red-green change of equal luma: +0.587 red against -0.299 green (scaled) leaves the grey image as it was
        float[] b = a.clone();
        b[0] += 0.587f * 0.1f;
        b[2] -= 0.299f * 0.1f;
        assertEquals(grey.get(0, 0, 0), AttackerRun.toGrey(new RgbImage(b, 1, 2)).get(0, 0, 0), 1e-6f);
    }
}
