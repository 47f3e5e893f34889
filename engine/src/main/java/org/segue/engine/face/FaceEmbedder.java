package org.segue.engine.face;

import org.segue.engine.internal.RgbImage;
import org.segue.engine.spi.FaceLandmarks;

import java.util.List;

/**
 * A pretrained face recogniser's embedding: aligned face crops to unit-length vectors whose cosine
 * similarity is high for the same person and low for different people. Implementations are thread-safe.
 *
 * <p>Embeddings are biometric templates: they must never reach logs, reports, temp files or outputs.
 */
public interface FaceEmbedder extends AutoCloseable {

    /** Length of an embedding. */
    int dimension();

    /** The crop the embedder takes: {@link #embed} refuses crops of any other size. */
    CropFraming framing();

    /** The alignment of a face with these landmarks onto this embedder's crop. */
    default FaceAlignment align(FaceLandmarks landmarks) {
        return FaceAlignment.of(landmarks, framing());
    }

    /**
     * Unit-length embeddings of aligned crops ({@code framing().size()} square, RGB in [0, 1]), in input
     * order, computed in batches.
     *
     * @throws IllegalArgumentException naming the first crop of the wrong size
     */
    float[][] embed(List<RgbImage> alignedCrops);

    /** The embedding of one aligned crop. */
    default float[] embed(RgbImage alignedCrop) {
        return embed(List.of(alignedCrop))[0];
    }

    /** The embedding of the face with these landmarks in a photo. */
    default float[] embedFace(RgbImage photo, FaceLandmarks landmarks) {
        return embed(align(landmarks).warp(photo));
    }

    /** Cosine similarity of two unit-length embeddings (their dot product). */
    static double similarity(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of different lengths: " + a.length + " and " + b.length);
        }
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    /** Frees the network's native memory; the embedder must not be used afterwards. */
    @Override
    void close();
}
