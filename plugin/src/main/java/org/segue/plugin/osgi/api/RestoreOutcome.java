package org.segue.plugin.osgi.api;

import java.util.List;

/**
 * What restoring one erasably protected photo did ({@link FaceProtector#restore}). It holds no pixels and
 * nothing of the key.
 *
 * @param regions         the restored regions (pixel coordinates of the protected file as stored)
 * @param wholeImageExact whether every sample of the restored photo equals the original's: true for PNG, TIFF
 *                        and BMP; false for a JPEG, whose restored regions equal the original's decoded samples
 *                        while the rest is the protected JPEG's decoded samples
 * @param format          the protected photo's format (JPEG, PNG, TIFF, BMP)
 * @param outputFormat    the restored photo's format: the same, except PNG for a JPEG (lossless, so the restored
 *                        samples stay exact)
 */
public record RestoreOutcome(List<ProtectionOutcome.Region> regions, boolean wholeImageExact, String format,
                             String outputFormat) {

    public RestoreOutcome {
        regions = List.copyOf(regions);
    }
}
