package org.segue.plugin.osgi.api;

import java.util.List;

/**
 * What protecting one photo did.
 *
 * @param faces           faces found and protected
 * @param metadataRemoved kinds of metadata removed ("GPS location", "EXIF thumbnail (IFD1)", ...)
 * @param maxChange       largest change of any sample, in the photo's sample units
 * @param format          the photo's format (JPEG, PNG, TIFF, BMP)
 * @param model           the model that protected it ("default" or a file)
 */
public record ProtectionOutcome(int faces, List<String> metadataRemoved, int maxChange, String format, String model) {}
