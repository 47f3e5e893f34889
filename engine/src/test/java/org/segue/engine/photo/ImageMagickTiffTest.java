package org.segue.engine.photo;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.StrengthPreset;
import org.segue.engine.metadata.MetadataPolicy;
import org.segue.engine.metadata.MetadataReport;
import org.segue.engine.spi.FaceBox;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TIFFs as ImageMagick writes them (16-bit ZIP and LZW with the horizontal-differencing predictor, as Photoshop
 * and Lightroom export too; both byte orders, tiles, planar layout, grey, RGB, RGBA, 8-bit) are read sample for
 * sample as ImageMagick wrote them, protected, and written back losslessly at their depth. The files are made from
 * noise by {@code imagemagick/make-fixtures.sh}: the committed ones always, and where ImageMagick is installed the
 * same script's output of that version too.
 */
class ImageMagickTiffTest {

    private static final Path COMMITTED = committedFixtures();

    private static Path committedFixtures() {
        try {
            return Path.of(ImageMagickTiffTest.class.getResource("imagemagick/make-fixtures.sh").toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsAndWritesTheCommittedImageMagickTiffs() throws Exception {
        checkFolder(COMMITTED);
    }

    @Test
    void readsAndWritesTheTiffsOfTheInstalledImageMagick(@TempDir Path dir) throws Exception {
        String convert = imageMagick();
        Assumptions.assumeTrue(convert != null, "skipped: ImageMagick (magick or convert) is not installed; "
                + "the committed files were tested");
        Path script = Files.copy(COMMITTED.resolve("make-fixtures.sh"), dir.resolve("make-fixtures.sh"));
        Process p = new ProcessBuilder("sh", script.toString(), dir.toString(), convert).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "make-fixtures.sh failed: " + output);
        checkFolder(dir);
    }

    /** A truncated 16-bit predictor TIFF is refused, never protected with a part of its pixels made up. */
    @Test
    void aTruncatedTiffIsRefused() throws Exception {
        byte[] whole = Files.readAllBytes(COMMITTED.resolve("rgb16-zip-predictor.tif"));
        // ImageMagick writes the strips first and the directory last: cut inside the pixel data, keep the directory
        byte[] cut = whole.clone();
        java.util.Arrays.fill(cut, 16, 2000, (byte) 0);
        PhotoException damaged = assertThrows(PhotoException.class, () -> PhotoCodec.decode(cut, "cut.tif",
                PhotoCodec.DEFAULT_MAX_PIXELS));
        assertTrue(damaged.reason().contains("TIFF"), damaged.reason());
        byte[] truncated = java.util.Arrays.copyOf(whole, 200);
        PhotoException refused = assertThrows(PhotoException.class, () -> PhotoCodec.decode(truncated, "short.tif",
                PhotoCodec.DEFAULT_MAX_PIXELS));
        assertTrue(refused.reason().contains("TIFF"), refused.reason());
    }

    private static void checkFolder(Path folder) throws Exception {
        List<Path> tiffs;
        try (Stream<Path> files = Files.list(folder)) {
            tiffs = files.filter(f -> f.getFileName().toString().endsWith(".tif")).sorted().toList();
        }
        assertEquals(9, tiffs.size(), "the fixtures of make-fixtures.sh in " + folder);
        // the full budget, where the bound is widest
        PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(), new FixedBoxDetector(),
                ProtectionOptions.builder().strength(StrengthPreset.HIGH).build());
        List<String> checked = new ArrayList<>();
        String convert = imageMagick();
        for (Path tiff : tiffs) {
            String name = tiff.getFileName().toString();
            Raster expected = ImageIO.read(folder.resolve(name.substring(0, name.indexOf('-')) + ".png").toFile()).getRaster();
            byte[] bytes = Files.readAllBytes(tiff);

            PhotoCodec.Decoded decoded = PhotoCodec.decode(bytes, name, PhotoCodec.DEFAULT_MAX_PIXELS);
            assertEquals(PhotoFormat.TIFF, decoded.format());
            assertSameSamples(expected, decoded.pixels().image().getRaster(), name + " as decoded");
            assertEquals(name.contains("16") ? 65535 : 255, decoded.pixels().maxValue(), name);

            PhotoProtector.Result result = protector.protect(protector.analyse(bytes, name), new int[] {3});
            PhotoCodec.Decoded written = PhotoCodec.decode(result.output(), name, PhotoCodec.DEFAULT_MAX_PIXELS);
            assertEquals(PhotoFormat.TIFF, written.format(), name);
            assertEquals(decoded.pixels().maxValue(), written.pixels().maxValue(), name + ": the depth is kept");
            FaceBox region = result.faces().get(0).region();
            int bound = Math.round(8f / 255 * decoded.pixels().maxValue());
            int largest = compareOutsideAndInside(expected, written.pixels().image().getRaster(), region, bound, name);
            assertTrue(largest > bound / 4, name + ": the face region was hardly perturbed (" + largest + ")");

            // what is written opens in other readers too: ImageMagick where installed, and the JDK's own reader at
            // 8 bits (it reads no 16-bit samples with the horizontal-differencing predictor, which the written file
            // has as ImageMagick's, Photoshop's and Lightroom's files have)
            if (convert != null) {
                assertSameSamples(written.pixels().image().getRaster(), readWithImageMagick(convert, result.output(),
                        name), name + " read back by ImageMagick");
            }
            if (decoded.pixels().maxValue() == 255) {
                assertSameSamples(written.pixels().image().getRaster(), readWithJdk(result.output()),
                        name + " read back by the JDK's reader");
            }
            checked.add(name);
        }
        assertFalse(checked.isEmpty());
    }

    /** Where ImageMagick is installed: its command (magick for version 7, convert for 6), else null. */
    static String imageMagick() {
        for (String command : new String[] {"magick", "convert"}) {
            try {
                Process p = new ProcessBuilder(command, "-version").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 && out.contains("ImageMagick")) {
                    return command;
                }
            } catch (IOException | InterruptedException e) {
                // not on the PATH
            }
        }
        return null;
    }

    /** A TIFF as ImageMagick reads it, handed over as a PNG of the same depth. */
    private static Raster readWithImageMagick(String convert, byte[] tiff, String name) throws Exception {
        Path dir = Files.createTempDirectory("segue-imagemagick");
        try {
            Path in = Files.write(dir.resolve("in.tif"), tiff);
            Path png = dir.resolve("out.png");
            String target = name.startsWith("rgb8") ? "PNG24:" + png : png.toString();
            Process p = new ProcessBuilder(convert, in.toString(), target).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "ImageMagick cannot read " + name + ": " + output);
            return ImageIO.read(png.toFile()).getRaster();
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private static Raster readWithJdk(byte[] tiff) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("tiff");
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (reader.getClass().getName().startsWith("com.sun.")) {
                try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(tiff))) {
                    reader.setInput(in);
                    return reader.read(0).getRaster();
                } finally {
                    reader.dispose();
                }
            }
        }
        throw new AssertionError("no JDK TIFF reader");
    }

    private static void assertSameSamples(Raster expected, Raster actual, String what) {
        assertNotNull(actual, what);
        assertEquals(expected.getWidth(), actual.getWidth(), what);
        assertEquals(expected.getHeight(), actual.getHeight(), what);
        assertEquals(expected.getNumBands(), actual.getNumBands(), what + ": bands");
        for (int band = 0; band < expected.getNumBands(); band++) {
            int[] e = expected.getSamples(0, 0, expected.getWidth(), expected.getHeight(), band, (int[]) null);
            int[] a = actual.getSamples(0, 0, actual.getWidth(), actual.getHeight(), band, (int[]) null);
            for (int i = 0; i < e.length; i++) {
                if (e[i] != a[i]) {
                    throw new AssertionError(what + ": band " + band + " at (" + i % expected.getWidth() + ","
                            + i / expected.getWidth() + ") is " + a[i] + ", ImageMagick wrote " + e[i]);
                }
            }
        }
    }

    /** Outside the region the samples are ImageMagick's; inside colour moves by at most the bound, alpha never. */
    private static int compareOutsideAndInside(Raster before, Raster after, FaceBox region, int bound, String what) {
        assertEquals(before.getNumBands(), after.getNumBands(), what);
        boolean alpha = before.getNumBands() == 4;
        int largest = 0;
        for (int y = 0; y < before.getHeight(); y++) {
            for (int x = 0; x < before.getWidth(); x++) {
                for (int band = 0; band < before.getNumBands(); band++) {
                    int d = Math.abs(before.getSample(x, y, band) - after.getSample(x, y, band));
                    boolean colour = !(alpha && band == 3);
                    if (region.contains(x, y) && colour ? d > bound : d != 0) {
                        throw new AssertionError(what + ": band " + band + " at " + x + "," + y + " changed by " + d);
                    }
                    largest = Math.max(largest, d);
                }
            }
        }
        return largest;
    }

    @Test
    void theWrittenTiffKeepsSixteenBitsWithoutAProtector() throws Exception {
        byte[] bytes = Files.readAllBytes(COMMITTED.resolve("grey16-zip-predictor.tif"));
        PhotoCodec.Decoded decoded = PhotoCodec.decode(bytes, "grey", PhotoCodec.DEFAULT_MAX_PIXELS);
        byte[] again = PhotoCodec.encode(decoded, decoded.pixels(), 95, MetadataPolicy.defaults(), new MetadataReport());
        BufferedImage back = PhotoCodec.decode(again, "again", PhotoCodec.DEFAULT_MAX_PIXELS).pixels().image();
        assertSameSamples(decoded.pixels().image().getRaster(), back.getRaster(), "grey 16-bit written and read again");
    }
}
