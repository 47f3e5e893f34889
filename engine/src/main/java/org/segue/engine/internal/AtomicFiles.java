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
     * Temporary files are created owner-only (0600); the finished file gets the permissions, owner and group of
     * the file it replaces (a read-only file stays read-only, a file of another user stays theirs where this
     * process may give it back), or rw-r--r-- for a new one, like any file a user's program writes. Set once the
     * content is written: a read-only mode on the temporary file would refuse its own content.
     */
    private static void attributesOfTheReplaced(Path tmp, Path target) throws IOException {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        boolean replacing = Files.exists(target);
        Files.setPosixFilePermissions(tmp, replacing ? Files.getPosixFilePermissions(target)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        if (replacing) {
            java.nio.file.attribute.PosixFileAttributes was = Files.readAttributes(target,
                    java.nio.file.attribute.PosixFileAttributes.class);
            java.nio.file.attribute.PosixFileAttributeView view = Files.getFileAttributeView(tmp,
                    java.nio.file.attribute.PosixFileAttributeView.class);
            try {
                if (!was.owner().equals(view.getOwner())) {
                    view.setOwner(was.owner());
                }
                if (!was.group().equals(view.readAttributes().group())) {
                    view.setGroup(was.group());
                }
            } catch (IOException e) {
                // only the superuser may give a file away: the new file is this user's, as any copy would be
            }
        }
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

    /**
     * Writes {@code target} through a temporary file beside it.
     *
     * @throws IOException where the file cannot be written; a failure of the file system names the target and
     *                     says why in words, never the temporary file
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".part");
        } catch (java.nio.file.FileSystemException e) {
            throw failure(absolute, e);
        }
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                writer.writeTo(out);
                out.flush();
                channel.force(true);
            }
            attributesOfTheReplaced(tmp, absolute);
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (java.nio.file.FileSystemException e) {
            if (tmp.toString().equals(e.getFile()) || absolute.toString().equals(e.getFile())) {
                throw failure(absolute, e);
            }
            throw e; // about another file (one the writer read): its own message holds
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // the failure that brought us here is the one to report; a stale temporary file is removed later
                }
            }
        }
    }

    /**
     * A failure to write {@code target} in words a user can act on, naming the target: the file system names the
     * hidden temporary file, which the user never asked for and cannot find afterwards.
     */
    static java.nio.file.FileSystemException failure(Path target, java.nio.file.FileSystemException e) {
        String reason = String.valueOf(e.getReason());
        String words;
        if (e instanceof java.nio.file.AccessDeniedException) {
            words = "permission denied (the file or its folder is not writable)";
        } else if (reason.contains("Operation not permitted")) {
            words = "operation not permitted (the file or its folder is immutable or locked)";
        } else if (reason.contains("Read-only file system")) {
            words = "the file system is read-only";
        } else if (reason.contains("No space left")) {
            words = "disk full (No space left on device)";
        } else if (e instanceof java.nio.file.NoSuchFileException) {
            words = "the folder vanished while writing";
        } else {
            words = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
        }
        java.nio.file.FileSystemException clear = e instanceof java.nio.file.AccessDeniedException
                ? new java.nio.file.AccessDeniedException(target.toString(), null, words)
                : new java.nio.file.FileSystemException(target.toString(), null, "cannot write: " + words);
        clear.initCause(e.getCause());
        return clear;
    }
}
