package org.segue.engine.sideinfo;

import org.segue.engine.internal.RgbImage;

import java.util.List;

/**
 * Pseudo labels for unlabelled face photos: each face is embedded by a feature extractor that was not
 * trained on the protected identities, the embeddings are scaled to unit length (so clusters form by
 * direction, as face embeddings are compared), and K-means with k clusters gives each face a label
 * 0..k-1. The labels are cluster numbers, not identities; {@link ClusteringAccuracy} scores them
 * against true labels where those are known.
 */
public final class PseudoLabeler {

    /**
     * A labelling with what it was computed from.
     *
     * @param labels     cluster 0..k-1 of each face, in input order
     * @param embeddings the unit-length embedding of each face, in input order
     * @param inertia    the K-means inertia of the labelling (lower is tighter)
     */
    public record Labelling(int[] labels, float[][] embeddings, double inertia) {}

    private PseudoLabeler() {}

    /**
     * Pseudo labels of {@code faces}.
     *
     * @param k        number of identities to find, 1..faces.size()
     * @param restarts K-means runs, the tightest kept, at least 1
     * @param seed     seed for reproducible labels
     */
    public static int[] label(List<RgbImage> faces, int k, FeatureExtractor extractor, int restarts, long seed) {
        return labelWithEmbeddings(faces, k, extractor, restarts, seed).labels();
    }

    /** As {@link #label}, also returning the embeddings and the inertia. */
    public static Labelling labelWithEmbeddings(List<RgbImage> faces, int k, FeatureExtractor extractor,
                                                int restarts, long seed) {
        if (faces == null || faces.isEmpty()) {
            throw new IllegalArgumentException("pseudo labelling needs at least one face");
        }
        if (extractor == null) {
            throw new IllegalArgumentException("pseudo labelling needs a feature extractor");
        }
        float[][] raw = extractor.embedAll(faces);
        float[][] embeddings = new float[raw.length][];
        for (int i = 0; i < raw.length; i++) {
            embeddings[i] = unitLength(raw[i]); // a copy: the extractor's arrays are not ours to change
        }
        KMeans.Result clustering = KMeans.fit(embeddings, k, restarts, seed);
        return new Labelling(clustering.assignment(), embeddings, clustering.inertia());
    }

    /** {@code v} scaled to unit L2 norm; an all-zero embedding has no direction and stays zero. */
    private static float[] unitLength(float[] v) {
        double sumOfSquares = 0;
        for (float x : v) {
            sumOfSquares += (double) x * x;
        }
        float[] unit = v.clone();
        if (sumOfSquares > 0) {
            double scale = 1 / Math.sqrt(sumOfSquares);
            for (int i = 0; i < unit.length; i++) {
                unit[i] = (float) (v[i] * scale);
            }
        }
        return unit;
    }
}
