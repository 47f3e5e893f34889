package org.segue.engine.api;

import org.segue.engine.erasure.PhotoRestorer;
import org.segue.engine.internal.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Restores photos protected erasably ({@link ProtectionOptions.Builder#erasable(ErasureKey)}) with their key:
 * the original samples of the protected regions come back bit for bit. No model is needed. The restoration
 * payload travels inside the file (JPEG APP15 segments, a PNG {@code sgRS} chunk, a TIFF private tag) or, for
 * BMP, in a sidecar file {@code <photo>.segue-restore} beside it.
 *
 * <p>Every refusal is a {@link RestoreException} naming its {@link RestoreException.Reason}: no payload, wrong
 * key, payload changed or cut short, payload of another photo; nothing is written then.
 */
public final class Restorer {

    /** The suffix of a BMP's sidecar: {@code photo.bmp} has {@code photo.bmp.segue-restore}. */
    public static final String SIDECAR_SUFFIX = PhotoRestorer.SIDECAR_SUFFIX;

    private Restorer() {}

    /**
     * Restores a protected photo file into {@code output} (written atomically; a JPEG is restored as PNG, see
     * {@link #restoredFileName}). The protected photo is not changed.
     *
     * @throws RestoreException for a refusal; nothing is written
     * @throws IOException      when the photo cannot be read or the output written
     */
    public static RestoreResult restore(Path protectedPhoto, Path output, ErasureKey key) throws IOException {
        if (Files.exists(output) && Files.isSameFile(protectedPhoto, output)) {
            throw new IOException(output + " is the protected photo; restoring writes a new file");
        }
        PhotoRestorer.Restored restored = PhotoRestorer.restore(Files.readAllBytes(protectedPhoto),
                PhotoRestorer.sidecarOf(protectedPhoto), protectedPhoto.getFileName().toString(), key);
        AtomicFiles.write(output, restored.output());
        return restored.result();
    }

    /**
     * Restores a protected photo read from a stream (its payload inside the file: a BMP's sidecar is not part
     * of the stream, so a BMP is refused here; restore it by path).
     */
    public static RestoreResult restore(InputStream in, String name, OutputStream out, ErasureKey key)
            throws IOException {
        PhotoRestorer.Restored restored = PhotoRestorer.restore(in.readAllBytes(), null, name, key);
        out.write(restored.output());
        return restored.result();
    }

    /**
     * The file name a restored photo gets: the same name, except {@code .png} in place of the extension of a
     * JPEG (restored losslessly). Told by the file's content.
     */
    public static String restoredFileName(Path protectedPhoto) throws IOException {
        return PhotoRestorer.restoredFileName(protectedPhoto.getFileName().toString(),
                PhotoRestorer.head(protectedPhoto));
    }

    /** Whether a photo file carries a restoration payload (inside it, or a BMP's sidecar), without any key. */
    public static boolean hasPayload(Path photo) throws IOException {
        return PhotoRestorer.hasPayload(Files.readAllBytes(photo), PhotoRestorer.sidecarOf(photo));
    }
}
