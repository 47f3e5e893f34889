package org.segue.engine.api;

import org.segue.engine.spi.FaceBox;

import java.util.List;

/**
 * What happened to one photo: the one record every host reports (the batch report's entries, the
 * OSGi service's answer, the Fiji log). It holds no person names and no pixels.
 *
 * @param photo           the photo as the report names it (path relative to its input folder, or its name)
 * @param status          protected, no face found, detected (dry run) or failed
 * @param faces           the protected face regions (upright pixel coordinates)
 * @param metadataRemoved kinds of metadata removed ("GPS location", "EXIF thumbnail (IFD1)", ...)
 * @param maxChange       largest change of any sample before encoding, in the photo's sample units
 * @param maxValue        255 or 65535: the sample range {@code maxChange} is measured in
 * @param format          JPEG, PNG, TIFF, BMP; null for an image given as pixels or a photo that failed
 * @param reason          why it failed; null otherwise
 * @param groups          per face, in the order of {@code faces}: the group the batch's automatic grouping put it in
 *                        (1, 2, ...: the same number is the same look-alike group across the batch's photos), or null
 *                        for a face whose identity came from a name, or that no grouping saw; empty when nothing was
 *                        grouped. Group numbers say nothing about who a person is.
 */
public record PhotoResult(String photo, Status status, List<FaceBox> faces, List<String> metadataRemoved,
                          int maxChange, int maxValue, String format, String reason, List<Integer> groups) {

    public enum Status {
        /** Faces were found and protected. */
        PROTECTED,
        /** No face was found, so nothing was protected (written or not, as the {@link NoFacePolicy} says). */
        NO_FACE,
        /** A dry run found these faces; nothing was written. */
        DETECTED,
        /** The photo could not be protected; {@code reason} says why. Nothing was written for it. */
        FAILED
    }

    public PhotoResult {
        faces = List.copyOf(faces);
        metadataRemoved = List.copyOf(metadataRemoved);
        groups = groups == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(groups));
        if (!groups.isEmpty() && groups.size() != faces.size()) {
            throw new IllegalArgumentException(faces.size() + " faces but " + groups.size() + " groups");
        }
    }

    /** A result without grouping. */
    public PhotoResult(String photo, Status status, List<FaceBox> faces, List<String> metadataRemoved,
                       int maxChange, int maxValue, String format, String reason) {
        this(photo, status, faces, metadataRemoved, maxChange, maxValue, format, reason, List.of());
    }

    /** This result with each face's group (see {@link #groups}). */
    public PhotoResult withGroups(List<Integer> faceGroups) {
        return new PhotoResult(photo, status, faces, metadataRemoved, maxChange, maxValue, format, reason, faceGroups);
    }

    public static PhotoResult failed(String photo, List<FaceBox> faces, String reason) {
        return new PhotoResult(photo, Status.FAILED, faces, List.of(), 0, 0, null, reason);
    }

    public boolean isFailed() {
        return status == Status.FAILED;
    }

    /** Whether the photo was read and no face was found in it (in a dry run too). */
    public boolean hasNoFace() {
        return status == Status.NO_FACE || (status == Status.DETECTED && faces.isEmpty());
    }
}
