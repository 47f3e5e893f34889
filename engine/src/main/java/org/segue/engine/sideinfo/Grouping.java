package org.segue.engine.sideinfo;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Groups face embeddings by person, compared by direction (cosine similarity): into a known number of groups
 * (pseudo labels, {@link #ofK}: cosine k-means) or, where the number of people is unknown, through the graph of
 * faces closer than a threshold ({@link #byThreshold}: Chinese whispers). Group numbers are arbitrary; they are
 * not identities.
 */
public final class Grouping {

    /**
     * The cosine distance {@code 1 - cos} up to which two faces are joined in {@link #byThreshold}, for the 128-d
     * descriptors of dlib's ResNet (face-api's face recognition model) on faces aligned on five landmarks
     * ({@code PretrainedFaceFeatures}). Chosen on WebFace10's 1,300 training faces (98.0% purity, 96.6% of each
     * person's faces in their largest group), a step below where people merge (0.08: purity 77.6%); checked
     * unchanged on celeb10's test split (99.5% / 95.0%). These descriptors are not centred: faces of different
     * people are at cosine 0.87 on median, so the threshold is far tighter than dlib's 0.6 Euclidean distance.
     */
    public static final double DEFAULT_MAX_DISTANCE = 0.07;

    /**
     * K-means restarts for {@link #ofK}: on WebFace10's 1,300 training faces ten restarts can miss the
     * lowest-inertia clustering (and lose ten points of accuracy); thirty cost milliseconds.
     */
    public static final int DEFAULT_RESTARTS = 30;

    private Grouping() {}

    /**
     * The group 0..k-1 of each embedding, by cosine k-means ({@link CosineKMeans}, {@link #DEFAULT_RESTARTS}
     * restarts). On real face descriptors it beats average linkage cut into k groups, which spends groups on
     * outliers (a blurred or half-hidden face) and merges people instead (WebFace10: 95% against 49%).
     *
     * @throws IllegalArgumentException on empty, ragged or non-finite embeddings or k out of 1..n
     */
    public static int[] ofK(float[][] embeddings, int k, long seed) {
        return CosineKMeans.fit(embeddings, k, DEFAULT_RESTARTS, seed).assignment();
    }

    /**
     * The groups of embeddings of an unknown number of people: Chinese whispers ({@link ChineseWhispers}) on the
     * graph joining faces within {@code maxDistance} of each other (cosine distance), seed 0. Numbered 0.. by each
     * group's first face. More faces than one graph takes ({@link ChineseWhispers#MAX_POINTS}, a memory bound) are
     * grouped in consecutive parts of that size, each with its own groups: a person whose faces fall into two parts
     * gets two groups, which weakens protection but stops nothing.
     */
    public static int[] byThreshold(float[][] embeddings, double maxDistance) {
        if (embeddings.length <= ChineseWhispers.MAX_POINTS) {
            return ChineseWhispers.cluster(embeddings, maxDistance, 0);
        }
        int[] out = new int[embeddings.length];
        int offset = 0;
        for (int from = 0; from < embeddings.length; from += ChineseWhispers.MAX_POINTS) {
            int to = Math.min(embeddings.length, from + ChineseWhispers.MAX_POINTS);
            int[] part = ChineseWhispers.cluster(Arrays.copyOfRange(embeddings, from, to), maxDistance, 0);
            for (int i = 0; i < part.length; i++) {
                out[from + i] = offset + part[i];
            }
            offset += count(part);
        }
        return out;
    }

    /** The number of groups in a labelling numbered 0..g-1. */
    public static int count(int[] groups) {
        return Arrays.stream(groups).max().orElse(-1) + 1;
    }

    /** The labels renumbered 0.. in order of first appearance (the same partition). */
    public static int[] renumber(int[] labels) {
        Map<Integer, Integer> number = new HashMap<>();
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = number.computeIfAbsent(labels[i], l -> number.size());
        }
        return out;
    }

    /**
     * The unit-length mean direction of each group (the representative a registry keeps), indexed by group.
     *
     * @param groups the group 0..g-1 of each embedding, as {@link #ofK} and {@link #byThreshold} give them
     */
    public static float[][] centroids(float[][] embeddings, int[] groups) {
        Embeddings.validate(embeddings, 1, "group centroids");
        if (groups == null || groups.length != embeddings.length) {
            throw new IllegalArgumentException("one group per embedding is needed");
        }
        float[][] unit = Embeddings.unitLength(embeddings);
        int g = count(groups);
        float[][] centroids = new float[g][];
        for (int c = 0; c < g; c++) {
            int[] members = CosineKMeans.members(groups, c);
            if (members.length == 0) {
                throw new IllegalArgumentException("groups must be numbered 0..g-1 without gaps; group " + c + " is empty");
            }
            centroids[c] = Embeddings.meanDirection(unit, members);
        }
        return centroids;
    }
}
