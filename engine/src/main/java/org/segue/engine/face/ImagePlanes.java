package org.segue.engine.face;

import java.awt.image.BufferedImage;

/** 8-bit RGB images as the planar float arrays the face networks take. */
final class ImagePlanes {

    private ImagePlanes() {}

    /** The image as {@code [3, h, w]} in [0, 255]. */
    static float[] chw(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        float[] out = new float[3 * plane];
        int[] row = new int[w];
        // packed 0xRRGGBB rows come straight from the raster; getRGB would convert every pixel through the
        // colour model, which costs more than a small network's pass
        boolean packed = img.getType() == BufferedImage.TYPE_INT_RGB || img.getType() == BufferedImage.TYPE_INT_ARGB;
        for (int y = 0; y < h; y++) {
            if (packed) {
                img.getRaster().getDataElements(0, y, w, 1, row);
            } else {
                img.getRGB(0, y, w, 1, row, 0, w);
            }
            int i = y * w;
            for (int x = 0; x < w; x++, i++) {
                int rgb = row[x];
                out[i] = (rgb >> 16) & 0xFF;
                out[plane + i] = (rgb >> 8) & 0xFF;
                out[2 * plane + i] = rgb & 0xFF;
            }
        }
        return out;
    }
}
