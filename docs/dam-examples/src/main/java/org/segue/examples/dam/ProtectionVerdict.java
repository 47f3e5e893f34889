package org.segue.examples.dam;

import org.segue.plugin.osgi.api.ProtectionOutcome;

/**
 * What a DAM does with one photo after {@code FaceProtector.protect}: the single place where the examples read
 * a {@link ProtectionOutcome}, so that a photo without a found face is never stored or published as protected.
 */
public enum ProtectionVerdict {

    /** Faces were found and protected: the output replaces the original and may be published. */
    PROTECTED,

    /**
     * No face was found and the output is the photo with its metadata cleaned (the "copy" policy). A face the
     * detector missed is as recognisable as before, so the asset is held for review and never marked protected.
     */
    NO_FACE_CLEANED_COPY,

    /** No face was found and nothing was written (the "skip" policy): the original stays, held for review. */
    NO_FACE_NOTHING_WRITTEN;

    /**
     * The verdict for an outcome.
     *
     * @throws IllegalArgumentException for an outcome that breaks the service contract (faces protected but
     *                                  nothing written, or faces found without a region)
     */
    public static ProtectionVerdict of(ProtectionOutcome outcome) {
        if (outcome.facesFound()) {
            if (!outcome.written() || outcome.faces().isEmpty()) {
                throw new IllegalArgumentException("inconsistent outcome: faces found (" + outcome.faces().size()
                        + " regions) but written=" + outcome.written());
            }
            return PROTECTED;
        }
        return outcome.written() ? NO_FACE_CLEANED_COPY : NO_FACE_NOTHING_WRITTEN;
    }

    /** Whether the asset may be published as protected. */
    public boolean publishable() {
        return this == PROTECTED;
    }

    /** Whether the output replaces the stored original (the cleaned copy does: it keeps no GPS location). */
    public boolean replacesOriginal() {
        return this != NO_FACE_NOTHING_WRITTEN;
    }

    /** The value the examples record on the asset ({@code segue:status} in AEM, a tag in Liferay). */
    public String mark() {
        return switch (this) {
            case PROTECTED -> "protected";
            case NO_FACE_CLEANED_COPY, NO_FACE_NOTHING_WRITTEN -> "no-face";
        };
    }
}
