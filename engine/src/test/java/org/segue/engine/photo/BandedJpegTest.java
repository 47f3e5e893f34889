package org.segue.engine.photo;

import org.junit.jupiter.api.Test;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BandedJpegTest {

    private static byte[] jpeg(BufferedImage image) throws IOException {
        return jpeg(image, 0.9f);
    }

    private static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Smooth shading with texture and noise, so every band's DC and AC coefficients matter. */
    private static BufferedImage photoLike(int w, int h, int type, long seed) {
        BufferedImage image = new BufferedImage(w, h, type);
        Random random = new Random(seed);
        int[] rgb = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (int) (128 + 100 * Math.sin(x / 97.0) * Math.cos(y / 53.0)) + random.nextInt(21) - 10;
                int g = (x * 255 / w + random.nextInt(9)) & 0xFF;
                int b = ((x ^ y) & 0x3F) * 3 + y * 60 / h;
                rgb[x] = (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
            }
            image.setRGB(0, y, w, 1, rgb, 0, w);
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static int[] samples(byte[] file) throws IOException {
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(file));
        return decoded.getRaster().getPixels(0, 0, decoded.getWidth(), decoded.getHeight(), (int[]) null);
    }

    private static boolean hasRestartInterval(byte[] file) {
        for (int i = 0; i + 1 < file.length; i++) {
            if ((file[i] & 0xFF) == 0xFF && (file[i + 1] & 0xFF) == 0xDA) {
                return false; // the scan began without one
            }
            if ((file[i] & 0xFF) == 0xFF && (file[i + 1] & 0xFF) == 0xDD) {
                return true;
            }
        }
        return false;
    }

    private static void decodesAsTheWhole(BufferedImage image, int cores) throws IOException {
        byte[] whole = jpeg(image);
        byte[] banded = BandedJpeg.encode(image, BandedJpegTest::jpeg, cores);
        assertTrue(hasRestartInterval(banded), "the image was encoded in bands, joined by restart markers");
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(banded));
        assertEquals(image.getWidth(), decoded.getWidth());
        assertEquals(image.getHeight(), decoded.getHeight());
        assertArrayEquals(samples(whole), samples(banded), "every decoded sample as from one encoding");
    }

    @Test
    void colourBandsDecodeToTheSamplesOfOneEncoding() throws IOException {
        // neither side a multiple of the 16 px MCU: the last band and the right edge are padded by the encoder
        decodesAsTheWhole(photoLike(1999, 1203, BufferedImage.TYPE_3BYTE_BGR, 1), 2);
    }

    @Test
    void manyBandsCycleThroughTheRestartMarkers() throws IOException {
        // eleven bands: the markers RST0..RST7 and round again
        decodesAsTheWhole(photoLike(1500, 1400, BufferedImage.TYPE_3BYTE_BGR, 2), 11);
    }

    @Test
    void greyBandsDecodeToTheSamplesOfOneEncoding() throws IOException {
        decodesAsTheWhole(photoLike(1800, 1250, BufferedImage.TYPE_BYTE_GRAY, 3), 3);
    }

    @Test
    void anImageTooTallForJpegIsRefusedAsByOneEncoding() {
        // bands of half its height each encode fine, but no libjpeg-based decoder opens a file taller than 65500 rows
        BufferedImage tall = new BufferedImage(40, 65520, BufferedImage.TYPE_3BYTE_BGR);
        assertThrows(IOException.class, () -> jpeg(tall));
        assertThrows(IOException.class, () -> BandedJpeg.encode(tall, BandedJpegTest::jpeg, 2));
    }

    @Test
    void bandsAreWholeMcuRowsAndCountableByARestartInterval() {
        assertEquals(0, BandedJpeg.bandHeight(6000, 4000, 1), "one core: one encoding");
        assertEquals(0, BandedJpeg.bandHeight(1000, 1000, 2), "a small image: one encoding");
        assertEquals(2000, BandedJpeg.bandHeight(1500, 4000, 2));
        assertEquals(1344, BandedJpeg.bandHeight(1500, 4000, 3), "rounded up to whole 16-row MCUs");
        assertEquals(688, BandedJpeg.bandHeight(6000, 4000, 2), "at most 65535 MCUs of 8 x 8 px a band");
        int tall = BandedJpeg.bandHeight(60_000, 2000, 2);
        assertTrue(tall % 16 == 0 && (60_000 / 8) * (long) (tall / 8) <= 0xFFFF,
                "a very wide image: bands low enough for the interval's 16 bits, was " + tall);
        assertEquals(0, BandedJpeg.bandHeight(600_000, 100, 2), "not even one MCU row fits the interval");
    }

    @Test
    void bandsWhoseTablesDifferAreEncodedWhole() throws IOException {
        BufferedImage image = photoLike(1600, 1300, BufferedImage.TYPE_3BYTE_BGR, 4);
        byte[] whole = jpeg(image);
        // an encoder whose bands differ in their tables cannot be joined: the whole image is encoded once
        byte[] out = BandedJpeg.encode(image, band -> band.getHeight() == image.getHeight() ? jpeg(band)
                : jpeg(band, band.getHeight() == 656 ? 0.5f : 0.7f), 2); // the first band's tables differ
        assertFalse(hasRestartInterval(out), "encoded whole, without restart markers");
        assertArrayEquals(samples(whole), samples(out));
    }
}
