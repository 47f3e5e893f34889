package org.segue.engine.api;

import org.segue.engine.photo.Orientation;
import org.segue.engine.spi.FaceBox;
import org.segue.engine.spi.FaceLandmarks;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An image a host holds in memory, in the pixel grid the host shows it in (an ImageJ image), with the EXIF
 * orientation of the file it came from when the host shows that file's stored grid: ImageJ shows a phone
 * photo tagged "rotate 90" on its side, and a face on its side is found less surely than upright. Faces
 * are detected in the upright view, as for a file, and given back in the host's grid, where the host draws
 * them; the protected pixels come back in the host's grid too.
 *
 * @param pixels          8- or 16-bit grey or RGB, with or without alpha (not changed by the engine)
 * @param exifOrientation 1..8 as in EXIF (1: the pixels are shown upright)
 */
public record HostImage(BufferedImage pixels, int exifOrientation) {

    public HostImage {
        if (pixels == null) {
            throw new IllegalArgumentException("an image is needed");
        }
        if (exifOrientation < 1 || exifOrientation > 8) {
            throw new IllegalArgumentException("the EXIF orientation must be 1..8, was " + exifOrientation);
        }
    }

    /** An image the host shows upright. */
    public static HostImage upright(BufferedImage pixels) {
        return new HostImage(pixels, 1);
    }

    /**
     * A face found in a host's image, in the host's grid.
     *
     * @param detected the detector's box
     * @param region    the region that is protected (the pixels the face's aligned crop covers; for a face
     *                  without landmarks, the detection widened by the face margin)
     * @param landmarks the face's five landmarks in the host's grid, or null (then the face is protected in its
     *                  region without alignment); biometric data: a host must not store or show them
     */
    public record Face(FaceBox detected, FaceBox region, FaceLandmarks landmarks) {

        /** A face without landmarks (a box the host drew itself). */
        public Face(FaceBox detected, FaceBox region) {
            this(detected, region, null);
        }
    }

    /**
     * The EXIF orientation a photo file declares (1..8); 1 where it declares none or its metadata cannot be
     * read.
     *
     * @throws IOException when the file cannot be read
     */
    public static int orientationOf(Path photo) throws IOException {
        // the whole file: a TIFF may keep its first directory after the pixels
        return Orientation.of(Files.readAllBytes(photo)).exifValue();
    }

    /** Width of the upright view. */
    public int uprightWidth() {
        return orientation().uprightWidth(pixels.getWidth(), pixels.getHeight());
    }

    /** Height of the upright view. */
    public int uprightHeight() {
        return orientation().uprightHeight(pixels.getWidth(), pixels.getHeight());
    }

    /** The pixels as seen upright (the same image when they are shown upright, else a turned copy). */
    public BufferedImage uprightPixels() {
        return orientation().applyTo(pixels);
    }

    Orientation orientation() {
        return Orientation.ofExif(exifOrientation);
    }

    /** A box of the upright view in the host's grid. */
    FaceBox toHost(FaceBox upright) {
        return orientation().toStored(upright, pixels.getWidth(), pixels.getHeight());
    }

    /** A box of the host's grid in the upright view. */
    FaceBox toUpright(FaceBox host) {
        return orientation().toUpright(host, pixels.getWidth(), pixels.getHeight());
    }

    /** Landmarks of the upright view in the host's grid (null stays null). */
    FaceLandmarks toHost(FaceLandmarks upright) {
        return upright == null ? null : orientation().toStored(upright, pixels.getWidth(), pixels.getHeight());
    }

    /** Landmarks of the host's grid in the upright view (null stays null). */
    FaceLandmarks toUpright(FaceLandmarks host) {
        return host == null ? null : orientation().toUpright(host, pixels.getWidth(), pixels.getHeight());
    }
}
