package org.segue.examples.dam.aem;

import com.day.cq.dam.api.Asset;
import com.day.cq.dam.api.Rendition;
import org.segue.examples.dam.PhotoContent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * What the AEM examples record in an asset's metadata, and the rules that read it. The record names the exact
 * original it was made for (its SHA-256): a new original uploaded over a protected asset keeps the old
 * metadata, and must not pass for protected.
 */
public final class ProtectionRecord {

    /** "protected" or "no-face" ({@link org.segue.examples.dam.ProtectionVerdict#mark()}). */
    public static final String STATUS = "segue:status";
    /** SHA-256 of the original the status was recorded for. */
    public static final String ORIGINAL_SHA256 = "segue:originalSha256";
    /** How many faces were protected. */
    public static final String FACES = "segue:faces";

    private ProtectionRecord() {
    }

    /**
     * Whether the asset is a photo the examples protect and hold back: its original is one by its first bytes
     * ({@link PhotoContent}), whatever MIME type the uploader declared and AEM recorded, or it is declared as one.
     * An asset uploaded as {@code application/octet-stream} is still rendered and published as the photo it is.
     */
    public static boolean isPhoto(Asset asset) throws IOException {
        Rendition original = asset.getOriginal();
        if (original == null) {
            return PhotoContent.isPhotoType(asset.getMimeType());
        }
        try (InputStream in = original.getStream()) {
            byte[] head = in == null ? new byte[0] : PhotoContent.head(in);
            return PhotoContent.mustBeProtected(asset.getMimeType(), head);
        }
    }

    /** Whether the recorded status was made for this very original: the workflow step has nothing left to do. */
    public static boolean handled(String status, String recordedSha256, String originalSha256) {
        return status != null && recordedSha256 != null && recordedSha256.equalsIgnoreCase(originalSha256);
    }

    /** Why the asset must not be published, or empty when its current original is the protected one. */
    public static Optional<String> publicationRefusal(String status, String recordedSha256, String originalSha256) {
        if (status == null) {
            return Optional.of("its faces have not been protected yet");
        }
        if (!handled(status, recordedSha256, originalSha256)) {
            return Optional.of("its original changed after it was protected");
        }
        if (!"protected".equals(status)) {
            return Optional.of("no face was found in it (" + status + "): review it; it is not protected");
        }
        return Optional.empty();
    }
}
