package org.segue.engine.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes are all or nothing: a full disk, an error or a killed process never leaves a partial file. */
class AtomicFilesTest {

    private static List<Path> temporaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> AtomicFiles.isTemporary(p.getFileName().toString())).toList();
        }
    }

    @Test
    void aFullDiskLeavesTheOldFileAndNoTemporary(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("photo.jpg");
        Files.write(target, new byte[] {1, 2, 3});
        IOException full = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[4096]);
            throw new IOException("No space left on device"); // what the OS reports when the disk fills
        }));
        assertEquals("No space left on device", full.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target), "the old file is untouched");
        assertTrue(temporaries(dir).isEmpty(), "the temporary file is removed");
        AtomicFiles.write(dir.resolve("new.jpg"), new byte[] {9});
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(dir.resolve("new.jpg")));
    }

    /** Run by the killed-process test in a child JVM: starts a write and hangs in the middle of it. */
    public static void main(String[] args) throws Exception {
        AtomicFiles.write(Path.of(args[0]), out -> {
            out.write(new byte[100_000]);
            out.flush();
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aKilledWriterLeavesNoTargetAndItsTemporaryIsSweptLater(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("out/photo.jpg");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AtomicFilesTest.class.getName(), target.toString())
                .redirectErrorStream(true).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream())).readLine();
            assertEquals("writing", line);
            child.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook runs
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertFalse(Files.exists(target), "no (partial) target file");
        List<Path> left = temporaries(target.getParent());
        assertEquals(1, left.size(), "the killed write left its temporary file");
        assertEquals(0, AtomicFiles.removeStaleTemporaries(dir), "a fresh temporary may belong to a live writer");
        Files.setLastModifiedTime(left.get(0), FileTime.from(Instant.now().minus(AtomicFiles.STALE_AFTER).minusSeconds(1)));
        assertEquals(1, AtomicFiles.removeStaleTemporaries(dir));
        assertTrue(temporaries(target.getParent()).isEmpty());
    }
}
