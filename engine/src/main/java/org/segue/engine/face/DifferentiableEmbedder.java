package org.segue.engine.face;

import ai.djl.ndarray.NDArray;

/**
 * A face embedder whose gradient reaches its input, so that it can serve as a surrogate in an objective
 * ({@link org.segue.engine.training.EmbeddingObjective}): protection is trained or optimised against it.
 */
public interface DifferentiableEmbedder extends FaceEmbedder {

    /**
     * The raw embeddings (N, {@link #dimension()}), not normalised, of aligned crops (N, 3, S, S) with S the
     * framing's size, RGB in [0, 1]; differentiable with respect to {@code crops}, on their manager and device.
     */
    NDArray forward(NDArray crops);
}
