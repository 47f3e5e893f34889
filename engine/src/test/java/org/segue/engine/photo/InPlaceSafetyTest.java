package org.segue.engine.photo;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.api.BatchRequest;
import org.segue.engine.api.BatchSummary;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.Identities;
import org.segue.engine.api.PhotoResult;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.ReadOnlyPolicy;
import org.segue.engine.internal.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Protecting in place asks before it replaces what the user protected from writing; a photo reached twice is
 * protected once (a second pass would add a second perturbation); a file that cannot be written is named with a
 * reason in words, never by the hidden temporary file.
 */
class InPlaceSafetyTest {

    private static final PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(),
            new FixedBoxDetector(), ProtectionOptions.defaults());

    private static Path photo(Path file, int seed) throws Exception {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(96, 72, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 72; y++) {
            for (int x = 0; x < 96; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    private static BatchSummary inPlace(ReadOnlyPolicy policy, Path... inputs) throws Exception {
        return PhotoBatch.run(protector, new Identities.Person("x"), BatchRequest.inPlace(inputs), ProgressListener.NONE,
                new Cancellation(), policy);
    }

    @Test
    void aReadOnlyOriginalIsKeptUnlessReplacingIsAskedFor(@TempDir Path dir) throws Exception {
        Path locked = photo(dir.resolve("locked.png"), 1);
        Path open = photo(dir.resolve("open.png"), 2);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r--r--r--"));
        byte[] original = Files.readAllBytes(locked);
        byte[] openBefore = Files.readAllBytes(open);

        BatchSummary kept = inPlace(ReadOnlyPolicy.KEEP, dir);
        assertEquals(1, kept.written(), "the writable photo is protected");
        assertEquals(1, kept.failed().size());
        assertEquals("locked.png", kept.failed().get(0).photo());
        assertEquals(ReadOnlyPolicy.KEEP_REASON, kept.failed().get(0).reason());
        assertArrayEquals(original, Files.readAllBytes(locked), "a read-only original is left as it was (as root too)");
        assertFalse(java.util.Arrays.equals(openBefore, Files.readAllBytes(open)));

        BatchSummary replaced = inPlace(ReadOnlyPolicy.REPLACE, locked);
        assertEquals(1, replaced.written(), "failures: " + replaced.failed());
        assertFalse(java.util.Arrays.equals(original, Files.readAllBytes(locked)), "replaced when asked");
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(locked)),
                "and still read-only");
        noTemporaryFiles(dir);
    }

    @Test
    void aPhotoReachedTwiceIsProtectedOnce(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Path a = photo(in.resolve("a.png"), 3);
        photo(in.resolve("sub/b.png"), 4);
        Path link = Files.createSymbolicLink(dir.resolve("link.png"), a);
        byte[] before = Files.readAllBytes(a);
        BatchSummary s = inPlace(ReadOnlyPolicy.KEEP, a, a, in, in.resolve("sub/b.png"), link,
                Path.of(in + "/sub/../a.png"));
        assertEquals(2, s.photos(), "each photo once: " + s.results());
        assertEquals(2, s.written());
        assertEquals(List.of("a.png", "in/sub/b.png"), s.results().stream().map(PhotoResult::photo).toList());

        // protected once: the same photo protected singly gives the same bytes
        Path copy = dir.resolve("single/a.png");
        Files.createDirectories(copy.getParent());
        Files.write(copy, before);
        inPlace(ReadOnlyPolicy.KEEP, copy);
        assertArrayEquals(Files.readAllBytes(copy), Files.readAllBytes(a), "a second perturbation was added");
    }

    @Test
    void aFileThatCannotBeWrittenIsNamedWithAReasonNeverItsTemporaryFile(@TempDir Path dir) throws Exception {
        // an immutable file (chattr +i): where the file system and the user allow setting it
        Path photo = photo(dir.resolve("immutable.png"), 5);
        byte[] original = Files.readAllBytes(photo);
        Assumptions.assumeTrue(chattr("+i", photo), "skipped: chattr +i is not available here (needs root on ext4 "
                + "or a like file system)");
        try {
            BatchSummary refused = inPlace(ReadOnlyPolicy.KEEP, photo);
            assertEquals(ReadOnlyPolicy.KEEP_REASON, refused.failed().get(0).reason(),
                    "an immutable file is not writable: kept");
            BatchSummary forced = inPlace(ReadOnlyPolicy.REPLACE, photo);
            assertEquals(1, forced.failed().size());
            String reason = forced.failed().get(0).reason();
            assertTrue(reason.contains("immutable.png") && reason.contains("immutable or locked"), reason);
            assertFalse(reason.contains(".part") || reason.contains("FileSystemException"), reason);
            assertArrayEquals(original, Files.readAllBytes(photo));
        } finally {
            chattr("-i", photo);
        }
        noTemporaryFiles(dir);
    }

    @Test
    void aFolderThatCannotBeWrittenIsNamedWithAReason(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("locked"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(folder), "skipped: this user (root) writes in any folder");
            java.io.IOException e = assertThrows(java.io.IOException.class,
                    () -> AtomicFiles.write(folder.resolve("x.png"), new byte[] {1}));
            assertTrue(e.getMessage().contains("x.png") && e.getMessage().contains("permission denied"), e.getMessage());
            assertFalse(e.getMessage().contains(".part"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static boolean chattr(String flag, Path file) {
        try {
            Process p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }

    private static void noTemporaryFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.noneMatch(p -> AtomicFiles.isTemporary(p.getFileName().toString())), "temporary files left");
        }
    }
}
