package org.segue.engine.api;

import org.segue.engine.erasure.KeyMaterial;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;

/**
 * The key of erasable protection: whoever holds it restores the original samples of a protected photo
 * (see {@link ProtectionOptions.Builder#erasable(ErasureKey)} and {@link Restorer}). Either 256 random bits kept
 * in a key file ({@link #generate()}, {@link #write(Path)}, {@link #read(Path)}), or a passphrase stretched with
 * Argon2id ({@link #fromPassphrase(char[])}, {@link #readPassphrase(Path)}). A key never appears in a log, a
 * report or an output: {@link #toString()} names its kind only.
 */
public final class ErasureKey {

    /** The first line of a key file. */
    static final String KEY_FILE_HEADER = "segue-erasure-key 1";

    private final KeyMaterial material;

    private ErasureKey(KeyMaterial material) {
        this.material = material;
    }

    /** A new random 256-bit key (write it with {@link #write(Path)} before using it: lose it, lose the way back). */
    public static ErasureKey generate() {
        return new ErasureKey(KeyMaterial.Random.generate());
    }

    /**
     * A passphrase key (at least 8 characters); the array is copied, so the caller may clear its own. Each
     * photo's payload records the stretching parameters and salt.
     *
     * @throws IllegalArgumentException for a passphrase shorter than 8 characters
     */
    public static ErasureKey fromPassphrase(char[] passphrase) {
        return new ErasureKey(new KeyMaterial.Passphrase(passphrase));
    }

    /**
     * The passphrase in the first line of a file (without its line end), so it never stands on a command line.
     *
     * @throws IOException naming the file when it cannot be read, is empty or the passphrase is too short
     */
    public static ErasureKey readPassphrase(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new IOException(file + ": the passphrase file is empty (its first line is the passphrase)");
        }
        char[] passphrase = lines.get(0).toCharArray();
        try {
            return fromPassphrase(passphrase);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        } finally {
            java.util.Arrays.fill(passphrase, '\0');
        }
    }

    /**
     * Reads a key file written by {@link #write(Path)} ({@code segue keygen}).
     *
     * @throws IOException naming the file when it cannot be read or is no Segue key file
     */
    public static ErasureKey read(Path keyFile) throws IOException {
        List<String> lines = Files.readAllLines(keyFile, StandardCharsets.US_ASCII);
        if (lines.size() < 2 || !lines.get(0).strip().equals(KEY_FILE_HEADER)) {
            throw new IOException(keyFile + ": not a Segue erasure key file (segue keygen writes one)");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(lines.get(1).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException(keyFile + ": the key file is damaged (its key line is not Base64)");
        }
        if (key.length != 32) {
            throw new IOException(keyFile + ": the key file is damaged (its key is not 256 bits)");
        }
        try {
            return new ErasureKey(new KeyMaterial.Random(key));
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Writes this key to a new key file readable by its owner only (0600 where the file system has POSIX
     * permissions); an existing file is never overwritten.
     *
     * @throws FileAlreadyExistsException when the file exists
     * @throws IllegalStateException for a passphrase key (a passphrase is not written down by the product)
     */
    public void write(Path keyFile) throws IOException {
        if (!(material instanceof KeyMaterial.Random random)) {
            throw new IllegalStateException("a passphrase key has no key file");
        }
        byte[] bytes = random.bytes();
        byte[] content = (KEY_FILE_HEADER + "\n" + Base64.getEncoder().encodeToString(bytes) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        java.util.Arrays.fill(bytes, (byte) 0);
        Path absolute = keyFile.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        // created with its final permissions, so there is no moment at which others could read it
        boolean posix = absolute.getFileSystem().supportedFileAttributeViews().contains("posix");
        var channel = posix
                ? Files.newByteChannel(absolute, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.newByteChannel(absolute, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (channel) {
            channel.write(java.nio.ByteBuffer.wrap(content));
        }
        java.util.Arrays.fill(content, (byte) 0);
    }

    /** Whether this key is a passphrase (it has no key file). */
    public boolean isPassphrase() {
        return material instanceof KeyMaterial.Passphrase;
    }

    /** The secret, for the engine only: hosts pass the key on and never look inside. */
    public KeyMaterial material() {
        return material;
    }

    /** The kind of key, never the key. */
    @Override
    public String toString() {
        return "ErasureKey[" + material + "]";
    }
}
