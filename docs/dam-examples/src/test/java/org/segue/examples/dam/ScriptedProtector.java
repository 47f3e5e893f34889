package org.segue.examples.dam;

import org.segue.plugin.osgi.api.CheckOutcome;
import org.segue.plugin.osgi.api.FaceProtector;
import org.segue.plugin.osgi.api.ProtectionOutcome;
import org.segue.plugin.osgi.api.RestoreOutcome;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A FaceProtector whose behaviour a test sets: it reads the whole photo, writes a transform of it (each byte
 * inverted, so a test can tell output from input) and returns the outcome it was given, or fails part-way.
 */
public final class ScriptedProtector implements FaceProtector {

    public static final ProtectionOutcome FACES = new ProtectionOutcome(true, true,
            List.of(new ProtectionOutcome.Region(10, 20, 30, 40)), List.of("GPS location"), 8, "JPEG", "default");
    public static final ProtectionOutcome NO_FACE_COPY = new ProtectionOutcome(false, true, List.of(),
            List.of("GPS location"), 0, "JPEG", "default");
    public static final ProtectionOutcome NO_FACE_SKIP = new ProtectionOutcome(false, false, List.of(), List.of(),
            0, "JPEG", "default");

    private final ProtectionOutcome outcome;
    private final boolean write;
    private final int failAfter; // -1: never fail
    public int calls;
    public byte[] lastInput;

    private ScriptedProtector(ProtectionOutcome outcome, boolean write, int failAfter) {
        this.outcome = outcome;
        this.write = write;
        this.failAfter = failAfter;
    }

    /** Writes the transformed photo when the outcome says so. */
    public static ScriptedProtector returning(ProtectionOutcome outcome) {
        return new ScriptedProtector(outcome, outcome.written(), -1);
    }

    /** Writes (or not) regardless of what the outcome says: a protector that breaks the contract. */
    public static ScriptedProtector lying(ProtectionOutcome outcome, boolean write) {
        return new ScriptedProtector(outcome, write, -1);
    }

    /** Writes {@code bytes} bytes of the output, then fails as a damaged photo does. */
    public static ScriptedProtector failingAfter(int bytes) {
        return new ScriptedProtector(FACES, true, bytes);
    }

    /** What this protector writes for {@code photo}. */
    public static byte[] transformed(byte[] photo) {
        byte[] out = photo.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ~out[i];
        }
        return out;
    }

    @Override
    public ProtectionOutcome protect(InputStream in, String name, OutputStream out) throws IOException {
        calls++;
        lastInput = in.readAllBytes();
        byte[] output = transformed(lastInput);
        if (failAfter >= 0) {
            out.write(output, 0, Math.min(failAfter, output.length));
            throw new IOException("damaged JPEG (premature end of data)");
        }
        if (write) {
            out.write(output);
        }
        return outcome;
    }

    @Override
    public ProtectionOutcome protect(Path photo, Path output) {
        throw new UnsupportedOperationException("the examples protect streams");
    }

    @Override
    public RestoreOutcome restore(Path protectedPhoto, Path output) {
        throw new UnsupportedOperationException("the examples do not restore");
    }

    @Override
    public RestoreOutcome restore(InputStream in, String name, OutputStream out) {
        throw new UnsupportedOperationException("the examples do not restore");
    }

    @Override
    public CheckOutcome check(Path labelledFolder) {
        throw new UnsupportedOperationException("the examples do not check");
    }
}
