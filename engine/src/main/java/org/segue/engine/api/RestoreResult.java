package org.segue.engine.api;

import org.segue.engine.spi.FaceBox;

import java.util.List;

/**
 * A restored photo. It holds no pixels and nothing of the key.
 *
 * @param photo         the protected photo as given (its name)
 * @param format        the protected photo's format: JPEG, PNG, TIFF, BMP
 * @param outputFormat  the restored photo's format: the same, except PNG for a JPEG (lossless, so the restored
 *                      samples stay exact; the pixels are written upright)
 * @param regions       the restored regions, in the protected file's stored pixel grid
 * @param wholeImageExact whether every sample of the restored photo equals the original's (PNG, TIFF, BMP);
 *                      false for a JPEG: its regions equal the original's decoded samples, the rest is the
 *                      protected JPEG's decoded samples
 * @param payloadBytes  the size of the payload the photo carried
 */
public record RestoreResult(String photo, String format, String outputFormat, List<FaceBox> regions,
                            boolean wholeImageExact, int payloadBytes) {

    public RestoreResult {
        regions = List.copyOf(regions);
    }
}
