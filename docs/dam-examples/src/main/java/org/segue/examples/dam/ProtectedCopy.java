package org.segue.examples.dam;

import org.segue.plugin.osgi.api.FaceProtector;
import org.segue.plugin.osgi.api.ProtectionOutcome;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * A photo's protected output, complete and checked before the DAM sees any of it. The protector writes into a
 * private folder (owner-only where the file system has POSIX permissions) that {@link #close()} deletes, so a
 * DAM replaces its original only with a whole output: a protection that fails half-way leaves the DAM's
 * content as it was and nothing on disk. The folder's files are named "original" and "output", never after the
 * photo, whose name may be a person's.
 */
public final class ProtectedCopy implements AutoCloseable {

    private final Path folder;
    private final Path output;
    private final Path original; // null unless kept
    private final ProtectionOutcome outcome;
    private final ProtectionVerdict verdict;

    private ProtectedCopy(Path folder, Path output, Path original, ProtectionOutcome outcome, ProtectionVerdict verdict) {
        this.folder = folder;
        this.output = output;
        this.original = original;
        this.outcome = outcome;
        this.verdict = verdict;
    }

    /**
     * Protects {@code photo} (read to its end, not closed).
     *
     * @param name       the photo's name as the DAM knows it (the protector uses it in its messages)
     * @param tempParent where the private folder is made (the DAM's temporary directory)
     * @throws IOException when the photo cannot be protected (the protector's reason) or the protector's outcome
     *                     contradicts what it wrote; nothing is left on disk then
     */
    public static ProtectedCopy protect(FaceProtector protector, InputStream photo, String name, Path tempParent)
            throws IOException {
        return run(protector, photo, name, tempParent, false);
    }

    /**
     * As {@link #protect}, keeping a copy of the original as well, for a DAM that must still store the original
     * when nothing was written (the "skip" policy) but has no other way to read its upload twice.
     */
    public static ProtectedCopy protectKeepingOriginal(FaceProtector protector, InputStream photo, String name,
                                                       Path tempParent) throws IOException {
        return run(protector, photo, name, tempParent, true);
    }

    private static ProtectedCopy run(FaceProtector protector, InputStream photo, String name, Path tempParent,
                                     boolean keepOriginal) throws IOException {
        Path folder = privateFolder(tempParent);
        try {
            Path output = folder.resolve("output");
            Path original = null;
            ProtectionOutcome outcome;
            if (keepOriginal) {
                original = folder.resolve("original");
                Files.copy(photo, original);
                try (InputStream in = Files.newInputStream(original); OutputStream out = Files.newOutputStream(output)) {
                    outcome = protector.protect(in, name, out);
                }
            } else {
                try (OutputStream out = Files.newOutputStream(output)) {
                    outcome = protector.protect(photo, name, out);
                }
            }
            ProtectionVerdict verdict = checked(outcome, Files.size(output));
            if (!outcome.written()) {
                Files.delete(output);
            }
            return new ProtectedCopy(folder, output, original, outcome, verdict);
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(folder, e);
            throw e;
        }
    }

    /** The verdict, once the outcome has been checked against the bytes the protector really wrote. */
    private static ProtectionVerdict checked(ProtectionOutcome outcome, long bytesWritten) throws IOException {
        ProtectionVerdict verdict;
        try {
            verdict = ProtectionVerdict.of(outcome);
        } catch (IllegalArgumentException e) {
            throw new IOException("the face protector broke its contract: " + e.getMessage(), e);
        }
        if (outcome.written() && bytesWritten == 0) {
            throw new IOException("the face protector reported an output but wrote nothing");
        }
        if (!outcome.written() && bytesWritten > 0) {
            throw new IOException("the face protector reported no output but wrote " + bytesWritten + " bytes");
        }
        return verdict;
    }

    public ProtectionOutcome outcome() {
        return outcome;
    }

    public ProtectionVerdict verdict() {
        return verdict;
    }

    /** Whether there is an output (false under the "skip" policy). */
    public boolean written() {
        return outcome.written();
    }

    /** The output's size in bytes. */
    public long size() throws IOException {
        return Files.size(requireOutput());
    }

    /** A new stream over the output; the caller closes it before {@link #close()}. */
    public InputStream openStream() throws IOException {
        return Files.newInputStream(requireOutput());
    }

    /** The output's SHA-256, hexadecimal. */
    public String sha256() throws IOException {
        try (InputStream in = openStream()) {
            return sha256(in);
        }
    }

    /** Whether a copy of the original was kept ({@link #protectKeepingOriginal}). */
    public boolean hasOriginal() {
        return original != null;
    }

    /** The kept original's size in bytes. */
    public long originalSize() throws IOException {
        return Files.size(requireOriginal());
    }

    /** A new stream over the kept original. */
    public InputStream openOriginal() throws IOException {
        return Files.newInputStream(requireOriginal());
    }

    /** Deletes the private folder and everything in it. */
    @Override
    public void close() throws IOException {
        deleteTree(folder);
    }

    /** The SHA-256 of a stream's remaining bytes, hexadecimal (the stream is read to its end, not closed). */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        try (DigestInputStream digesting = new DigestInputStream(in, digest) {
            @Override
            public void close() {
                // the caller owns the stream
            }
        }) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private Path requireOutput() {
        if (!outcome.written()) {
            throw new IllegalStateException("nothing was written for this photo (no face found, skip policy)");
        }
        return output;
    }

    private Path requireOriginal() {
        if (original == null) {
            throw new IllegalStateException("the original was not kept");
        }
        return original;
    }

    private static Path privateFolder(Path parent) throws IOException {
        if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
            return Files.createTempDirectory(parent, "segue-", ownerOnly);
        }
        return Files.createTempDirectory(parent, "segue-");
    }

    private static void deleteQuietly(Path folder, Throwable cause) {
        try {
            deleteTree(folder);
        } catch (IOException | UncheckedIOException e) {
            cause.addSuppressed(e);
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
