package org.segue.plugin.osgi.api;

import java.util.List;

/**
 * What protecting one photo did.
 *
 * @param faces           the protected face regions (upright pixel coordinates of the photo)
 * @param metadataRemoved kinds of metadata removed ("GPS location", "EXIF thumbnail (IFD1)", ...)
 * @param maxChange       largest change of any sample, in the photo's sample units
 * @param format          the photo's format (JPEG, PNG, TIFF, BMP)
 * @param model           the model that protected it ("default" or a file)
 */
public record ProtectionOutcome(List<Region> faces, List<String> metadataRemoved, int maxChange, String format,
                                String model) {

    /** A rectangle of pixels: left, top, width, height. */
    public record Region(int x, int y, int width, int height) {}
}
