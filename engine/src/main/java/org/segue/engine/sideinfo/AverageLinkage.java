package org.segue.engine.sideinfo;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Agglomerative clustering with average linkage on the cosine distance {@code 1 - cos}: clusters are merged,
 * closest first, where the distance of two clusters is the mean distance over all pairs of their members. It
 * needs no seed and no number of clusters to build; the tree is then cut either into k clusters or wherever
 * merging would join clusters more than a distance apart (for an unknown number of people).
 *
 * <p>Built with the nearest-neighbour chain algorithm (exact for average linkage, which is reducible), in
 * O(n²) time and n(n-1)/2 floats of memory, which bounds it to {@link #MAX_POINTS} points.
 */
public final class AverageLinkage {

    /** The most points one tree is built from (the pairwise distances then take about 200 MB). */
    public static final int MAX_POINTS = 10_000;

    /** One merge: the clusters represented by points {@code a} and {@code b} joined at {@code distance}. */
    private record Merge(int a, int b, double distance) {}

    private final int n;
    private final Merge[] merges; // by increasing distance

    private AverageLinkage(int n, Merge[] merges) {
        this.n = n;
        this.merges = merges;
    }

    /**
     * The tree of {@code points} (any non-zero length; compared by direction).
     *
     * @throws IllegalArgumentException on empty, ragged or non-finite input, or more than {@link #MAX_POINTS}
     */
    public static AverageLinkage build(float[][] points) {
        Embeddings.validate(points, 1, "average-linkage clustering");
        int n = points.length;
        if (n > MAX_POINTS) {
            throw new IllegalArgumentException("average-linkage clustering takes at most " + MAX_POINTS
                    + " faces at once, got " + n);
        }
        float[][] x = Embeddings.unitLength(points);
        float[] d = new float[(int) ((long) n * (n - 1) / 2)];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d[index(n, i, j)] = (float) (1 - Embeddings.dot(x[i], x[j]));
            }
        }
        boolean[] active = new boolean[n];
        Arrays.fill(active, true);
        int[] size = new int[n];
        Arrays.fill(size, 1);
        int[] chain = new int[n];
        int top = 0;
        Merge[] merges = new Merge[Math.max(0, n - 1)];
        int made = 0;
        int firstActive = 0;
        while (made < n - 1) {
            if (top == 0) {
                while (!active[firstActive]) {
                    firstActive++;
                }
                chain[top++] = firstActive;
            }
            int a = chain[top - 1];
            int previous = top >= 2 ? chain[top - 2] : -1;
            // ties go to the previous chain element, which guarantees the chain ends in a reciprocal pair
            int b = previous;
            double best = previous >= 0 ? d[index(n, a, previous)] : Double.POSITIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                if (c != a && active[c]) {
                    double dc = d[index(n, a, c)];
                    if (dc < best) {
                        best = dc;
                        b = c;
                    }
                }
            }
            if (b == previous) {
                top -= 2;
                // the merged cluster lives on at index b; a is retired
                for (int c = 0; c < n; c++) {
                    if (c != a && c != b && active[c]) {
                        int ib = index(n, b, c);
                        d[ib] = (float) ((size[a] * (double) d[index(n, a, c)] + size[b] * (double) d[ib])
                                / (size[a] + size[b]));
                    }
                }
                active[a] = false;
                size[b] += size[a];
                merges[made++] = new Merge(a, b, best);
            } else {
                chain[top++] = b;
            }
        }
        Merge[] sorted = merges.clone();
        Arrays.sort(sorted, Comparator.comparingDouble(Merge::distance)); // stable: equal heights keep chain order
        return new AverageLinkage(n, sorted);
    }

    private static int index(int n, int i, int j) {
        if (i > j) {
            int t = i;
            i = j;
            j = t;
        }
        return (int) ((long) i * n - (long) i * (i + 1) / 2 + (j - i - 1));
    }

    /** The number of points the tree was built from. */
    public int points() {
        return n;
    }

    /**
     * The partition into {@code k} clusters (the tree with its k-1 highest merges undone).
     *
     * @return the cluster 0..k-1 of each point, numbered in order of each cluster's first point
     */
    public int[] cut(int k) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be between 1 and the number of points (" + n + "), was " + k);
        }
        return labels(n - k);
    }

    /**
     * The partition in which no two clusters would be merged at an average cosine distance of
     * {@code maxDistance} or less (for an unknown number of clusters).
     *
     * @return the cluster of each point, numbered 0.. in order of each cluster's first point
     */
    public int[] cutAt(double maxDistance) {
        if (!(maxDistance >= 0 && maxDistance <= 2)) {
            throw new IllegalArgumentException("a cosine distance threshold lies in [0, 2], was " + maxDistance);
        }
        int m = 0;
        while (m < merges.length && merges[m].distance <= maxDistance) {
            m++;
        }
        return labels(m);
    }

    private int[] labels(int mergesToApply) {
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int m = 0; m < mergesToApply; m++) {
            parent[find(parent, merges[m].a)] = find(parent, merges[m].b);
        }
        return Grouping.renumber(java.util.stream.IntStream.range(0, n).map(i -> find(parent, i)).toArray());
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    @Override
    public String toString() {
        return "AverageLinkage[" + n + " points]";
    }
}
