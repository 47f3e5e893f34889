package org.segue.examples.dam.aem;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

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

    private static final Set<String> PHOTO_TYPES = Set.of("image/jpeg", "image/pjpeg", "image/png", "image/tiff",
            "image/bmp", "image/x-ms-bmp");

    private ProtectionRecord() {
    }

    /** Whether an asset of this MIME type is a photo Segue reads (JPEG, PNG, TIFF, BMP). */
    public static boolean isPhoto(String mimeType) {
        return mimeType != null && PHOTO_TYPES.contains(mimeType.toLowerCase(Locale.ROOT).strip());
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
