package org.segue.engine.sideinfo;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chinese whispers (Biemann, 2006; dlib's face clustering): a graph joins every two faces within a cosine
 * distance, each edge weighted by the pair's similarity; every face starts as its own group and, visiting faces in
 * random order, takes the group with the highest total weight among its neighbours, until no face changes. Groups
 * spread through densely linked faces, so a person seen in many poses mostly ends up in one group where average
 * linkage (tried on the same descriptors) splits them, while a face with no neighbour (a bystander) stays alone.
 * The number of groups follows from the data.
 *
 * <p>Deterministic for a given seed. O(n²) to build the graph and O(edges) per round.
 */
public final class ChineseWhispers {

    /** Rounds after which the labels are taken as they stand (they settle in a handful on face graphs). */
    public static final int MAX_ROUNDS = 100;

    /** The most faces grouped at once (the pairwise comparisons then take some seconds on two cores). */
    public static final int MAX_POINTS = 20_000;

    private ChineseWhispers() {}

    /**
     * The group of each point (any non-zero length; compared by direction), numbered 0.. in order of each group's
     * first point.
     *
     * @param maxDistance the largest cosine distance {@code 1 - cos} at which two faces are joined, in [0, 2]
     * @throws IllegalArgumentException on empty, ragged or non-finite input, or a threshold out of range
     */
    public static int[] cluster(float[][] points, double maxDistance, long seed) {
        Embeddings.validate(points, 1, "Chinese-whispers clustering");
        if (!(maxDistance >= 0 && maxDistance <= 2)) {
            throw new IllegalArgumentException("a cosine distance threshold lies in [0, 2], was " + maxDistance);
        }
        int n = points.length;
        if (n > MAX_POINTS) {
            throw new IllegalArgumentException("Chinese-whispers clustering takes at most " + MAX_POINTS
                    + " faces at once, got " + n);
        }
        float[][] x = Embeddings.unitLength(points);
        int[][] neighbours = new int[n][];
        float[][] weights = new float[n][];
        int[] degree = new int[n];
        int[][] scratchN = new int[n][4];
        float[][] scratchW = new float[n][4];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = Embeddings.dot(x[i], x[j]);
                // past a right angle a pair would weigh nothing (or pull apart): no edge
                if (1 - s <= maxDistance && s > 0) {
                    add(scratchN, scratchW, degree, i, j, (float) s);
                    add(scratchN, scratchW, degree, j, i, (float) s);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            neighbours[i] = Arrays.copyOf(scratchN[i], degree[i]);
            weights[i] = Arrays.copyOf(scratchW[i], degree[i]);
        }
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            label[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[n];
        double[] score = new double[n];
        for (int round = 0; round < MAX_ROUNDS; round++) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            boolean changed = false;
            for (int i : order) {
                if (degree[i] == 0) {
                    continue;
                }
                int best = label[i];
                double bestScore = -1;
                for (int e = 0; e < degree[i]; e++) {
                    score[label[neighbours[i][e]]] += weights[i][e];
                }
                for (int e = 0; e < degree[i]; e++) {
                    int l = label[neighbours[i][e]];
                    if (score[l] > bestScore || (score[l] == bestScore && l < best)) {
                        bestScore = score[l];
                        best = l;
                    }
                }
                for (int e = 0; e < degree[i]; e++) {
                    score[label[neighbours[i][e]]] = 0;
                }
                if (best != label[i]) {
                    label[i] = best;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
        }
        return Grouping.renumber(label);
    }

    private static void add(int[][] neighbours, float[][] weights, int[] degree, int from, int to, float weight) {
        if (degree[from] == neighbours[from].length) {
            neighbours[from] = Arrays.copyOf(neighbours[from], 2 * degree[from]);
            weights[from] = Arrays.copyOf(weights[from], 2 * degree[from]);
        }
        neighbours[from][degree[from]] = to;
        weights[from][degree[from]++] = weight;
    }
}
