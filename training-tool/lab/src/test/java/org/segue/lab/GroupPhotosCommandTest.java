package org.segue.lab;

import org.junit.jupiter.api.Test;
import org.segue.engine.internal.RgbImage;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GroupPhotosCommandTest {

    @Test
    void theMirrorImageSwapsColumnsInEveryChannel() {
        int h = 2;
        int w = 3;
        float[] chw = new float[3 * h * w];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = i;
        }
        RgbImage mirror = GroupPhotosCommand.mirrored(new RgbImage(chw, h, w));
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    assertEquals(chw[(c * h + y) * w + (w - 1 - x)], mirror.get(c, y, x));
                }
            }
        }
        assertEquals(java.util.Arrays.toString(chw),
                java.util.Arrays.toString(GroupPhotosCommand.mirrored(mirror).chw()), "twice is the image itself");
    }
}
