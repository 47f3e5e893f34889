package org.segue.engine.sideinfo;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * K-means clustering (Lloyd's algorithm) with k-means++ seeding and several restarts, the run with
 * the lowest inertia (sum of squared distances to the assigned centroid) kept.
 *
 * <p>Deterministic for a given seed. Every run draws from one random stream in turn, so the first
 * {@code r} runs are the same whatever the number of restarts; more restarts therefore never give
 * a higher inertia. No cluster is ever left empty: a cluster that loses all its points takes the
 * point farthest from its own centroid (from a cluster that can spare one), which is possible
 * because {@code k <= n}.
 */
public final class KMeans {

    /** Upper bound on Lloyd iterations per run; runs on separable data converge in a handful. */
    static final int MAX_ITERATIONS = 300;

    /**
     * A clustering.
     *
     * @param assignment the cluster 0..k-1 of each point, in input order; every cluster has a point
     * @param centroids  the k cluster means
     * @param inertia    sum over points of the squared Euclidean distance to their centroid
     */
    public record Result(int[] assignment, float[][] centroids, double inertia) {}

    private KMeans() {}

    /**
     * Clusters {@code points} into {@code k} groups.
     *
     * @param points   n points of equal, non-zero dimension with finite coordinates
     * @param k        number of clusters, 1..n
     * @param restarts independent k-means++ runs, at least 1; the lowest-inertia one is returned
     * @param seed     seed of the random stream, for reproducible results
     * @throws IllegalArgumentException on empty, ragged or non-finite input, or k or restarts out of range
     */
    public static Result fit(float[][] points, int k, int restarts, long seed) {
        int dim = validate(points, k, restarts);
        double[][] data = new double[points.length][dim];
        for (int i = 0; i < points.length; i++) {
            for (int d = 0; d < dim; d++) {
                data[i][d] = points[i][d];
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        Run best = null;
        for (int r = 0; r < restarts; r++) {
            Run run = lloyd(data, k, random);
            // strict comparison: on a tie the earlier run wins, which keeps results stable as restarts grow
            if (best == null || run.inertia < best.inertia) {
                best = run;
            }
        }
        float[][] centroids = new float[k][dim];
        for (int c = 0; c < k; c++) {
            for (int d = 0; d < dim; d++) {
                centroids[c][d] = (float) best.centroids[c][d];
            }
        }
        return new Result(best.assignment, centroids, best.inertia);
    }

    private record Run(int[] assignment, double[][] centroids, double inertia) {}

    private static int validate(float[][] points, int k, int restarts) {
        if (points == null || points.length == 0) {
            throw new IllegalArgumentException("k-means needs at least one point");
        }
        if (points[0] == null || points[0].length == 0) {
            throw new IllegalArgumentException("k-means needs points of dimension at least 1");
        }
        int dim = points[0].length;
        for (int i = 0; i < points.length; i++) {
            if (points[i] == null || points[i].length != dim) {
                throw new IllegalArgumentException("ragged input: point " + i + " has "
                        + (points[i] == null ? "no" : points[i].length) + " coordinates, point 0 has " + dim);
            }
            for (float v : points[i]) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("point " + i + " has a non-finite coordinate: " + v);
                }
            }
        }
        if (k < 1 || k > points.length) {
            throw new IllegalArgumentException("k must be between 1 and the number of points ("
                    + points.length + "), was " + k);
        }
        if (restarts < 1) {
            throw new IllegalArgumentException("restarts must be at least 1, was " + restarts);
        }
        return dim;
    }

    private static Run lloyd(double[][] data, int k, SplittableRandom random) {
        int n = data.length;
        double[][] centroids = seedPlusPlus(data, k, random);
        int[] assignment = new int[n];
        Arrays.fill(assignment, -1);
        double[] distance = new double[n];
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            boolean changed = assign(data, centroids, assignment, distance);
            changed |= refillEmptyClusters(assignment, distance, k);
            if (!changed) {
                break; // centroids are already the means of this assignment
            }
            centroids = means(data, assignment, k);
        }
        // Distances to the final centroids (the loop may have stopped on the iteration bound).
        double inertia = 0;
        for (int i = 0; i < n; i++) {
            inertia += squaredDistance(data[i], centroids[assignment[i]]);
        }
        return new Run(assignment, centroids, inertia);
    }

    /** k-means++: each further centre is drawn with probability proportional to its squared distance. */
    private static double[][] seedPlusPlus(double[][] data, int k, SplittableRandom random) {
        int n = data.length;
        double[][] centres = new double[k][];
        centres[0] = data[random.nextInt(n)].clone();
        double[] nearest = new double[n];
        for (int i = 0; i < n; i++) {
            nearest[i] = squaredDistance(data[i], centres[0]);
        }
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double d : nearest) {
                total += d;
            }
            int chosen;
            if (total <= 0) {
                // every point coincides with a centre already: any choice is as good; the empty
                // cluster this may cause is repaired in the Lloyd loop
                chosen = random.nextInt(n);
            } else {
                double target = random.nextDouble() * total;
                chosen = n - 1;
                double running = 0;
                for (int i = 0; i < n; i++) {
                    running += nearest[i];
                    if (running > target && nearest[i] > 0) {
                        chosen = i;
                        break;
                    }
                }
                while (nearest[chosen] <= 0) {
                    chosen--; // rounding pushed past the end onto a zero-weight point
                }
            }
            centres[c] = data[chosen].clone();
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], squaredDistance(data[i], centres[c]));
            }
        }
        return centres;
    }

    /** Assigns each point its nearest centroid (lowest index on ties); true if any assignment changed. */
    private static boolean assign(double[][] data, double[][] centroids, int[] assignment, double[] distance) {
        boolean changed = false;
        for (int i = 0; i < data.length; i++) {
            int best = 0;
            double bestDistance = squaredDistance(data[i], centroids[0]);
            for (int c = 1; c < centroids.length; c++) {
                double d = squaredDistance(data[i], centroids[c]);
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

    /**
     * Gives every empty cluster the point farthest from its centroid among clusters with more than one
     * point, so no cluster disappears. True if any point moved.
     */
    private static boolean refillEmptyClusters(int[] assignment, double[] distance, int k) {
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
            // k <= n guarantees a cluster with a point to spare while another is empty
            size[assignment[farthest]]--;
            assignment[farthest] = empty;
            size[empty] = 1;
            distance[farthest] = 0;
            moved = true;
        }
        return moved;
    }

    private static double[][] means(double[][] data, int[] assignment, int k) {
        int dim = data[0].length;
        double[][] sums = new double[k][dim];
        int[] count = new int[k];
        for (int i = 0; i < data.length; i++) {
            double[] sum = sums[assignment[i]];
            for (int d = 0; d < dim; d++) {
                sum[d] += data[i][d];
            }
            count[assignment[i]]++;
        }
        for (int c = 0; c < k; c++) {
            for (int d = 0; d < dim; d++) {
                sums[c][d] /= count[c]; // never zero: empty clusters were refilled
            }
        }
        return sums;
    }

    private static double squaredDistance(double[] a, double[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            double diff = a[d] - b[d];
            sum += diff * diff;
        }
        return sum;
    }
}
