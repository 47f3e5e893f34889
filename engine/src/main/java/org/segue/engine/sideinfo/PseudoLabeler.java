package org.segue.engine.sideinfo;

import org.segue.engine.internal.RgbImage;

import java.util.List;

/**
 * Pseudo labels and groups for unlabelled faces: each face is embedded by a {@link FeatureExtractor} that was not
 * trained on the protected identities, and the embeddings are grouped by direction (cosine similarity), as face
 * embeddings are compared: into k groups by {@link CosineKMeans} where the number of people is known (the paper's
 * pseudo labels), or by {@link ChineseWhispers} on faces within a cosine distance where it is not (grouping a
 * batch of photos). Group numbers are not identities; {@link ClusteringAccuracy} scores them against true labels where
 * those are known.
 *
 * <p>Any extractor plugs in: a pretrained face embedder (which groups people far better, and wants faces aligned
 * the way it was trained), or {@link #fallbackExtractor()} where none is available.
 */
public final class PseudoLabeler {

    /**
     * A labelling with what it was computed from.
     *
     * @param labels     group 0..g-1 of each face, in input order
     * @param embeddings the unit-length embedding of each face, in input order (biometric data: never to be
     *                   logged or written out)
     * @param inertia    for k groups, the cosine k-means inertia (sum of {@code 1 - cos} to the own group's mean
     *                   direction; lower is tighter); NaN for threshold grouping
     */
    public record Labelling(int[] labels, float[][] embeddings, double inertia) {
        /** The number of groups. */
        public int groups() {
            return Grouping.count(labels);
        }

        /**
         * The faces whose group is least certain, and the group each of them lies next nearest to: for every face, the
         * cosine similarity to its own group's mean direction less that to the nearest other group's (its margin);
         * the {@code share} of the faces with the smallest margins (rounded down) get the other group, the rest -1.
         * A share rather than a margin, because how tightly an embedder packs a person differs between datasets:
         * dlib's ResNet leaves about 0.04 between a face's own group and the next on WebFace10, 0.06 on celeb10.
         * On both, the faces k-means gives another person's group are almost all among the tenth with the smallest
         * margins (39 of 43 and 35 of 41 of the training faces).
         *
         * @param share 0..1
         * @return per face, in input order, the next nearest group or -1; all -1 where there is one group
         */
        public int[] runnerUps(double share) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("the share of uncertain faces must be 0..1, was " + share);
            }
            int[] out = new int[labels.length];
            java.util.Arrays.fill(out, -1);
            int groups = groups();
            int uncertain = (int) Math.floor(share * labels.length);
            if (groups < 2 || uncertain == 0) {
                return out;
            }
            float[][] centres = Grouping.centroids(embeddings, labels);
            double[] margin = new double[labels.length];
            int[] next = new int[labels.length];
            for (int i = 0; i < labels.length; i++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int g = 0; g < groups; g++) {
                    if (g == labels[i]) {
                        continue;
                    }
                    double similarity = Embeddings.dot(embeddings[i], centres[g]);
                    if (similarity > best) {
                        best = similarity;
                        next[i] = g;
                    }
                }
                margin[i] = Embeddings.dot(embeddings[i], centres[labels[i]]) - best;
            }
            Integer[] order = java.util.stream.IntStream.range(0, labels.length).boxed().toArray(Integer[]::new);
            java.util.Arrays.sort(order, java.util.Comparator.<Integer>comparingDouble(i -> margin[i]).thenComparingInt(i -> i));
            for (int r = 0; r < uncertain; r++) {
                out[order[r]] = next[order[r]];
            }
            return out;
        }

        @Override
        public String toString() {
            return "Labelling[" + labels.length + " faces in " + groups() + " groups]";
        }
    }

    private PseudoLabeler() {}

    /**
     * The extractor used where no face embedder is at hand: the LBP histogram descriptor, which needs no
     * weights but separates people poorly on real photos (about a quarter of WebFace10's faces grouped right).
     */
    public static FeatureExtractor fallbackExtractor() {
        return new LbpFeatureExtractor();
    }

    /**
     * Pseudo labels of {@code faces}.
     *
     * @param k        number of identities to find, 1..faces.size()
     * @param restarts k-means runs, the tightest kept, at least 1
     * @param seed     seed for reproducible labels
     */
    public static int[] label(List<RgbImage> faces, int k, FeatureExtractor extractor, int restarts, long seed) {
        return labelWithEmbeddings(faces, k, extractor, restarts, seed).labels();
    }

    /** As {@link #label}, also returning the embeddings and the inertia. */
    public static Labelling labelWithEmbeddings(List<RgbImage> faces, int k, FeatureExtractor extractor,
                                                int restarts, long seed) {
        return labelEmbeddings(embed(faces, extractor), k, restarts, seed);
    }

    /**
     * Pseudo labels of faces already embedded (by any extractor; lengths do not matter).
     *
     * @throws IllegalArgumentException on empty, ragged or non-finite embeddings, or k or restarts out of range
     */
    public static Labelling labelEmbeddings(float[][] embeddings, int k, int restarts, long seed) {
        float[][] unit = unit(embeddings);
        CosineKMeans.Result clustering = CosineKMeans.fit(unit, k, restarts, seed);
        return new Labelling(clustering.assignment(), unit, clustering.inertia());
    }

    /**
     * Groups of {@code faces} where the number of people is unknown: {@link Grouping#byThreshold} with faces
     * joined up to the cosine distance {@code maxDistance}, which depends on the embedder ({@link Grouping#DEFAULT_MAX_DISTANCE}
     * for dlib's ResNet).
     */
    public static Labelling group(List<RgbImage> faces, FeatureExtractor extractor, double maxDistance) {
        return groupEmbeddings(embed(faces, extractor), maxDistance);
    }

    /** As {@link #group}, for faces already embedded. */
    public static Labelling groupEmbeddings(float[][] embeddings, double maxDistance) {
        float[][] unit = unit(embeddings);
        return new Labelling(Grouping.byThreshold(unit, maxDistance), unit, Double.NaN);
    }

    private static float[][] embed(List<RgbImage> faces, FeatureExtractor extractor) {
        if (faces == null || faces.isEmpty()) {
            throw new IllegalArgumentException("pseudo labelling needs at least one face");
        }
        if (extractor == null) {
            throw new IllegalArgumentException("pseudo labelling needs a feature extractor");
        }
        return extractor.embedAll(faces);
    }

    private static float[][] unit(float[][] embeddings) {
        Embeddings.validate(embeddings, 1, "pseudo labelling");
        return Embeddings.unitLength(embeddings); // copies: the extractor's arrays are not ours to change
    }
}
