package org.segue.engine.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageCodecTest {

    private static final int[] SAMPLES = {0, 30, 50, 128, 200, 255};

    @Test
    void greyPngSamplesAreReadAsStoredNotBrightenedAsLinearLight(@TempDir Path dir) throws Exception {
        BufferedImage grey = new BufferedImage(SAMPLES.length, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, SAMPLES.length, 1, 0, SAMPLES);

        assertSamples(readAsPng(grey, dir), SAMPLES, 255);
    }

    @Test
    void sixteenBitGreyIsScaledByItsOwnRange(@TempDir Path dir) throws Exception {
        int[] samples = {0, 7710, 32768, 65535};
        BufferedImage grey = new BufferedImage(samples.length, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSamples(0, 0, samples.length, 1, 0, samples);

        assertSamples(readAsPng(grey, dir), samples, 65535);
    }

    @Test
    void greyWithAlphaKeepsItsGreySamples(@TempDir Path dir) throws Exception {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(SAMPLES.length, 1);
        raster.setSamples(0, 0, SAMPLES.length, 1, 0, SAMPLES);
        raster.setSamples(0, 0, SAMPLES.length, 1, 1, new int[] {255, 255, 255, 255, 255, 255});

        assertSamples(readAsPng(new BufferedImage(cm, raster, false, null), dir), SAMPLES, 255);
    }

    @Test
    void rgbSamplesAreReadUnchanged(@TempDir Path dir) throws Exception {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, (30 << 16) | (60 << 8) | 90);
        rgb.setRGB(1, 0, (255 << 16) | (0 << 8) | 128);

        RgbImage read = readAsPng(rgb, dir);
        float[] chw = read.chw();
        assertEquals(30, Math.round(chw[0] * 255));
        assertEquals(60, Math.round(chw[2] * 255));
        assertEquals(90, Math.round(chw[4] * 255));
        assertEquals(255, Math.round(chw[1] * 255));
        assertEquals(0, Math.round(chw[3] * 255));
        assertEquals(128, Math.round(chw[5] * 255));
    }

    /** Writes the image as a PNG file with ImageIO and reads it back through the codec under test. */
    private static RgbImage readAsPng(BufferedImage image, Path dir) throws Exception {
        Path file = Files.createTempFile(dir, "image", ".png");
        ImageIO.write(image, "png", file.toFile());
        return ImageCodec.read(file);
    }

    private static void assertSamples(RgbImage image, int[] expected, int maxValue) {
        int plane = image.width() * image.height();
        assertEquals(expected.length, plane);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                assertEquals(expected[i] / (float) maxValue, image.chw()[c * plane + i], 1e-6f,
                        "plane " + c + ", pixel " + i);
            }
        }
    }
}
