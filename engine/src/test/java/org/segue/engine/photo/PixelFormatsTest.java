package org.segue.engine.photo;

import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.StrengthPreset;
import org.segue.engine.spi.FaceBox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.DjlRuntime;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every supported layout is protected in place: samples outside the face region are bit-identical in
 * the saved lossless file, inside they move by at most eps, alpha never changes. The face region comes
 * from a detector that reports a fixed box, since these synthetic images hold no real face.
 */
class PixelFormatsTest {

    enum Layout { RGB8_PNG, RGBA8_PNG, GREY8_PNG, GREY16_PNG, RGB16_PNG, PALETTE_ALPHA_PNG, RGB8_TIFF, GREY16_TIFF, RGB8_BMP }

    private static BufferedImage make(Layout layout, int w, int h) {
        Random random = new Random(7);
        BufferedImage img = switch (layout) {
            case RGB8_PNG, RGB8_TIFF, RGB8_BMP -> new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            case RGBA8_PNG -> new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR);
            case GREY8_PNG -> new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            case GREY16_PNG, GREY16_TIFF -> new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
            case RGB16_PNG -> {
                ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false,
                        false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
                yield new BufferedImage(cm, cm.createCompatibleWritableRaster(w, h), false, null);
            }
            case PALETTE_ALPHA_PNG -> {
                byte[] r = new byte[16];
                byte[] g = new byte[16];
                byte[] b = new byte[16];
                byte[] a = new byte[16];
                for (int i = 0; i < 16; i++) {
                    r[i] = (byte) (i * 16);
                    g[i] = (byte) (255 - i * 16);
                    b[i] = (byte) (i * 8);
                    a[i] = (byte) (i == 0 ? 0 : 255);
                }
                yield new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(4, 16, r, g, b, a));
            }
        };
        WritableRaster raster = img.getRaster();
        int max = (1 << img.getColorModel().getComponentSize(0)) - 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int band = 0; band < raster.getNumBands(); band++) {
                    int v = layout == Layout.PALETTE_ALPHA_PNG ? random.nextInt(16)
                            : (int) Math.min(max, ((x + y * band) % 97) / 96.0 * max * 0.8 + random.nextInt(Math.max(1, max / 10)));
                    raster.setSample(x, y, band, v);
                }
            }
        }
        return img;
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void outsideBitIdenticalInsideWithinTheBound(Layout layout) throws Exception {
        BufferedImage image = make(layout, 160, 128);
        String format = layout.name().endsWith("TIFF") ? "tiff" : layout.name().endsWith("BMP") ? "bmp" : "png";
        byte[] file = TestPhotos.encode(image, format);
        // the full budget, where the bound is widest and every layout must still hold it
        PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(), new FixedBoxDetector(),
                ProtectionOptions.builder().strength(StrengthPreset.HIGH).build());
        PhotoProtector.Analysed a = protector.analyse(file, "synthetic." + format);
        PhotoProtector.Result result = protector.protect(a, new int[] {3});
        assertEquals(a.decoded().format().imageIoName(), format.equals("tiff") ? "tiff" : format);

        BufferedImage before = ImageIO.read(new ByteArrayInputStream(file));
        BufferedImage after = ImageIO.read(new ByteArrayInputStream(result.output()));
        assertEquals(before.getWidth(), after.getWidth());
        FaceBox region = result.faces().get(0).region();
        boolean palette = layout == Layout.PALETTE_ALPHA_PNG;
        int max = palette ? 255 : (1 << before.getColorModel().getComponentSize(0)) - 1;
        int bound = Math.round(8f / 255 * max);
        int largest = 0;
        for (int y = 0; y < before.getHeight(); y++) {
            for (int x = 0; x < before.getWidth(); x++) {
                boolean inside = region.contains(x, y);
                if (palette) { // palettes cannot hold new colours: the output is RGBA with the same colours outside
                    int p = before.getRGB(x, y);
                    int q = after.getRGB(x, y);
                    assertEquals(p >>> 24, q >>> 24, "alpha at " + x + "," + y);
                    for (int shift = 0; shift <= 16; shift += 8) {
                        int d = Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
                        assertTrue(inside ? d <= bound : d == 0, layout + " at " + x + "," + y + ": " + d);
                        largest = Math.max(largest, d);
                    }
                    continue;
                }
                Raster r0 = before.getRaster();
                Raster r1 = after.getRaster();
                assertEquals(r0.getNumBands(), r1.getNumBands());
                for (int band = 0; band < r0.getNumBands(); band++) {
                    int d = Math.abs(r0.getSample(x, y, band) - r1.getSample(x, y, band));
                    boolean alpha = before.getColorModel().hasAlpha() && band == r0.getNumBands() - 1;
                    assertTrue(inside && !alpha ? d <= bound : d == 0,
                            layout + " band " + band + " at " + x + "," + y + " changed by " + d);
                    largest = Math.max(largest, d);
                }
            }
        }
        assertTrue(largest > bound / 4, layout + ": the face region was hardly perturbed (" + largest + ")");
        assertEquals(largest, result.maxChange());
    }

    /**
     * A grey image keeps only the mean of the model's three colour planes, which at a low strength can round to no
     * change in any sample. At every strength the grey photo either has changed samples in its face, as its result
     * says, or is refused with that reason: never reported protected unchanged. At the full budget it is protected.
     */
    @Test
    void aGreyPhotoIsNeverReportedProtectedUnchanged() throws Exception {
        byte[] file = TestPhotos.encode(make(Layout.GREY8_PNG, 160, 128), "png");
        Raster before = ImageIO.read(new ByteArrayInputStream(file)).getRaster();
        List<Integer> refused = new ArrayList<>();
        for (int levels = 1; levels <= ProtectionOptions.MAX_LEVELS; levels++) {
            PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(), new FixedBoxDetector(),
                    ProtectionOptions.builder().strengthLevels(levels).build());
            PhotoProtector.Analysed a = protector.analyse(file, "grey.png");
            try {
                PhotoProtector.Result result = protector.protect(a, new int[] {3});
                Raster after = ImageIO.read(new ByteArrayInputStream(result.output())).getRaster();
                int largest = 0;
                for (int y = 0; y < before.getHeight(); y++) {
                    for (int x = 0; x < before.getWidth(); x++) {
                        largest = Math.max(largest, Math.abs(before.getSample(x, y, 0) - after.getSample(x, y, 0)));
                    }
                }
                assertTrue(largest > 0, "reported protected at " + levels + " levels with no sample changed");
                assertEquals(largest, result.maxChange(), "at " + levels + " levels");
            } catch (PhotoException e) {
                assertTrue(e.reason().contains("face 1 of 1 would not change") && e.reason().contains("grey image")
                        && e.reason().contains("nothing was written"), e.reason());
                refused.add(levels);
            }
        }
        assertFalse(refused.contains(ProtectionOptions.MAX_LEVELS), "refused at every strength " + refused);
    }

    private static PhotoException refused(byte[] bytes, long maxPixels) {
        return assertThrows(PhotoException.class, () -> PhotoCodec.decode(bytes, "input", maxPixels));
    }

    @Test
    void badFilesAreRefusedWithTheirReason() throws Exception {
        byte[] jpeg = TestPhotos.encode(make(Layout.RGB8_PNG, 160, 128), "jpeg");
        byte[] png = TestPhotos.encode(make(Layout.RGB8_PNG, 160, 128), "png");
        assertTrue(refused(new byte[0], 1000000).reason().contains("empty"));
        assertTrue(refused("hello, I am text".getBytes(StandardCharsets.US_ASCII), 1000000).reason().contains("not a JPEG"));
        assertTrue(refused(java.util.Arrays.copyOf(jpeg, jpeg.length / 2), 1000000).reason().contains("JPEG"));
        assertTrue(refused(java.util.Arrays.copyOf(png, png.length / 2), 1000000).reason().contains("PNG"));
        assertTrue(refused("GIF89a....".getBytes(StandardCharsets.US_ASCII), 1000000).reason().contains("GIF"));
        assertTrue(refused(png, 1000).reason().contains("exceeds the limit"));
        PhotoException bomb = refused(TestPhotos.pngDeclaring(100000, 100000), PhotoCodec.DEFAULT_MAX_PIXELS);
        assertTrue(bomb.reason().contains("100000x100000"), bomb.reason());
    }

    /**
     * protect() works in the analysed photo's own pixels (no second copy of a large photo); protectPixels()
     * leaves them as decoded. Both give the same protected pixels.
     */
    @Test
    void protectUsesUpThePhotoProtectPixelsLeavesIt() throws Exception {
        byte[] file = TestPhotos.encode(make(Layout.RGB8_PNG, 160, 128), "png");
        PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(), new FixedBoxDetector(),
                ProtectionOptions.defaults());
        PhotoProtector.Analysed kept = protector.analyse(file, "kept.png");
        BufferedImage decoded = kept.decoded().pixels().image();
        int[] before = decoded.getRGB(0, 0, 160, 128, null, 0, 160);
        PhotoProtector.ProtectedPixels copy = protector.protectPixels(kept, new int[] {3});
        assertTrue(copy.pixels().image() != decoded, "protectPixels must work on a copy");
        assertTrue(java.util.Arrays.equals(before, decoded.getRGB(0, 0, 160, 128, null, 0, 160)),
                "protectPixels changed the analysed photo");

        PhotoProtector.Analysed usedUp = protector.analyse(file, "used-up.png");
        PhotoProtector.Result result = protector.protect(usedUp, new int[] {3});
        assertTrue(result.pixels().image() == usedUp.decoded().pixels().image(), "protect should not copy the photo");
        int[] protectedInPlace = usedUp.decoded().pixels().image().getRGB(0, 0, 160, 128, null, 0, 160);
        assertTrue(java.util.Arrays.equals(copy.pixels().image().getRGB(0, 0, 160, 128, null, 0, 160), protectedInPlace),
                "in place and on a copy differ");
        assertTrue(copy.maxChange() > 0 && copy.maxChange() == result.maxChange());
        // a second perturbation on top of the first would break the budget: refused either way
        assertThrows(IllegalStateException.class, () -> protector.protect(usedUp, new int[] {3}));
        assertThrows(IllegalStateException.class, () -> protector.protectPixels(usedUp, new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> protector.protect(kept, new int[] {3, 4}));
        protector.protect(kept, new int[] {3}); // a refused call leaves the photo usable
    }
}
