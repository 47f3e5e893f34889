package org.segue.engine.internal;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageOpsTest {

    @Test
    void resamplingAveragesWhenShrinkingAndInterpolatesWhenEnlarging() {
        float[] grey = {
                1, 3, 0, 0,
                5, 7, 0, 4,
                2, 2, 9, 9,
                2, 2, 9, 9};
        // 4 -> 2: each output pixel is the mean of a 2x2 block
        assertArrayEquals(new float[] {4, 1, 2, 9}, ImageOps.resizePlanes(grey, 1, 4, 4, 2, 2), 1e-6f);
        // 2 -> 4 along each axis: pixel centres at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped) of the source
        float[] small = {0, 4, 8, 12};
        float[] up = ImageOps.resizePlanes(small, 1, 2, 2, 4, 4);
        assertArrayEquals(new float[] {0, 1, 3, 4}, Arrays.copyOfRange(up, 0, 4), 1e-6f);
        assertArrayEquals(new float[] {2, 3, 5, 6}, Arrays.copyOfRange(up, 4, 8), 1e-6f);
        assertArrayEquals(new float[] {8, 9, 11, 12}, Arrays.copyOfRange(up, 12, 16), 1e-6f);
        // same size: untouched
        assertArrayEquals(grey, ImageOps.resizePlanes(grey, 1, 4, 4, 4, 4));
        // 3 -> 2 (non-integer factor): output 0 covers source [0, 1.5), so weights 2/3 and 1/3
        float[] three = {3, 6, 9, 3, 6, 9, 3, 6, 9};
        assertArrayEquals(new float[] {4, 8, 4, 8}, ImageOps.resizePlanes(three, 1, 3, 3, 2, 2), 1e-5f);
    }

    @Test
    void flatRegionsStayExactlyFlatAndPlanesStaySeparate() {
        float[] twoPlanes = new float[2 * 7 * 5];
        Arrays.fill(twoPlanes, 0, 35, 0.1f);
        Arrays.fill(twoPlanes, 35, 70, 0.7f);
        float[] out = ImageOps.resizePlanes(twoPlanes, 2, 7, 5, 3, 4);
        for (int i = 0; i < 12; i++) {
            assertEquals(0.1f, out[i]);
            assertEquals(0.7f, out[12 + i]);
        }
        RgbImage img = new RgbImage(new float[3 * 6 * 6], 6, 6);
        assertEquals(img, ImageOps.resize(img, 6, 6));
        assertEquals(3, ImageOps.resize(img, 3, 2).height());
    }

    @Test
    void greyIsTheLumaOnEveryChannelSoAColourChangeOfEqualLumaVanishes() {
        float[] a = {0.2f, 0.6f, 0.5f, 0.1f, 0.9f, 0.3f}; // two pixels, planes R, G, B
        RgbImage grey = ImageOps.grey(new RgbImage(a, 1, 2));
        float y0 = 0.299f * 0.2f + 0.587f * 0.5f + 0.114f * 0.9f;
        for (int c = 0; c < 3; c++) {
            assertEquals(y0, grey.get(c, 0, 0), 1e-6f);
        }
        // a red-green change of equal luma: +0.587 red against -0.299 green (scaled) leaves the grey image as it was
        float[] b = a.clone();
        b[0] += 0.587f * 0.1f;
        b[2] -= 0.299f * 0.1f;
        assertEquals(grey.get(0, 0, 0), ImageOps.grey(new RgbImage(b, 1, 2)).get(0, 0, 0), 1e-6f);
    }

    @Test
    void aCropIsTheSameRectangleOfEveryPlaneAndTheCentreCropIsOne() {
        float[] chw = new float[3 * 4 * 6];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = i;
        }
        RgbImage image = new RgbImage(chw, 4, 6);
        RgbImage crop = ImageOps.crop(image, 3, 1, 2, 3);
        assertEquals(3, crop.height());
        assertEquals(2, crop.width());
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 2; x++) {
                    assertEquals(image.get(c, 1 + y, 3 + x), crop.get(c, y, x));
                }
            }
        }
        // half of 4 x 6 is 2 x 3, centred at (1, 1) (x rounds down)
        assertArrayEquals(ImageOps.crop(image, 1, 1, 3, 2).chw(), ImageOps.centreCrop(image, 0.5).chw());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ImageOps.crop(image, 5, 0, 2, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ImageOps.crop(image, 0, -1, 1, 1));
    }
}
