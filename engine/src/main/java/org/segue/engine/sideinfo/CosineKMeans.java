package org.segue.engine.sideinfo;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Spherical k-means: k-means on the unit sphere, where a point belongs to the centroid of highest cosine
 * similarity and each centroid is its members' mean direction (the mean scaled back to unit length). This is
 * how face embeddings are compared, so clusters form by direction alone. Seeded by greedy k-means++ on the
 * cosine distance {@code 1 - cos}, with several restarts; the run with the lowest inertia (sum of {@code 1 - cos}
 * to the own centroid) is kept.
 *
 * <p>Deterministic for a given seed; the first {@code r} runs are the same whatever the number of restarts, so
 * more restarts never give a higher inertia. No cluster is left empty (an empty one takes the point farthest
 * from its centroid, from a cluster that can spare one).
 */
public final class CosineKMeans {

    static final int MAX_ITERATIONS = 300;

    /**
     * A clustering.
     *
     * @param assignment the cluster 0..k-1 of each point, in input order; every cluster has a point
     * @param centroids  the k unit-length mean directions
     * @param inertia    sum over points of {@code 1 - cos} to their centroid
     */
    public record Result(int[] assignment, float[][] centroids, double inertia) {
        @Override
        public String toString() {
            return "CosineKMeans.Result[" + centroids.length + " clusters of " + assignment.length
                    + " points, inertia " + String.format(java.util.Locale.ROOT, "%.4f", inertia) + "]";
        }
    }

    private CosineKMeans() {}

    /**
     * Clusters {@code points} (any non-zero length; they are scaled to unit length first) into {@code k} groups.
     *
     * @throws IllegalArgumentException on empty, ragged or non-finite input, or k or restarts out of range
     */
    public static Result fit(float[][] points, int k, int restarts, long seed) {
        int dim = Embeddings.validate(points, 1, "cosine k-means");
        if (k < 1 || k > points.length) {
            throw new IllegalArgumentException("k must be between 1 and the number of points ("
                    + points.length + "), was " + k);
        }
        if (restarts < 1) {
            throw new IllegalArgumentException("restarts must be at least 1, was " + restarts);
        }
        float[][] unit = Embeddings.unitLength(points);
        SplittableRandom random = new SplittableRandom(seed);
        Result best = null;
        for (int r = 0; r < restarts; r++) {
            Result run = run(unit, k, dim, random);
            if (best == null || run.inertia < best.inertia) { // on a tie the earlier run wins
                best = run;
            }
        }
        return best;
    }

    private static Result run(float[][] x, int k, int dim, SplittableRandom random) {
        int n = x.length;
        float[][] centroids = seedPlusPlus(x, k, random);
        int[] assignment = new int[n];
        Arrays.fill(assignment, -1);
        double[] distance = new double[n];
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            boolean changed = assign(x, centroids, assignment, distance);
            changed |= refillEmpty(assignment, distance, k);
            if (!changed) {
                break;
            }
            for (int c = 0; c < k; c++) {
                centroids[c] = Embeddings.meanDirection(x, members(assignment, c));
            }
        }
        double inertia = 0;
        for (int i = 0; i < n; i++) {
            inertia += 1 - Embeddings.dot(x[i], centroids[assignment[i]]);
        }
        return new Result(assignment, centroids, inertia);
    }

    static int[] members(int[] assignment, int cluster) {
        int count = 0;
        for (int a : assignment) {
            if (a == cluster) {
                count++;
            }
        }
        int[] m = new int[count];
        int j = 0;
        for (int i = 0; i < assignment.length; i++) {
            if (assignment[i] == cluster) {
                m[j++] = i;
            }
        }
        return m;
    }

    /**
     * Greedy k-means++ (as scikit-learn seeds): each further centre is the best of a few candidates drawn with
     * probability proportional to their distance, the one that lowers the total distance most. Plain k-means++
     * often misses small groups (a person seen twice among hundreds of faces); the greedy draw rarely does.
     */
    private static float[][] seedPlusPlus(float[][] x, int k, SplittableRandom random) {
        int n = x.length;
        int trials = 2 + (int) Math.log(k);
        float[][] centres = new float[k][];
        centres[0] = x[random.nextInt(n)].clone();
        double[] nearest = new double[n];
        for (int i = 0; i < n; i++) {
            nearest[i] = Math.max(0, 1 - Embeddings.dot(x[i], centres[0]));
        }
        double[] candidate = new double[n];
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double d : nearest) {
                total += d;
            }
            int chosen = -1;
            double chosenPotential = Double.POSITIVE_INFINITY;
            double[] chosenNearest = null;
            for (int t = 0; t < trials; t++) {
                int pick = draw(nearest, total, random);
                double potential = 0;
                for (int i = 0; i < n; i++) {
                    candidate[i] = Math.min(nearest[i], Math.max(0, 1 - Embeddings.dot(x[i], x[pick])));
                    potential += candidate[i];
                }
                if (potential < chosenPotential) {
                    chosenPotential = potential;
                    chosen = pick;
                    chosenNearest = candidate.clone();
                }
            }
            centres[c] = x[chosen].clone();
            nearest = chosenNearest;
        }
        return centres;
    }

    /** A point drawn with probability proportional to its weight (uniformly when all weights are zero). */
    private static int draw(double[] weight, double total, SplittableRandom random) {
        int n = weight.length;
        if (total <= 0) {
            return random.nextInt(n); // all points sit on centres: the Lloyd loop repairs an empty cluster
        }
        double target = random.nextDouble() * total;
        int chosen = n - 1;
        double running = 0;
        for (int i = 0; i < n; i++) {
            running += weight[i];
            if (running > target && weight[i] > 0) {
                chosen = i;
                break;
            }
        }
        while (weight[chosen] <= 0) {
            chosen--; // rounding pushed past the end onto a zero-weight point
        }
        return chosen;
    }

    private static boolean assign(float[][] x, float[][] centroids, int[] assignment, double[] distance) {
        boolean changed = false;
        for (int i = 0; i < x.length; i++) {
            int best = 0;
            double bestDistance = 1 - Embeddings.dot(x[i], centroids[0]);
            for (int c = 1; c < centroids.length; c++) {
                double d = 1 - Embeddings.dot(x[i], centroids[c]);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = c;
                }
            }
            distance[i] = bestDistance;
            if (assignment[i] != best) {
                assignment[i] = best;
                changed = true;
            }
        }
        return changed;
    }

    private static boolean refillEmpty(int[] assignment, double[] distance, int k) {
        int[] size = new int[k];
        for (int c : assignment) {
            size[c]++;
        }
        boolean moved = false;
        for (int empty = 0; empty < k; empty++) {
            if (size[empty] > 0) {
                continue;
            }
            int farthest = -1;
            for (int i = 0; i < assignment.length; i++) {
                if (size[assignment[i]] > 1 && (farthest < 0 || distance[i] > distance[farthest])) {
                    farthest = i;
                }
            }
            size[assignment[farthest]]--; // k <= n: some cluster can spare a point
            assignment[farthest] = empty;
            size[empty] = 1;
            distance[farthest] = 0;
            moved = true;
        }
        return moved;
    }
}
