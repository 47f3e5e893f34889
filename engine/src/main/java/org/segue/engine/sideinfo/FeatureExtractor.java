package org.segue.engine.sideinfo;

import org.segue.engine.internal.RgbImage;

import java.util.List;

/**
 * Turns a face image into a fixed-length embedding in which faces of one person lie closer together
 * than faces of different people. For pseudo labelling the extractor must not have been trained on
 * the identities being protected, or the labels would leak what protection is meant to hide.
 */
public interface FeatureExtractor {

    /** The embedding of one face; always the same length for a given extractor. */
    float[] embed(RgbImage face);

    /** A short name that identifies the extractor and its settings (for logs and reports). */
    String name();

    /** The embeddings of {@code faces}, in order. */
    default float[][] embedAll(List<RgbImage> faces) {
        float[][] embeddings = new float[faces.size()][];
        for (int i = 0; i < embeddings.length; i++) {
            embeddings[i] = embed(faces.get(i));
        }
        return embeddings;
    }
}
