package org.segue.plugin.osgi.api;

import java.util.List;

/**
 * What protecting one photo did.
 *
 * @param facesFound      whether a face was found: false means nothing in the photo was protected (a face the
 *                        detector missed is as recognisable as before), so a caller must not publish it as
 *                        protected; what was written then follows the configured no-face policy
 * @param written         whether anything was written to the output (false under the skip policy)
 * @param faces           the protected face regions (upright pixel coordinates of the photo)
 * @param metadataRemoved kinds of metadata removed ("GPS location", "EXIF thumbnail (IFD1)", ...)
 * @param maxChange       largest change of any sample, in the photo's sample units
 * @param format          the photo's format (JPEG, PNG, TIFF, BMP)
 * @param model           the model that protected it ("default" or a file)
 */
public record ProtectionOutcome(boolean facesFound, boolean written, List<Region> faces, List<String> metadataRemoved,
                                int maxChange, String format, String model) {

    /** A rectangle of pixels: left, top, width, height. */
    public record Region(int x, int y, int width, int height) {}
}
