package org.segue.engine.photo;

import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.BatchSummary;
import org.segue.engine.api.BatchRequest;
import org.segue.engine.api.Identities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.photo.FixedBoxDetector;
import org.segue.engine.photo.TestEngine;
import org.segue.engine.photo.PhotoProtector;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.PhotoResult;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.internal.DjlRuntime;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch protection of a folder tree: mirrored output, originals untouched, failures isolated, report. */
class PhotoBatchTest {

    private static final PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(),
            new FixedBoxDetector(), ProtectionOptions.defaults());

    private static Path tree(Path root) throws Exception {
        Random r = new Random(3);
        BufferedImage img = new BufferedImage(120, 90, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 90; y++) {
            for (int x = 0; x < 120; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        Files.createDirectories(root.resolve("a/b"));
        ImageIO.write(img, "png", root.resolve("a/x.png").toFile());
        ImageIO.write(img, "jpeg", root.resolve("a/b/y.jpg").toFile());
        Files.writeString(root.resolve("bad.jpg"), "this is text, not a photo");
        Files.writeString(root.resolve("notes.txt"), "not a photo name: skipped");
        return root;
    }

    private static Map<String, String> checksums(Path root) throws Exception {
        Map<String, String> sums = new HashMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                sums.put(root.relativize(p).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return sums;
    }

    private static BatchSummary run(Identities identities, BatchRequest request) throws Exception {
        return PhotoBatch.run(protector, identities, request, ProgressListener.NONE, new Cancellation());
    }

    @Test
    void mirrorsTheTreeKeepsOriginalsAndReportsFailures(@TempDir Path dir) throws Exception {
        Path in = tree(dir.resolve("in"));
        Map<String, String> before = checksums(in);
        Path out = dir.resolve("out");
        Path report = out.resolve("protection-report.json");
        // what a run killed mid-write left behind; the next run removes it
        Path stale = Files.createDirectories(out.resolve("a")).resolve(".x.png.123456789.part");
        Files.write(stale, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(1))));
        BatchSummary s = run(new Identities.Person("Ada Lovelace"), new BatchRequest(List.of(in), out, false, false, out.resolve("overlays"),
                report));
        assertEquals(3, s.photos());
        assertEquals(2, s.written());
        assertEquals(1, s.failed().size());
        assertEquals("bad.jpg", s.failed().get(0).photo());
        assertTrue(s.failed().get(0).reason().contains("not a JPEG"), s.failed().get(0).reason());
        assertTrue(Files.exists(out.resolve("a/x.png")));
        assertFalse(Files.exists(stale), "the stale temporary file of a killed run is removed");
        assertTrue(Files.exists(out.resolve("a/b/y.jpg")));
        assertTrue(Files.exists(out.resolve("overlays/a/x.png.faces.jpg")));
        assertFalse(Files.exists(out.resolve("bad.jpg")), "no output for a failed photo");
        assertEquals(before, checksums(in), "originals must be byte-identical");
        String json = Files.readString(report, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"a/x.png\"") && json.contains("\"failed\""), json);
        assertTrue(json.contains("\"reports\": [") && json.contains("\"status\": \"protected\""), "the report's format: " + json);
        assertFalse(json.contains("Ada"), "the report must not hold person names");
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary files left");
        }
    }

    @Test
    void aMappingLineGivesTheSameCodeAsTheName(@TempDir Path dir) throws Exception {
        Path in = tree(dir.resolve("in"));
        run(new Identities.Person("ada lovelace "), new BatchRequest(List.of(in.resolve("a/x.png")), dir.resolve("named"), false, false, null, null));
        run(new Identities.Mapping(Map.of("x.png", "Ada Lovelace"), 0), new BatchRequest(List.of(in.resolve("a/x.png")), dir.resolve("mapped"), false, false, null, null));
        run(new Identities.Person("Charles Babbage"), new BatchRequest(List.of(in.resolve("a/x.png")), dir.resolve("other"), false, false, null, null));
        byte[] named = Files.readAllBytes(dir.resolve("named/x.png"));
        assertArrayEquals(named, Files.readAllBytes(dir.resolve("mapped/x.png")), "same person, same protection");
        assertNotEquals(java.util.Arrays.hashCode(named), java.util.Arrays.hashCode(Files.readAllBytes(dir.resolve("other/x.png"))),
                "another person gets another code");
    }

    @Test
    void dryRunWritesNothingAndInPlaceReplacesOnlyPhotos(@TempDir Path dir) throws Exception {
        Path in = tree(dir.resolve("in"));
        Map<String, String> before = checksums(in);
        BatchSummary dry = run(new Identities.Grouped(0), new BatchRequest(List.of(in), dir.resolve("out"), false, true, null, null));
        assertEquals(2, dry.faces());
        assertFalse(Files.exists(dir.resolve("out")));
        assertEquals(before, checksums(in));

        BatchSummary inPlace = run(new Identities.Grouped(0), new BatchRequest(List.of(in), null, true, false, null, null));
        assertEquals(2, inPlace.written());
        Map<String, String> after = checksums(in);
        assertNotEquals(before.get("a/x.png"), after.get("a/x.png"));
        assertEquals(before.get("bad.jpg"), after.get("bad.jpg"));
        assertEquals(before.get("notes.txt"), after.get("notes.txt"));
    }

    @Test
    void refusesAnOutputInsideTheInputAndStopsWhenCancelled(@TempDir Path dir) throws Exception {
        Path in = tree(dir.resolve("in"));
        assertThrows(IllegalArgumentException.class, () -> run(new Identities.Grouped(0), new BatchRequest(List.of(in), in.resolve("out"),
                false, false, null, null)));
        Cancellation cancelled = new Cancellation();
        cancelled.cancel();
        BatchSummary s = PhotoBatch.run(protector, new Identities.Person("x"), new BatchRequest(List.of(in), dir.resolve("out"), false,
                false, null, null), ProgressListener.NONE, cancelled);
        assertTrue(s.cancelled());
        assertEquals(0, s.written());
    }

    /** The fixed centred box, counting its calls; {@code onCall} hears each call's number. */
    private static final class CountingDetector implements org.segue.engine.spi.FaceDetector {
        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        private final FixedBoxDetector fixed = new FixedBoxDetector();
        private final java.util.function.IntConsumer onCall;

        CountingDetector(java.util.function.IntConsumer onCall) {
            this.onCall = onCall;
        }

        @Override
        public List<org.segue.engine.spi.FaceBox> detect(BufferedImage upright) {
            onCall.accept(calls.incrementAndGet());
            return fixed.detect(upright);
        }

        @Override
        public int workingSize() {
            return fixed.workingSize();
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public void close() {
        }
    }

    private static BatchSummary grouped(CountingDetector detector, Path in, Path out) throws Exception {
        return PhotoBatch.run(new PhotoProtector(TestEngine.defaultModel(), detector, ProtectionOptions.defaults()),
                new Identities.Grouped(0), BatchRequest.into(out, in), ProgressListener.NONE, new Cancellation());
    }

    /** With automatic grouping the faces of all photos are found first, yet no photo is detected twice. */
    @Test
    void groupingDetectsEachPhotoOnce(@TempDir Path dir) throws Exception {
        Path in = tree(dir.resolve("in"));
        CountingDetector counting = new CountingDetector(call -> { });
        BatchSummary s = grouped(counting, in, dir.resolve("out"));
        assertEquals(2, s.written(), "failures: " + s.failed());
        assertEquals(2, counting.calls.get(), "each of the two photos is detected once");
        assertEquals(1, s.failed().size(), "the damaged photo is reported once");
        for (PhotoResult r : s.results()) { // each face's group is in its photo's result, numbered from 1
            if (!r.isFailed()) {
                assertEquals(r.faces().size(), r.groups().size(), r.photo());
                r.groups().forEach(g -> assertTrue(g != null && g >= 1, r.photo() + ": group " + g));
            }
        }
        assertTrue(s.toJson().contains("\"groups\""), "the report lists the groups");

        // a photo replaced between the grouping pass and the writing pass is detected again, not written blind
        Path x = in.resolve("a/x.png");
        CountingDetector replacing = new CountingDetector(call -> {
            if (call == 2) { // the grouping pass is done with both photos
                try {
                    ImageIO.write(ImageIO.read(x.toFile()), "png", x.toFile()); // written anew, a newer time
                    Files.setLastModifiedTime(x, java.nio.file.attribute.FileTime.fromMillis(
                            Files.getLastModifiedTime(x).toMillis() + 5_000));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        BatchSummary again = grouped(replacing, in, dir.resolve("out2"));
        assertEquals(2, again.written(), "failures: " + again.failed());
        assertEquals(3, replacing.calls.get(), "the replaced photo is detected again before it is written");
        PhotoResult redone = again.results().stream().filter(r -> r.photo().endsWith("x.png")).findFirst().orElseThrow();
        assertTrue(redone.groups().isEmpty(), "a photo detected afresh was not grouped, so it claims no group");
    }
}
