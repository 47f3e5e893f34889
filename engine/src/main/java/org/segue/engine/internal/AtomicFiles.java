package org.segue.engine.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way the product writes files: into a hidden temporary file beside the target, flushed to
 * disk, then renamed over the target in one step. A crash or a full disk leaves either the old file
 * or the new one, never a partial file; the temporary file is removed on failure.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** Content producer that may fail with an I/O error. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Temporary files are created owner-only (0600); the finished file gets the permissions of the
     * file it replaces, or rw-r--r-- for a new one, like any file a user's program writes.
     */
    private static void readableLikeOrdinaryFiles(Path tmp, Path target) throws IOException {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, perms);
    }

    /** Temporary files older than this are left over from a crashed or killed run. */
    public static final java.time.Duration STALE_AFTER = java.time.Duration.ofMinutes(2);

    private static final java.util.regex.Pattern TEMPORARY = java.util.regex.Pattern.compile("^\\..+\\.[0-9]+\\.part$");

    /** Whether a file name is one of this class's temporary files. */
    public static boolean isTemporary(String fileName) {
        return TEMPORARY.matcher(fileName).matches();
    }

    /**
     * Deletes the temporary files a killed or crashed run left in a folder tree (a process killed
     * mid-write cannot remove its own). Only files older than {@link #STALE_AFTER} go, so a write
     * still in progress in another process is not disturbed. Returns how many were removed.
     */
    public static int removeStaleTemporaries(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        java.nio.file.attribute.FileTime cutoff = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(STALE_AFTER));
        int removed = 0;
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (isTemporary(p.getFileName().toString()) && Files.getLastModifiedTime(p).compareTo(cutoff) < 0) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        }
        return removed;
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".part");
        boolean done = false;
        try {
            readableLikeOrdinaryFiles(tmp, absolute);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                writer.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
