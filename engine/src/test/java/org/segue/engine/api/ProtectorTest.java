package org.segue.engine.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.photo.FixedBoxDetector;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The front door as a host uses it: open the shipped model, protect a file, a stream and an image in memory. */
class ProtectorTest {

    private static Protector protector;

    @BeforeAll
    static void open() throws IOException {
        protector = Segue.open(ModelSource.shipped(), "cpu", new FixedBoxDetector());
    }

    @AfterAll
    static void close() {
        protector.close();
    }

    private static BufferedImage noise(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Random r = new Random(5);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return img;
    }

    @Test
    void aFileAStreamAndAnImageGiveOneKindOfResult(@TempDir Path dir) throws Exception {
        Path photo = dir.resolve("p.png");
        ImageIO.write(noise(96, 80), "png", photo.toFile());
        ProtectionOptions options = ProtectionOptions.builder().person("Grace Hopper").build();
        PhotoResult file = protector.protect(photo, dir.resolve("out.png"), options);
        assertEquals(PhotoResult.Status.PROTECTED, file.status());
        assertEquals("PNG", file.format());
        assertEquals(1, file.faces().size());
        assertTrue(file.maxChange() >= 1 && file.maxChange() <= 8, "change " + file.maxChange());
        assertNull(file.reason());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PhotoResult stream = protector.protect(new ByteArrayInputStream(Files.readAllBytes(photo)), "p.png", out, options);
        assertEquals(file, stream, "a stream is protected as its file is");
        assertArrayEquals(Files.readAllBytes(dir.resolve("out.png")), out.toByteArray());

        ProtectedImage image = protector.protectImage(ImageIO.read(photo.toFile()), "p.png", options);
        assertEquals(file.faces(), image.result().faces());
        assertEquals(file.maxChange(), image.result().maxChange());
        assertNull(image.result().format(), "an image in memory has no file format");

        PhotoResult mapped = protector.protect(photo, dir.resolve("mapped.png"), options.toBuilder()
                .identities(new Identities.Mapping(Map.of("p.png#0", "Grace Hopper"), 0)).build());
        assertEquals(file, mapped);
        assertArrayEquals(Files.readAllBytes(dir.resolve("out.png")), Files.readAllBytes(dir.resolve("mapped.png")),
                "a mapping line and the person's name give the same protection");
        assertFalse(Identities.person("Grace Hopper").toString().contains("Grace"), "names stay out of logs");
    }

    @Test
    void refusesToOverwriteTheOriginalAndBadOptions(@TempDir Path dir) throws Exception {
        Path photo = dir.resolve("p.png");
        ImageIO.write(noise(64, 64), "png", photo.toFile());
        byte[] before = Files.readAllBytes(photo);
        assertThrows(IOException.class, () -> protector.protect(photo, photo, ProtectionOptions.defaults()));
        assertArrayEquals(before, Files.readAllBytes(photo));
        assertThrows(IllegalArgumentException.class, () -> ProtectionOptions.builder().strengthLevels(9).build());
        assertThrows(IllegalArgumentException.class, () -> ProtectionOptions.builder().jpegQuality(0).build());
        assertThrows(IllegalArgumentException.class, () -> BatchRequest.into(null, photo));
        IOException missing = assertThrows(IOException.class,
                () -> Segue.open(ModelSource.file(dir.resolve("none.segue")), "cpu", new FixedBoxDetector()));
        assertTrue(missing.getMessage().contains("none.segue"), missing.getMessage());
    }

    @Test
    void aStrengthAboveTheModelsBudgetIsRefusedBeforeAnyPhoto(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("two-levels.segue");
        try (org.segue.engine.generator.SegueModel m = org.segue.engine.generator.SegueModel.create(
                new org.segue.engine.generator.ModelInfo(org.segue.engine.generator.SegueGenerator.ARCHITECTURE,
                        2 / 255f, 32, 32, 16, Map.of()), ai.djl.Device.cpu())) {
            m.save(model, Map.of());
        }
        Path photo = dir.resolve("p.png");
        ImageIO.write(noise(64, 64), "png", photo.toFile());
        Path folder = Files.createDirectories(dir.resolve("people"));
        try (Protector small = Segue.open(ModelSource.file(model), "cpu", new FixedBoxDetector())) {
            assertEquals(2, small.maxStrengthLevels());
            ProtectionOptions high = ProtectionOptions.builder().strength(StrengthPreset.HIGH).person("Ada").build();
            Path out = dir.resolve("out.png");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> small.protect(photo, out, high));
            assertTrue(e.getMessage().contains("exceeds the budget") && e.getMessage().contains("2 levels"),
                    e.getMessage());
            assertFalse(Files.exists(out), "nothing is written for a refused strength");
            BatchSummary batch = assertDoesNotThrow(() -> small.protect(BatchRequest.into(dir.resolve("o"), photo),
                    high.toBuilder().strengthLevels(2).build(), ProgressListener.NONE, new Cancellation()));
            assertEquals(1, batch.results().size());
            assertTrue(batch.results().get(0).maxChange() <= 2, "at most the budget");
            assertThrows(IllegalArgumentException.class, () -> small.protect(BatchRequest.into(dir.resolve("o2"), photo),
                    high, ProgressListener.NONE, new Cancellation()), "a batch is refused as a whole, not photo by photo");
            assertFalse(Files.exists(dir.resolve("o2")));
            assertThrows(IllegalArgumentException.class, () -> small.check(new CheckRequest(folder, 1, 32, 0.2, 0,
                    StrengthPreset.HIGH.levels()), ProgressListener.NONE, new Cancellation()),
                    "the check refuses what protect refuses");
        }
    }

    /** Finds no face anywhere: a photo as the detector sees a face it misses. */
    private static final class BlindDetector implements org.segue.engine.spi.FaceDetector {
        @Override
        public java.util.List<org.segue.engine.spi.FaceBox> detect(BufferedImage uprightRgb) {
            return java.util.List.of();
        }

        @Override
        public int workingSize() {
            return 640;
        }

        @Override
        public String name() {
            return "blind";
        }

        @Override
        public void close() {}
    }

    @Test
    void aPhotoWithoutAFaceIsNeverCalledProtected(@TempDir Path dir) throws Exception {
        Path photo = dir.resolve("p.png");
        ImageIO.write(noise(64, 64), "png", photo.toFile());
        try (Protector blind = Segue.open(ModelSource.shipped(), "cpu", new BlindDetector())) {
            ProtectionOptions copy = ProtectionOptions.defaults();
            assertEquals(NoFacePolicy.COPY, copy.noFace(), "the default");
            PhotoResult copied = blind.protect(photo, dir.resolve("copy.png"), copy);
            assertEquals(PhotoResult.Status.NO_FACE, copied.status());
            assertTrue(copied.hasNoFace() && !copied.isFailed());
            assertArrayEquals(ImageIO.read(photo.toFile()).getRGB(0, 0, 64, 64, null, 0, 64),
                    ImageIO.read(dir.resolve("copy.png").toFile()).getRGB(0, 0, 64, 64, null, 0, 64),
                    "copied with its pixels as they were");

            ProtectionOptions skip = copy.toBuilder().whenNoFace(NoFacePolicy.SKIP).build();
            PhotoResult skipped = blind.protect(photo, dir.resolve("skip.png"), skip);
            assertEquals(PhotoResult.Status.NO_FACE, skipped.status());
            assertEquals("PNG", skipped.format(), "a skipped photo still names its format");
            assertFalse(Files.exists(dir.resolve("skip.png")), "skip writes nothing");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(PhotoResult.Status.NO_FACE,
                    blind.protect(new ByteArrayInputStream(Files.readAllBytes(photo)), "p.png", out, skip).status());
            assertEquals(0, out.size());

            ProtectionOptions fail = copy.toBuilder().whenNoFace(NoFacePolicy.FAIL).build();
            IOException e = assertThrows(IOException.class, () -> blind.protect(photo, dir.resolve("fail.png"), fail));
            assertTrue(e.getMessage().contains("no face found"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("fail.png")));

            assertEquals(PhotoResult.Status.NO_FACE,
                    blind.protectImage(ImageIO.read(photo.toFile()), "p", copy).result().status());

            Path in = Files.createDirectories(dir.resolve("in"));
            Files.copy(photo, in.resolve("a.png"));
            for (NoFacePolicy policy : NoFacePolicy.values()) {
                Path out2 = dir.resolve("out-" + policy);
                BatchSummary s = blind.protect(BatchRequest.into(out2, in).withReport(out2.resolve("report.json")),
                        copy.toBuilder().whenNoFace(policy).build(), ProgressListener.NONE, new Cancellation());
                PhotoResult r = s.results().get(0);
                assertEquals(policy == NoFacePolicy.FAIL ? PhotoResult.Status.FAILED : PhotoResult.Status.NO_FACE,
                        r.status(), policy.name());
                assertEquals(policy == NoFacePolicy.COPY, Files.exists(out2.resolve("a.png")), policy.name());
                assertEquals(policy == NoFacePolicy.COPY ? 1 : 0, s.written(), policy.name());
                assertEquals(policy == NoFacePolicy.FAIL ? 0 : 1, s.withoutFaces().size(), policy.name());
                String report = Files.readString(out2.resolve("report.json"));
                assertTrue(report.contains(policy == NoFacePolicy.FAIL ? "\"failed\"" : "\"no_face\""), report);
                if (policy != NoFacePolicy.FAIL) {
                    assertTrue(report.contains("\"withoutFaces\": [\n    \"a.png\""), report);
                }
            }
            BatchSummary dry = blind.protect(BatchRequest.dryRun(in), copy, ProgressListener.NONE, new Cancellation());
            assertEquals(PhotoResult.Status.NO_FACE, dry.results().get(0).status());
        }
        assertEquals(NoFacePolicy.SKIP, NoFacePolicy.parse(" Skip "));
        assertThrows(IllegalArgumentException.class, () -> NoFacePolicy.parse("ignore"));
    }
}
