package org.segue.tool.osgi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.api.PhotoFiles;
import org.segue.plugin.osgi.api.FaceProtector;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot folder as a DAM's uploaders feed it, in the real embedded Felix with the shipped model: slow and
 * chunk-reopening writers, placeholders, temporary names, overwrites, subfolders, files without an
 * extension, photos without a face, damaged and unfinished files, and 200 files from 4 concurrent writers.
 * Each test gives the hot folder fresh folders (a new configuration re-activates it); the quiet period is
 * short, shorter than the writers' pauses on purpose: a file taken mid-write must wait, not fail.
 */
class HotFolderIT {

    @TempDir
    static Path root;
    private static FelixRuntime felix;
    /** The astronaut portrait as a JPEG (the face the shipped detector finds), or null without ../shared. */
    private static BufferedImage astronaut;
    private static int run;
    private static String policy = "copy";

    @BeforeAll
    static void start() throws Exception {
        felix = FelixRuntime.start(Path.of("target/dam-runtime/bundles"), root.resolve("felix-cache"));
        felix.service(FaceProtector.class, 60_000);
        Path portrait = Path.of(System.getProperty("segue.shared", "../shared"), "photos/public-domain/astronaut.png");
        if (Files.exists(portrait)) {
            astronaut = ImageIO.read(portrait.toFile());
        } else {
            System.out.println("HotFolderIT: " + portrait + " is absent; the tests that need a face are skipped");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (felix != null) {
            Path cache = felix.storage();
            felix.close();
            assertFalse(Files.exists(cache), "the framework cache is removed at close");
        }
    }

    // ---- folders, images, status ----

    /** One hot folder's folders. */
    record Hot(Path in, Path out, Path failed, Path work) {

        Path status() {
            return work.resolve("hotfolder-status.txt");
        }
    }

    private static Hot hotFolder(long quietMillis, long giveUpSeconds) throws Exception {
        return hotFolder(quietMillis, giveUpSeconds, "copy");
    }

    private static Hot hotFolder(long quietMillis, long giveUpSeconds, String noFace) throws Exception {
        return hotFolder(quietMillis, giveUpSeconds, noFace, "");
    }

    /** {@code noFace}: the protector's policy; {@code hotFolderNoFace}: the hot folder's own ("": the protector's). */
    private static Hot hotFolder(long quietMillis, long giveUpSeconds, String noFace, String hotFolderNoFace) throws Exception {
        Path base = root.resolve("run" + (++run));
        Hot hot = new Hot(Files.createDirectories(base.resolve("inbox")), base.resolve("protected"),
                base.resolve("failed"), base.resolve("work"));
        if (!noFace.equals(policy)) { // each change opens the model afresh
            felix.configure(FaceProtector.PID, Map.of("no.face", noFace));
            policy = noFace;
            // Configuration Admin delivers asynchronously: wait until the policy is in force, as dam-runtime does
            felix.awaitServiceProperty(FaceProtector.class, "no.face", noFace, 60_000);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("watch.folder", hot.in().toString());
        config.put("output.folder", hot.out().toString());
        config.put("failed.folder", hot.failed().toString());
        config.put("work.folder", hot.work().toString());
        config.put("poll.millis", 100L);
        config.put("quiet.millis", quietMillis);
        config.put("give.up.seconds", giveUpSeconds);
        config.put("no.face", hotFolderNoFace);
        felix.configure("org.segue.hotfolder", config);
        waitFor(() -> Files.exists(hot.status()), 60, "the hot folder started on " + hot.in());
        return hot;
    }

    private static void needFace() {
        Assumptions.assumeTrue(astronaut != null, "needs ../shared/photos/public-domain/astronaut.png");
    }

    /** The portrait with a small patch of its own in a corner (away from the face), so versions differ. */
    static byte[] portrait(long variant, String format, int size) throws IOException {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.drawImage(astronaut, 0, 0, size, size, null);
        Random r = new Random(variant);
        for (int y = 0; y < size / 16; y++) {
            for (int x = 0; x < size / 16; x++) {
                img.setRGB(x, size - 1 - y, r.nextInt(1 << 24));
            }
        }
        g.dispose();
        return encode(img, format);
    }

    static byte[] noise(long seed, String format) throws IOException {
        return encode(OsgiIntegrationIT.synthetic(96, 72, seed), format);
    }

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), format);
        return out.toByteArray();
    }

    /** state by file, from the status file the user reads. */
    static Map<String, String[]> status(Hot hot) throws IOException {
        Map<String, String[]> lines = new LinkedHashMap<>();
        if (!Files.exists(hot.status())) {
            return lines;
        }
        boolean table = false;
        for (String line : Files.readAllLines(hot.status())) {
            if (line.equals("state\tfile\tdetail")) {
                table = true;
            } else if (table) {
                String[] f = line.split("\t", 3);
                lines.put(f[1], new String[] {f[0], f[2]});
            }
        }
        return lines;
    }

    static String state(Hot hot, String file) throws IOException {
        String[] s = status(hot).get(file);
        return s == null ? null : s[0];
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check check, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + seconds + " s for: " + what);
            }
            Thread.sleep(100);
        }
    }

    static void awaitState(Hot hot, String file, String state, int seconds) throws Exception {
        waitFor(() -> state.equals(state(hot, file)), seconds, file + " " + state + "; status:\n"
                + (Files.exists(hot.status()) ? Files.readString(hot.status()) : "(none)"));
    }

    /** The files of a folder tree now; one renamed or removed while it is listed is left out. */
    static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    found.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        found.sort(null);
        return found;
    }

    /** A protected output: whole, decodable, and not the input's pixels (its face changed). */
    static void assertProtectedCopy(byte[] input, Path output) throws Exception {
        byte[] bytes = Files.readAllBytes(output);
        assertEquals(java.util.Optional.empty(), PhotoFiles.unfinished(bytes), output + " is whole");
        BufferedImage out = ImageIO.read(new ByteArrayInputStream(bytes));
        BufferedImage in = ImageIO.read(new ByteArrayInputStream(input));
        assertNotNull(out, output + " decodes");
        assertEquals(in.getWidth(), out.getWidth());
        assertEquals(in.getHeight(), out.getHeight());
    }

    /** Writes {@code content} in {@code chunks} pieces with pauses, keeping one stream open or reopening it. */
    static void writeSlowly(Path file, byte[] content, int chunks, long pauseMillis, boolean reopen) throws Exception {
        int step = (content.length + chunks - 1) / chunks;
        if (reopen) {
            for (int at = 0; at < content.length; at += step) {
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    out.write(content, at, Math.min(step, content.length - at));
                }
                if (at + step < content.length) {
                    Thread.sleep(pauseMillis);
                }
            }
        } else {
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int at = 0; at < content.length; at += step) {
                    out.write(content, at, Math.min(step, content.length - at));
                    out.flush();
                    if (at + step < content.length) {
                        Thread.sleep(pauseMillis);
                    }
                }
            }
        }
    }

    /** While a writer runs: the file is never failed nor protected half-written. */
    static void assertWaitsWhile(Hot hot, String name, Future<?> writer) throws Exception {
        while (!writer.isDone()) {
            String s = state(hot, name);
            assertTrue(s == null || s.equals("pending"), name + " was " + s + " while still being written:\n"
                    + Files.readString(hot.status()));
            assertTrue(files(hot.failed()).isEmpty(), "nothing failed: " + files(hot.failed()));
            Thread.sleep(50);
        }
        writer.get();
    }

    private static final ExecutorService WRITERS = Executors.newCachedThreadPool();

    // ---- the cases ----

    @Test
    void aSlowWriterWithPausesOfOneAndAHalfSecondsIsProtectedOnceComplete() throws Exception {
        needFace();
        Hot hot = hotFolder(300, 3600);
        byte[] photo = portrait(1, "jpeg", 512);
        Future<?> writer = WRITERS.submit(() -> {
            writeSlowly(hot.in().resolve("slow.jpg"), photo, 4, 1500, false);
            return null;
        });
        assertWaitsWhile(hot, "slow.jpg", writer);
        awaitState(hot, "slow.jpg", "protected", 120);
        assertProtectedCopy(photo, hot.out().resolve("slow.jpg"));
        assertArrayEquals(photo, Files.readAllBytes(hot.in().resolve("slow.jpg")), "the original stays as dropped");
        assertTrue(files(hot.failed()).isEmpty());
    }

    @Test
    void aWriterReopeningTheFileForEachChunkLosesNothing() throws Exception {
        needFace();
        Hot hot = hotFolder(300, 3600);
        byte[] photo = portrait(2, "jpeg", 512);
        Future<?> writer = WRITERS.submit(() -> {
            writeSlowly(hot.in().resolve("chunks.jpg"), photo, 5, 1000, true);
            return null;
        });
        assertWaitsWhile(hot, "chunks.jpg", writer);
        awaitState(hot, "chunks.jpg", "protected", 120);
        assertProtectedCopy(photo, hot.out().resolve("chunks.jpg"));
        assertArrayEquals(photo, Files.readAllBytes(hot.in().resolve("chunks.jpg")), "the whole photo arrived in place");
        assertTrue(files(hot.failed()).isEmpty());
    }

    @Test
    void aZeroBytePlaceholderWaitsAndIsProtectedOnceFilled() throws Exception {
        needFace();
        Hot hot = hotFolder(200, 3600);
        Files.createFile(hot.in().resolve("upload.png"));
        Thread.sleep(2000); // ten quiet periods
        assertEquals("pending", state(hot, "upload.png"), Files.readString(hot.status()));
        assertTrue(status(hot).get("upload.png")[1].contains("empty"), status(hot).get("upload.png")[1]);
        assertTrue(files(hot.failed()).isEmpty() && files(hot.out()).isEmpty());
        byte[] photo = portrait(3, "png", 384);
        Files.write(hot.in().resolve("upload.png"), photo);
        awaitState(hot, "upload.png", "protected", 120);
        assertProtectedCopy(photo, hot.out().resolve("upload.png"));
    }

    @Test
    void temporaryNamesAreWaitedOnUntilRenamed() throws Exception {
        needFace();
        Hot hot = hotFolder(200, 3600);
        byte[] photo = portrait(4, "jpeg", 384);
        for (String name : List.of("a.jpg.part", "b.jpg.tmp", "c.jpg.crdownload", ".d.jpg", "sub/.e.jpg")) {
            Files.createDirectories(hot.in().resolve(name).getParent());
            Files.write(hot.in().resolve(name), photo);
        }
        Thread.sleep(2000);
        Map<String, String[]> s = status(hot);
        for (String name : List.of("a.jpg.part", "b.jpg.tmp", "c.jpg.crdownload", ".d.jpg", "sub/.e.jpg")) {
            assertEquals("pending", s.get(name)[0], name + ": " + Files.readString(hot.status()));
        }
        assertTrue(files(hot.out()).isEmpty() && files(hot.failed()).isEmpty(), "none taken");
        Files.move(hot.in().resolve("a.jpg.part"), hot.in().resolve("a.jpg"), StandardCopyOption.ATOMIC_MOVE);
        awaitState(hot, "a.jpg", "protected", 120);
        assertProtectedCopy(photo, hot.out().resolve("a.jpg"));
        waitFor(() -> !status(hot).containsKey("a.jpg.part"), 10, "the temporary name leaves the status");
    }

    @Test
    void anOverwriteWithNewContentIsProtectedAgainAndATouchIsNot() throws Exception {
        needFace();
        Hot hot = hotFolder(200, 3600);
        Path in = hot.in().resolve("same.jpg");
        Path out = hot.out().resolve("same.jpg");
        Files.write(in, portrait(5, "jpeg", 384));
        awaitState(hot, "same.jpg", "protected", 120);
        byte[] first = Files.readAllBytes(out);

        BufferedImage flipped = ImageIO.read(new ByteArrayInputStream(portrait(6, "jpeg", 384)));
        BufferedImage mirror = new BufferedImage(384, 384, BufferedImage.TYPE_3BYTE_BGR);
        mirror.createGraphics().drawImage(flipped, 384, 0, -384, 384, null);
        byte[] second = encode(mirror, "jpeg");
        Files.write(in, second);
        waitFor(() -> !Arrays.equals(first, Files.readAllBytes(out)) && "protected".equals(state(hot, "same.jpg")),
                120, "the new content protected");
        assertProtectedCopy(second, out);
        BufferedImage got = ImageIO.read(out.toFile());
        // the mirrored photo's left edge is the first one's right edge: the output follows the new content
        assertTrue(Math.abs(colour(got, 20, 192) - colour(mirror, 20, 192)) < 40, "the output is of the new photo");

        byte[] protectedSecond = Files.readAllBytes(out);
        long written = Files.getLastModifiedTime(out).toMillis();
        Files.setLastModifiedTime(in, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Thread.sleep(1500);
        assertEquals("protected", state(hot, "same.jpg"));
        assertEquals(written, Files.getLastModifiedTime(out).toMillis(), "a touch without new content is not redone");
        assertArrayEquals(protectedSecond, Files.readAllBytes(out));

        Files.write(in, noise(7, "jpeg")); // a new version without a face: the old protected copy must not stand for it
        awaitState(hot, "same.jpg", "no face", 60);
        assertTrue(status(hot).get("same.jpg")[1].contains("NOT protected"), status(hot).get("same.jpg")[1]);
        assertEquals(96, ImageIO.read(out.toFile()).getWidth(), "the output is the new photo's copy");
    }

    private static int colour(BufferedImage img, int x, int y) {
        Color c = new Color(img.getRGB(x, y));
        return (c.getRed() + c.getGreen() + c.getBlue()) / 3;
    }

    @Test
    void subfoldersAreMirroredAndContentDecidesTheFormat() throws Exception {
        needFace();
        Hot hot = hotFolder(200, 3600);
        byte[] jpeg = portrait(8, "jpeg", 384);
        byte[] png = portrait(9, "png", 384);
        Files.createDirectories(hot.in().resolve("2026/shoot"));
        Files.write(hot.in().resolve("2026/shoot/portrait.jpg"), jpeg);
        Files.write(hot.in().resolve("2026/noextension"), png);
        Files.write(hot.in().resolve("2026/mislabelled.jpg"), png);
        awaitState(hot, "2026/shoot/portrait.jpg", "protected", 120);
        awaitState(hot, "2026/noextension", "protected", 120);
        awaitState(hot, "2026/mislabelled.jpg", "protected", 120);
        assertProtectedCopy(jpeg, hot.out().resolve("2026/shoot/portrait.jpg"));
        assertProtectedCopy(png, hot.out().resolve("2026/noextension"));
        assertTrue(status(hot).get("2026/noextension")[1].contains("PNG"), status(hot).get("2026/noextension")[1]);
        byte[] mislabelled = Files.readAllBytes(hot.out().resolve("2026/mislabelled.jpg"));
        assertEquals(java.util.Optional.of("PNG"), PhotoFiles.formatOf(mislabelled), "written in its own format");
    }

    @Test
    void photosWithoutAFaceAreNeverCalledProtectedUnderEachPolicy() throws Exception {
        Hot copy = hotFolder(200, 3600, "copy");
        Files.write(copy.in().resolve("wall.png"), noise(10, "png"));
        awaitState(copy, "wall.png", "no face", 60);
        assertTrue(Files.exists(copy.out().resolve("wall.png")), "copy: written with cleaned metadata");

        Hot skip = hotFolder(200, 3600, "skip");
        Files.write(skip.in().resolve("wall.png"), noise(11, "png"));
        awaitState(skip, "wall.png", "no face", 60);
        assertTrue(files(skip.out()).isEmpty() && files(skip.failed()).isEmpty(), "skip: nothing written");

        Hot fail = hotFolder(200, 3600, "fail");
        Files.write(fail.in().resolve("wall.png"), noise(12, "png"));
        awaitState(fail, "wall.png", "failed", 60);
        assertTrue(Files.readString(fail.failed().resolve("wall.png.reason.txt")).contains("no face found"));
        assertTrue(files(fail.out()).isEmpty());
    }

    @Test
    void theHotFoldersOwnSkipOrFailHoldsWhateverPolicyTheProtectorServesWith() throws Exception {
        Hot skip = hotFolder(200, 3600, "copy", "skip"); // the protector copies; the hot folder was told skip
        Files.write(skip.in().resolve("wall.png"), noise(25, "png"));
        awaitState(skip, "wall.png", "no face", 60);
        assertTrue(files(skip.out()).isEmpty() && files(skip.failed()).isEmpty(), "skip: no unprotected copy written");
        assertTrue(status(skip).get("wall.png")[1].contains("nothing written"), status(skip).get("wall.png")[1]);

        Hot fail = hotFolder(200, 3600, "copy", "fail");
        Files.write(fail.in().resolve("wall.png"), noise(26, "png"));
        awaitState(fail, "wall.png", "failed", 60);
        assertTrue(Files.readString(fail.failed().resolve("wall.png.reason.txt")).contains("no face found"));
        assertTrue(files(fail.out()).isEmpty());
    }

    @Test
    void damagedFilesFailWithTheirReasonAndUnfinishedOnesOnlyAfterTheGiveUpPeriod() throws Exception {
        Hot hot = hotFolder(200, 4);
        byte[] whole = noise(13, "png");
        Files.writeString(hot.in().resolve("notes.jpg"), "not a photo at all");
        Files.write(hot.in().resolve("cut.png"), Arrays.copyOf(whole, whole.length / 2));
        awaitState(hot, "notes.jpg", "failed", 30);
        assertTrue(Files.readString(hot.failed().resolve("notes.jpg.reason.txt")).contains("not a JPEG"));
        assertEquals("pending", state(hot, "cut.png"), "an unfinished file waits: " + Files.readString(hot.status()));
        assertTrue(Files.exists(hot.in().resolve("cut.png")));
        awaitState(hot, "cut.png", "failed", 30);
        assertTrue(Files.readString(hot.failed().resolve("cut.png.reason.txt")).contains("incomplete"));

        // a second file of a failed name never replaces the first in the failed folder
        Files.writeString(hot.in().resolve("notes.jpg"), "another text");
        waitFor(() -> Files.exists(hot.failed().resolve("notes (2).jpg")), 30, "the second one set aside beside it");
        assertEquals("not a photo at all", Files.readString(hot.failed().resolve("notes.jpg")));
        assertEquals("another text", Files.readString(hot.failed().resolve("notes (2).jpg")));
    }

    @Test
    void aRestartNeitherRepeatsNorForgetsWork() throws Exception {
        Hot hot = hotFolder(200, 3600);
        Files.write(hot.in().resolve("one.png"), noise(14, "png"));
        awaitState(hot, "one.png", "no face", 60);
        long written = Files.getLastModifiedTime(hot.out().resolve("one.png")).toMillis();
        Path away = hot.in().resolveSibling("inbox-unmounted");
        Files.move(hot.in(), away); // a share that goes away for a while is not an empty inbox
        waitFor(() -> Files.readString(hot.status()).contains("the watched folder cannot be read"), 10, "said");
        assertEquals("no face", state(hot, "one.png"), "not forgotten");
        Files.move(away, hot.in());
        waitFor(() -> !Files.readString(hot.status()).contains("cannot be read"), 10, "back");
        felix.bundle("org.segue.plugin").stop(); // the hot folder stops; its configuration stays
        Files.write(hot.in().resolve("two.png"), noise(15, "png"));
        Thread.sleep(500);
        assertEquals(null, state(hot, "two.png"), "nothing watches while stopped");
        felix.bundle("org.segue.plugin").start();
        awaitState(hot, "two.png", "no face", 120);
        assertEquals("no face", state(hot, "one.png"));
        assertEquals(written, Files.getLastModifiedTime(hot.out().resolve("one.png")).toMillis(), "not redone");
    }

    @Test
    void anEmptiedInboxIsTakenForAnUnmountedShareAndNothingIsForgottenOrRedone() throws Exception {
        Hot hot = hotFolder(200, 3600);
        Files.createDirectories(hot.in().resolve("sub"));
        Files.write(hot.in().resolve("one.png"), noise(20, "png"));
        Files.write(hot.in().resolve("sub/two.png"), noise(21, "png"));
        awaitState(hot, "one.png", "no face", 60);
        awaitState(hot, "sub/two.png", "no face", 60);
        Path one = hot.out().resolve("one.png");
        Path two = hot.out().resolve("sub/two.png");
        Files.setLastModifiedTime(one, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        Files.setLastModifiedTime(two, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        // an unmounted mount point: the folder is there, and empty
        Path share = hot.in().resolveSibling("share");
        Files.move(hot.in(), share);
        Files.createDirectory(hot.in());
        waitFor(() -> Files.readString(hot.status()).contains("taken as unavailable"), 10, "the empty inbox said");
        Thread.sleep(1000); // ten polls
        assertEquals("no face", state(hot, "one.png"), "not forgotten:\n" + Files.readString(hot.status()));
        assertEquals("no face", state(hot, "sub/two.png"), "not forgotten");
        Files.delete(hot.in()); // mounted again: all files back at once
        Files.move(share, hot.in());
        waitFor(() -> !Files.readString(hot.status()).contains("cannot be read"), 10, "back");
        Thread.sleep(1500);
        assertEquals("no face", state(hot, "one.png"));
        assertEquals("no face", state(hot, "sub/two.png"));
        assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(one).toMillis(), "not redone");
        assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(two).toMillis(), "not redone");

        Files.delete(hot.in().resolve("sub/two.png")); // one file of several deleted: that one leaves the list
        waitFor(() -> !status(hot).containsKey("sub/two.png"), 10, "the deleted file leaves the status");
        assertEquals("no face", state(hot, "one.png"));
    }

    @Test
    void aSameSizeReplacementKeepingTheModificationTimeIsHandledAgain() throws Exception {
        Hot hot = hotFolder(200, 3600); // policy copy: the output is the input's pixels, so it shows which version
        Path in = hot.in().resolve("scan.bmp");
        Path out = hot.out().resolve("scan.bmp");
        byte[] first = noise(22, "bmp");
        byte[] second = noise(23, "bmp");
        assertEquals(first.length, second.length);
        Files.write(in, first);
        awaitState(hot, "scan.bmp", "no face", 60);
        assertPixels(first, out);
        java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(in);
        // as rsync -t does: the new content written aside, given the old time, renamed over the old one
        Path aside = Files.createDirectories(hot.in().resolveSibling("aside")).resolve("scan.bmp");
        Files.write(aside, second);
        Files.setLastModifiedTime(aside, time);
        Files.move(aside, in, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals(time, Files.getLastModifiedTime(in), "the replacement keeps the time");
        assertEquals(first.length, Files.size(in), "and the size");
        waitFor(() -> {
            try {
                assertPixels(second, out);
                return true;
            } catch (AssertionError | IOException e) {
                return false;
            }
        }, 60, "the output follows the new content; status:\n" + Files.readString(hot.status()));
        // the status line follows the output: it can still read pending for a moment after the file is in place
        awaitState(hot, "scan.bmp", "no face", 60);

        long written = Files.getLastModifiedTime(out).toMillis();
        Files.setLastModifiedTime(in, java.nio.file.attribute.FileTime.fromMillis(time.toMillis() + 60_000));
        Thread.sleep(1500); // a touch (a new ctime too) has it read again, but the same content is not redone
        assertEquals(written, Files.getLastModifiedTime(out).toMillis(), "a touch is not redone");
    }

    private static void assertPixels(byte[] expected, Path output) throws IOException {
        BufferedImage want = ImageIO.read(new ByteArrayInputStream(expected));
        BufferedImage got = ImageIO.read(output.toFile());
        assertNotNull(got, output + " decodes");
        for (int y = 0; y < want.getHeight(); y++) {
            for (int x = 0; x < want.getWidth(); x++) {
                if (want.getRGB(x, y) != got.getRGB(x, y)) {
                    throw new AssertionError(output + " differs at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void systemFilesAreNoInputsAndAFailedFileLeftInPlaceLeavesTheListOnceDeleted() throws Exception {
        Hot hot = hotFolder(200, 3600);
        byte[] png = noise(24, "png");
        Files.write(hot.in().resolve("photo.png"), png);
        for (String name : List.of(".DS_Store", "Thumbs.db", "desktop.ini", "._photo.png", ".thumbnails/normal/a.png",
                "@eaDir/photo.png/SYNOPHOTO_THUMB_M.jpg", "sub/.DS_Store", "sub/Thumbs.db")) {
            Path f = hot.in().resolve(name);
            Files.createDirectories(f.getParent());
            Files.write(f, name.endsWith("png") || name.endsWith("jpg") ? png : new byte[] {0, 0, 0, 1, 'B', 'u', 'd', '1'});
        }
        awaitState(hot, "photo.png", "no face", 60);
        Thread.sleep(1500);
        assertEquals(Set.of("photo.png"), status(hot).keySet(), "only the photo is an input:\n" + Files.readString(hot.status()));
        assertEquals(List.of(hot.out().resolve("photo.png")), files(hot.out()));
        assertTrue(files(hot.failed()).isEmpty(), "no system file failed: " + files(hot.failed()));
        assertTrue(Files.exists(hot.in().resolve("Thumbs.db")) && Files.exists(hot.in().resolve(".DS_Store")), "left alone");

        // a failed file that cannot be moved away (a file where its folder in the failed folder would go) stays
        // in place and listed; once the user deletes it, it leaves the list
        Files.writeString(hot.failed().resolve("sub"), "in the way");
        Files.writeString(hot.in().resolve("sub/notes.jpg"), "not a photo at all");
        awaitState(hot, "sub/notes.jpg", "failed", 60);
        assertTrue(status(hot).get("sub/notes.jpg")[1].contains("left in place"), status(hot).get("sub/notes.jpg")[1]);
        Files.delete(hot.in().resolve("sub/notes.jpg"));
        waitFor(() -> !status(hot).containsKey("sub/notes.jpg"), 10, "the deleted failed file leaves the status:\n"
                + Files.readString(hot.status()));
        assertEquals("no face", state(hot, "photo.png"));
    }

    /**
     * 200 files from 4 writers with random pauses, in every way uploaders write: one stream with pauses,
     * reopened per chunk, a temporary name renamed at the end, a 0-byte placeholder filled later. Every
     * output seen at any moment is whole; at the end every input is accounted for and none is lost.
     */
    @Test
    void twoHundredFilesFromFourConcurrentWritersAreAllAccountedFor() throws Exception {
        needFace();
        Hot hot = hotFolder(250, 3600);
        int writers = 4;
        int perWriter = 50;
        Map<String, byte[]> dropped = new ConcurrentHashMap<>();
        Set<String> faces = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> halfSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Future<?> watcher = WRITERS.submit(() -> { // samples the output folder while everything runs
            Map<Path, Long> checked = new HashMap<>();
            while (writing.get() || dropped.size() > files(hot.out()).size()) {
                for (Path p : files(hot.out())) {
                    if (p.getFileName().toString().startsWith(".")) {
                        continue; // the protector's own temporary file before its atomic rename
                    }
                    long m = Files.getLastModifiedTime(p).toMillis();
                    if (!Long.valueOf(m).equals(checked.put(p, m))) {
                        byte[] b = Files.readAllBytes(p); // outputs are only ever replaced by a rename, never removed
                        if (PhotoFiles.unfinished(b).isPresent() || ImageIO.read(new ByteArrayInputStream(b)) == null) {
                            halfSeen.add(hot.out().relativize(p).toString());
                        }
                    }
                }
                Thread.sleep(200);
            }
            return null;
        });
        List<Future<?>> jobs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            jobs.add(WRITERS.submit(() -> {
                Random r = new Random(100 + writer);
                for (int i = 0; i < perWriter; i++) {
                    int id = writer * perWriter + i;
                    boolean face = id % 4 == 0;
                    String ext = r.nextBoolean() ? "jpg" : "png";
                    byte[] content = face ? portrait(1000 + id, ext.equals("jpg") ? "jpeg" : "png", 256)
                            : noise(1000 + id, ext.equals("jpg") ? "jpeg" : "png");
                    String rel = "w" + writer + "/" + (i % 3 == 0 ? "sub/" : "") + "f" + id + "." + ext;
                    Path target = hot.in().resolve(rel);
                    Files.createDirectories(target.getParent());
                    int pause = 20 + r.nextInt(400);
                    switch (id % 4 == 0 ? r.nextInt(4) : id % 4) {
                        case 0 -> writeSlowly(target, content, 3, pause, false);
                        case 1 -> writeSlowly(target, content, 3, pause, true);
                        case 2 -> {
                            Path temporary = target.resolveSibling(target.getFileName() + ".part");
                            writeSlowly(temporary, content, 2, pause, false);
                            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                        }
                        default -> {
                            Files.createFile(target);
                            Thread.sleep(pause);
                            writeSlowly(target, content, 2, pause, false);
                        }
                    }
                    dropped.put(rel, content);
                    if (face) {
                        faces.add(rel);
                    }
                    Thread.sleep(r.nextInt(150));
                }
                return null;
            }));
        }
        for (Future<?> job : jobs) {
            job.get(600, TimeUnit.SECONDS);
        }
        writing.set(false);
        assertEquals(writers * perWriter, dropped.size());
        Predicate<Map<String, String[]>> allSettled = s -> dropped.keySet().stream()
                .allMatch(f -> s.containsKey(f) && !s.get(f)[0].equals("pending"));
        waitFor(() -> allSettled.test(status(hot)), 900, "every file settled");
        System.out.printf("hot folder: %d files (%d with a face) from %d writers settled %.1f s after the first drop%n",
                dropped.size(), faces.size(), writers, (System.nanoTime() - t0) / 1e9);
        watcher.get(60, TimeUnit.SECONDS);
        Map<String, String[]> s = status(hot);
        assertEquals(dropped.keySet(), s.keySet(), "every input accounted for, nothing else listed");
        for (Map.Entry<String, byte[]> e : dropped.entrySet()) {
            String rel = e.getKey();
            assertEquals(faces.contains(rel) ? "protected" : "no face", s.get(rel)[0], rel + ": " + s.get(rel)[1]);
            assertArrayEquals(e.getValue(), Files.readAllBytes(hot.in().resolve(rel)), rel + " arrived whole, in place");
            assertProtectedCopy(e.getValue(), hot.out().resolve(rel));
            if (faces.contains(rel)) {
                assertNotEquals(Arrays.hashCode(e.getValue()), Arrays.hashCode(Files.readAllBytes(hot.out().resolve(rel))));
            }
        }
        assertEquals(dropped.size(), files(hot.out()).size(), "one output per input, no temporary files left");
        assertTrue(files(hot.failed()).isEmpty(), "nothing failed: " + files(hot.failed()));
        assertTrue(halfSeen.isEmpty(), "outputs seen half-written: " + halfSeen);
    }
}
