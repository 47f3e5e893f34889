package org.segue.lab.eval;

import org.segue.engine.face.CropFraming;
import org.segue.engine.face.FaceAlignment;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.photo.PhotoCodec;
import org.segue.engine.photo.PhotoException;
import org.segue.engine.spi.DetectedFace;
import org.segue.engine.spi.FaceBox;
import org.segue.engine.spi.FaceDetector;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * How an attacker who scraped whole photos turns them into training faces: it finds the faces with its own
 * detector, keeps the largest (the photo's subject), and either cuts a square around it or, as recognition
 * pipelines do, warps it onto a five-point face template from the detector's landmarks, at its network's input
 * size. It knows nothing of how the photos were protected.
 */
public final class AttackerFaceCrops {

    private final FaceDetector detector;
    private final int size;
    private final double margin;
    private final CropFraming aligned;

    /**
     * Square crops around the detections.
     *
     * @param detector the attacker's detector
     * @param size     side of the crops, in pixels
     * @param margin   the detection's larger side is widened by this fraction on each side
     */
    public AttackerFaceCrops(FaceDetector detector, int size, double margin) {
        this(detector, size, margin, null);
    }

    /**
     * @param aligned where not null, a face with landmarks is warped onto this framing of the five-point template
     *                (its size is the crop's); a face without them is cut as a square widened by {@code margin}
     */
    private AttackerFaceCrops(FaceDetector detector, int size, double margin, CropFraming aligned) {
        this.detector = detector;
        this.size = size;
        this.margin = margin;
        this.aligned = aligned;
    }

    /**
     * Crops aligned on ArcFace's five-point template, widened by {@code padding} (0: ArcFace's own framing, the
     * one the product's generator works in).
     */
    public static AttackerFaceCrops aligned(FaceDetector detector, int size, double padding, double margin) {
        return new AttackerFaceCrops(detector, size, margin, CropFraming.of(size, padding));
    }

    /** The subject's face in the photo at {@code file}, or null when the attacker's detector finds none. */
    public RgbImage crop(Path file) throws IOException, PhotoException {
        PhotoCodec.Decoded decoded = PhotoCodec.decode(Files.readAllBytes(file), file.toString(), PhotoCodec.DEFAULT_MAX_PIXELS);
        BufferedImage upright = decoded.orientation().applyTo(decoded.pixels().preview(1));
        return crop(upright);
    }

    /** The subject's face in an upright photo, or null when the attacker's detector finds none. */
    public RgbImage crop(BufferedImage upright) {
        List<DetectedFace> faces = detector.detectFaces(upright);
        DetectedFace subject = faces.stream()
                .max(Comparator.comparingLong(f -> (long) f.box().width() * f.box().height())).orElse(null);
        if (subject == null) {
            return null;
        }
        if (aligned != null && subject.hasLandmarks()) {
            return FaceAlignment.of(subject.landmarks(), aligned).warp(ImageCodec.fromBuffered(upright));
        }
        FaceBox square = subject.box().expandedSquare(margin, upright.getWidth(), upright.getHeight());
        RgbImage face = ImageCodec.fromBuffered(upright.getSubimage(square.x(), square.y(), square.width(), square.height()));
        return ImageOps.resize(face, size, size);
    }
}
