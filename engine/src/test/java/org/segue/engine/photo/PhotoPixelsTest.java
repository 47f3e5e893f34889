package org.segue.engine.photo;

import org.segue.engine.spi.FaceBox;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PhotoPixels reads and writes 8-bit interleaved rasters (what decoders give) directly in their byte
 * array and every other layout through the generic Raster calls. The same picture stored both ways
 * must give the same samples, preview and protected pixels.
 */
class PhotoPixelsTest {

    private static BufferedImage picture(int type, int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random random = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, 0xFF000000 | random.nextInt(1 << 24));
            }
        }
        return img;
    }

    /** The same pixels in TYPE_INT_RGB: packed ints, which only the generic path reads. */
    private static BufferedImage asIntRgb(BufferedImage img) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                out.setRGB(x, y, img.getRGB(x, y));
            }
        }
        return out;
    }

    private static float[] delta(int plane, long seed) {
        Random random = new Random(seed);
        float[] d = new float[3 * plane];
        for (int i = 0; i < d.length; i++) {
            d[i] = (random.nextFloat() * 2 - 1) * 8f / 255f;
        }
        return d;
    }

    private static int[] rgb(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void byteRastersReadAndWriteAsTheGenericPathDoes() throws PhotoException {
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR}) {
            BufferedImage bytes = picture(type, 37, 29, type);
            BufferedImage ints = asIntRgb(bytes);
            PhotoPixels fast = PhotoPixels.of(bytes, "bytes");
            PhotoPixels generic = PhotoPixels.of(ints, "ints");
            assertTrue(fast.readsBytesDirectly(), "type " + type + " takes the direct path");
            assertFalse(generic.readsBytesDirectly());
            FaceBox box = new FaceBox(5, 3, 21, 17);
            int[][] a = fast.readSamples(box);
            int[][] b = generic.readSamples(box);
            for (int c = 0; c < 3; c++) {
                assertArrayEquals(b[c], a[c], "band " + c + " of type " + type);
            }
            assertArrayEquals(rgb(generic.preview(3)), rgb(fast.preview(3)), "preview of type " + type);

            float[] d = delta(box.width() * box.height(), 11);
            int changedFast = fast.writePerturbed(box, a, d);
            int changedGeneric = generic.writePerturbed(box, b, d);
            assertEquals(changedGeneric, changedFast);
            assertArrayEquals(rgb(ints), rgb(bytes), "protected pixels of type " + type);
        }
    }

    @Test
    void aGreyPreviewIsEachBlocksMeanInEveryChannel() throws PhotoException {
        BufferedImage grey = new BufferedImage(23, 17, BufferedImage.TYPE_BYTE_GRAY);
        Random random = new Random(4);
        for (int y = 0; y < 17; y++) {
            for (int x = 0; x < 23; x++) {
                grey.getRaster().setSample(x, y, 0, random.nextInt(256));
            }
        }
        PhotoPixels pixels = PhotoPixels.of(grey, "grey");
        assertTrue(pixels.readsBytesDirectly());
        BufferedImage preview = pixels.preview(4);
        assertEquals(5, preview.getWidth());
        assertEquals(4, preview.getHeight());
        for (int py = 0; py < 4; py++) {
            for (int px = 0; px < 5; px++) {
                int sum = 0;
                for (int dy = 0; dy < 4; dy++) {
                    for (int dx = 0; dx < 4; dx++) {
                        sum += grey.getRaster().getSample(4 * px + dx, 4 * py + dy, 0);
                    }
                }
                int mean = Math.round(sum / 16f);
                for (int c = 0; c < 3; c++) {
                    assertEquals(mean, preview.getRaster().getSample(px, py, c), "(" + px + "," + py + ") band " + c);
                }
            }
        }
    }

    @Test
    void aSubImageKeepsItsOwnCoordinates() throws PhotoException {
        BufferedImage whole = picture(BufferedImage.TYPE_3BYTE_BGR, 40, 30, 3);
        BufferedImage part = whole.getSubimage(7, 5, 20, 16); // a child raster sharing the byte array
        BufferedImage reference = asIntRgb(part);
        PhotoPixels fast = PhotoPixels.of(part, "part");
        PhotoPixels generic = PhotoPixels.of(reference, "reference");
        assertTrue(fast.readsBytesDirectly());
        FaceBox box = new FaceBox(2, 1, 15, 12);
        int[][] a = fast.readSamples(box);
        int[][] b = generic.readSamples(box);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(b[c], a[c], "band " + c);
        }
        for (int factor : new int[] {1, 2, 3, 7}) {
            assertArrayEquals(rgb(generic.preview(factor)), rgb(fast.preview(factor)), "preview at 1/" + factor);
        }
        float[] d = delta(box.width() * box.height(), 5);
        fast.writePerturbed(box, a, d);
        generic.writePerturbed(box, b, d);
        assertArrayEquals(rgb(reference), rgb(part));
        // the parent outside the sub-image is untouched
        BufferedImage untouched = picture(BufferedImage.TYPE_3BYTE_BGR, 40, 30, 3);
        for (int x = 0; x < 40; x++) {
            assertEquals(untouched.getRGB(x, 0), whole.getRGB(x, 0));
        }
    }

    @Test
    void aCopyIsEqualAndIndependent() throws PhotoException {
        BufferedImage whole = picture(BufferedImage.TYPE_3BYTE_BGR, 33, 21, 9);
        for (BufferedImage img : new BufferedImage[] {whole, whole.getSubimage(3, 2, 25, 15)}) {
            PhotoPixels original = PhotoPixels.of(img, "original");
            int[] before = rgb(img);
            PhotoPixels copy = original.copy();
            assertArrayEquals(before, rgb(copy.image()));
            FaceBox box = new FaceBox(1, 1, 10, 10);
            float[] d = new float[300];
            java.util.Arrays.fill(d, 8f / 255f);
            int[][] samples = copy.readSamples(box);
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < samples[c].length; i++) {
                    samples[c][i] = 100; // so every sample changes by exactly 8 levels
                }
            }
            assertEquals(8, copy.writePerturbed(box, samples, d));
            assertArrayEquals(before, rgb(img), "writing the copy leaves the original as it was");
            assertEquals(0xFF000000 | (108 << 16) | (108 << 8) | 108, copy.image().getRGB(1, 1));
        }
    }

    @Test
    void aRegionOutsideTheImageIsRefusedNotWrapped() throws PhotoException {
        PhotoPixels fast = PhotoPixels.of(picture(BufferedImage.TYPE_3BYTE_BGR, 20, 20, 1), "bytes");
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> fast.readSamples(new FaceBox(15, 0, 10, 5)));
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> fast.readSamples(new FaceBox(0, 18, 5, 5)));
    }
}
