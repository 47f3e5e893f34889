package org.segue.engine.face;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImagePlanesTest {

    @Test
    void everyImageTypeAndSubimageGivesTheColourModelsRgb() {
        Random random = new Random(3);
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
                BufferedImage.TYPE_3BYTE_BGR}) {
            BufferedImage img = new BufferedImage(37, 23, type);
            for (int y = 0; y < 23; y++) {
                for (int x = 0; x < 37; x++) {
                    img.setRGB(x, y, 0xFF000000 | random.nextInt(1 << 24));
                }
            }
            for (BufferedImage view : new BufferedImage[] {img, img.getSubimage(5, 7, 19, 11)}) {
                float[] planes = ImagePlanes.chw(view);
                int w = view.getWidth();
                int plane = w * view.getHeight();
                for (int y = 0; y < view.getHeight(); y++) {
                    for (int x = 0; x < w; x++) {
                        int rgb = view.getRGB(x, y);
                        int i = y * w + x;
                        assertEquals((rgb >> 16) & 0xFF, planes[i], "red, type " + type);
                        assertEquals((rgb >> 8) & 0xFF, planes[plane + i], "green, type " + type);
                        assertEquals(rgb & 0xFF, planes[2 * plane + i], "blue, type " + type);
                    }
                }
            }
        }
    }
}
