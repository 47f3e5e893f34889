package org.segue.engine.sideinfo;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Groups face embeddings by person, compared by direction (cosine similarity): into a known number of
 * groups (pseudo labels, {@link #ofK}) or, where the number of people is unknown, wherever faces are
 * closer than a threshold ({@link #byThreshold}). Group numbers are arbitrary; they are not identities.
 */
public final class Grouping {

    /**
     * The average-linkage cosine distance up to which faces count as one person, for 128-d face descriptors of
     * dlib's ResNet (face-api's face recognition model) on aligned faces. Chosen on WebFace10 (both splits);
     * checked unchanged on celeb10's test split and on whole photos with bystanders.
     */
    public static final double DEFAULT_MAX_DISTANCE = 0.40;

    /** K-means restarts for {@link #ofK}. */
    public static final int DEFAULT_RESTARTS = 10;

    private Grouping() {}

    /**
     * The group 0..k-1 of each embedding, by cosine k-means ({@link CosineKMeans}, {@link #DEFAULT_RESTARTS}
     * restarts). On real face descriptors it beats average linkage cut into k groups, which spends groups on
     * outliers (a blurred or half-hidden face) and merges people instead.
     *
     * @throws IllegalArgumentException on empty, ragged or non-finite embeddings or k out of 1..n
     */
    public static int[] ofK(float[][] embeddings, int k, long seed) {
        return CosineKMeans.fit(embeddings, k, DEFAULT_RESTARTS, seed).assignment();
    }

    /**
     * The groups of embeddings of an unknown number of people: average-linkage clusters no two of which lie
     * within {@code maxDistance} (mean cosine distance) of each other. Numbered 0.. by each group's first face.
     */
    public static int[] byThreshold(float[][] embeddings, double maxDistance) {
        return AverageLinkage.build(embeddings).cutAt(maxDistance);
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
