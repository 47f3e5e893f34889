package org.segue.engine.photo;

import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.PhotoResult;
import org.segue.engine.api.BatchSummary;
import org.segue.engine.api.BatchRequest;
import org.segue.engine.api.Identities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.photo.PhotoProtector;
import org.segue.engine.photo.TestEngine;
import org.segue.engine.photo.TestPhotos;
import org.segue.engine.metadata.JpegMetadata;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.internal.DjlRuntime;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input corpus of issue 7, generated here: every file gets a clear reason or is protected,
 * the batch always goes on, originals stay byte-identical and nothing partial is left behind.
 */
class BadInputCorpusIT {

    private static BufferedImage noise(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random r = new Random(w * 31L + h);
        WritableRaster raster = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < raster.getNumBands(); b++) {
                    raster.setSample(x, y, b, r.nextInt(type == BufferedImage.TYPE_USHORT_GRAY ? 65536 : 256));
                }
            }
        }
        return img;
    }

    static byte[] cmykJpeg() throws Exception {
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 48, 32, 4, null);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 48; x++) {
                cmyk.setPixel(x, y, new int[] {x * 5, y * 7, 100, 20});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(cmyk, null, null), null);
        }
        writer.dispose();
        return bytes.toByteArray();
    }

    /** The corpus; the value is what must happen: "protected" or a word the failure reason holds. */
    static Map<String, String> corpus(Path in) throws Exception {
        Map<String, String> expected = new HashMap<>();
        Files.createDirectories(in);
        byte[] jpeg = TestPhotos.encode(noise(160, 120, BufferedImage.TYPE_3BYTE_BGR), "jpeg");
        byte[] png = TestPhotos.encode(noise(160, 120, BufferedImage.TYPE_3BYTE_BGR), "png");
        Files.write(in.resolve("good.png"), png);
        expected.put("good.png", "protected");
        Files.write(in.resolve("zero.jpg"), new byte[0]);
        expected.put("zero.jpg", "empty");
        Files.write(in.resolve("truncated.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
        expected.put("truncated.jpg", "JPEG");
        Files.write(in.resolve("truncated.png"), java.util.Arrays.copyOf(png, png.length / 2));
        expected.put("truncated.png", "PNG");
        Files.writeString(in.resolve("text.jpg"), "Dear diary, this is not a photo.");
        expected.put("text.jpg", "not a JPEG");
        Files.write(in.resolve("bomb.png"), TestPhotos.pngDeclaring(100000, 100000));
        expected.put("bomb.png", "exceeds the limit");
        Files.write(in.resolve("large.png"), TestPhotos.encode(noise(1200, 1000, BufferedImage.TYPE_BYTE_GRAY), "png"));
        expected.put("large.png", "exceeds the limit"); // the test sets a 1 MP limit
        Files.write(in.resolve("cmyk.jpg"), cmykJpeg());
        expected.put("cmyk.jpg", "CMYK");
        Files.write(in.resolve("grey16.tif"), TestPhotos.encode(noise(64, 48, BufferedImage.TYPE_USHORT_GRAY), "tiff"));
        expected.put("grey16.tif", "protected");
        byte[] lut = new byte[4];
        byte[] alpha = {0, (byte) 255, (byte) 128, (byte) 255};
        BufferedImage palette = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_BINARY,
                new IndexColorModel(2, 4, new byte[] {0, 80, (byte) 160, (byte) 240}, lut, lut, alpha));
        Files.write(in.resolve("palette-alpha.png"), TestPhotos.encode(palette, "png"));
        expected.put("palette-alpha.png", "protected");
        Files.write(in.resolve("grey.jpg"), TestPhotos.encode(noise(80, 60, BufferedImage.TYPE_BYTE_GRAY), "jpeg"));
        expected.put("grey.jpg", "protected");
        Files.write(in.resolve("one-pixel.png"), TestPhotos.encode(noise(1, 1, BufferedImage.TYPE_3BYTE_BGR), "png"));
        expected.put("one-pixel.png", "protected");
        byte[] junkExif = "Exif\0\0MM\0*\0\0\0\u0008\u00ff\u00ffgarbage".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(in.resolve("corrupt-exif.jpg"), TestPhotos.jpegWith(noise(64, 64, BufferedImage.TYPE_3BYTE_BGR),
                List.of(new JpegMetadata.Segment(0xE1, junkExif))));
        expected.put("corrupt-exif.jpg", "protected");
        Files.createSymbolicLink(in.resolve("vanished.jpg"), in.resolve("no-such-target.jpg"));
        expected.put("vanished.jpg", "no such file");
        Files.createDirectories(in.resolve("loop"));
        Files.createSymbolicLink(in.resolve("loop/back-up"), in);
        return expected;
    }

    private static Map<String, String> checksums(Path root) throws Exception {
        Map<String, String> sums = new HashMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                sums.put(root.relativize(p).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return sums;
    }

    @Test
    void everyBadFileIsReportedAndTheBatchGoesOn(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Map<String, String> expected = corpus(in);
        Map<String, String> before = checksums(in);
        Path out = dir.resolve("out");
        PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(), TestEngine.detector(),
                ProtectionOptions.builder().maxMegapixels(1).build());
        BatchSummary s = PhotoBatch.run(protector, new Identities.Grouped(0), new BatchRequest(List.of(in), out, false, false, null,
                out.resolve("report.json")), ProgressListener.NONE, new Cancellation());

        Map<String, PhotoResult> byPhoto = s.results().stream()
                .collect(Collectors.toMap(PhotoResult::photo, r -> r, (a, b) -> a));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            PhotoResult r = byPhoto.get(e.getKey());
            assertTrue(r != null, e.getKey() + " missing from the report: " + byPhoto.keySet());
            if (e.getValue().equals("protected")) {
                // read and written: these test files hold no face, so the default policy copies them
                assertEquals(PhotoResult.Status.NO_FACE, r.status(), e.getKey() + ": " + r.reason());
                assertTrue(Files.isRegularFile(out.resolve(e.getKey())), e.getKey() + " not written");
            } else {
                assertEquals(PhotoResult.Status.FAILED, r.status(), e.getKey());
                assertTrue(r.reason().toLowerCase().contains(e.getValue().toLowerCase()),
                        e.getKey() + ": reason '" + r.reason() + "' should mention " + e.getValue());
                assertFalse(Files.exists(out.resolve(e.getKey())), e.getKey() + ": no output for a failed photo");
            }
        }
        assertTrue(s.results().stream().anyMatch(r -> r.reason() != null && r.reason().contains("loop")),
                "the symlink loop is reported: " + s.results());
        long failures = expected.values().stream().filter(v -> !v.equals("protected")).count();
        assertEquals(failures + 1, s.failed().size(), "failures counted (the loop included)");
        assertEquals(before, checksums(in), "every original is byte-identical");
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.noneMatch(p -> AtomicFiles.isTemporary(p.getFileName().toString())), "no temporary files");
        }
    }

    @Test
    void anOutputFolderThatCannotBeWrittenFailsEachPhotoClearly(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("a.png"), TestPhotos.encode(noise(50, 40, BufferedImage.TYPE_3BYTE_BGR), "png"));
        Files.write(in.resolve("b.png"), TestPhotos.encode(noise(50, 40, BufferedImage.TYPE_3BYTE_BGR), "png"));
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "a file where the output folder should be");
        Path out = blocker.resolve("protected");
        BatchSummary s = PhotoBatch.run(new PhotoProtector(TestEngine.defaultModel(), TestEngine.detector(), ProtectionOptions.defaults()),
                new Identities.Person("x"), new BatchRequest(List.of(in), out, false, false, null, null),
                ProgressListener.NONE, new Cancellation());
        assertEquals(2, s.failed().size());
        for (PhotoResult r : s.failed()) {
            assertTrue(r.reason().contains("not-a-folder"), r.reason());
        }
    }
}
