package org.segue.engine.erasure;

import org.segue.engine.api.ErasureKey;
import org.segue.engine.api.RestoreException;
import org.segue.engine.photo.PhotoException;
import org.segue.engine.photo.PhotoFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Arbitrary bytes through the payload parsers and the restore path: as a photo file (every format's carrier,
 * the header, the binding to the photo, decryption with the seed photos' key) and as a bare payload. A
 * refusal is a {@link RestoreException} or the photo path's {@link PhotoException}; anything else (an
 * unchecked exception, an allocation a header asked for) is a finding.
 */
public final class PayloadFuzzer {

    /** The key the seed photos were protected with: 32 bytes 0..31. */
    static final ErasureKey KEY = fixedKey();

    private PayloadFuzzer() {}

    private static ErasureKey fixedKey() {
        byte[] bytes = new byte[32];
        for (int i = 0; i < 32; i++) {
            bytes[i] = (byte) i;
        }
        try {
            Path file = Files.createTempFile("segue-fuzz", ".key");
            Files.writeString(file, "segue-erasure-key 1\n" + Base64.getEncoder().encodeToString(bytes) + "\n",
                    StandardCharsets.US_ASCII);
            try {
                return ErasureKey.read(file);
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            Payload.Header header = Payload.header(data);
            if (Payload.keyMatches(header, KEY.material())) {
                Payload.open(data, header, KEY.material());
            }
        } catch (RestoreException e) {
            // refused: what a damaged payload must get
        }
        for (PhotoFormat format : new PhotoFormat[] {PhotoFormat.JPEG, PhotoFormat.PNG, PhotoFormat.TIFF}) {
            try {
                if (data.length >= 8) {
                    Carriers.extract(format, data);
                }
            } catch (RestoreException e) {
                // refused
            }
        }
        try {
            PhotoRestorer.restore(data, null, "fuzz", KEY);
        } catch (RestoreException | PhotoException e) {
            // refused with a reason
        } catch (IOException e) {
            throw new AssertionError("an unexplained I/O failure: " + e, e);
        }
    }
}
