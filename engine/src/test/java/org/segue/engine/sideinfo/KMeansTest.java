package org.segue.engine.sideinfo;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class KMeansTest {

    /** {@code perBlob} Gaussian points (sd 0.3) around each of {@code centres}; labels in {@code truth}. */
    private static float[][] blobs(float[][] centres, int perBlob, int[] truth, long seed) {
        Random random = new Random(seed);
        int dim = centres[0].length;
        float[][] points = new float[centres.length * perBlob][dim];
        // interleave blobs so that input order carries no hint of the clusters
        for (int i = 0; i < points.length; i++) {
            int blob = i % centres.length;
            truth[i] = blob;
            for (int d = 0; d < dim; d++) {
                points[i][d] = centres[blob][d] + (float) (0.3 * random.nextGaussian());
            }
        }
        return points;
    }

    private static float[][] randomCentres(int k, int dim, double spread, long seed) {
        Random random = new Random(seed);
        float[][] centres = new float[k][dim];
        for (float[] c : centres) {
            for (int d = 0; d < dim; d++) {
                c[d] = (float) (spread * random.nextGaussian());
            }
        }
        return centres;
    }

    @Test
    void recoversWellSeparatedBlobs() {
        float[][] centres = {{0, 0, 0}, {10, 0, 0}, {0, 10, 0}, {0, 0, 10}, {10, 10, 10}};
        int[] truth = new int[centres.length * 40];
        float[][] points = blobs(centres, 40, truth, 1);

        KMeans.Result result = KMeans.fit(points, centres.length, 5, 42);

        assertEquals(1.0, ClusteringAccuracy.of(result.assignment(), truth));
        // each found centroid sits near one true centre
        for (float[] centroid : result.centroids()) {
            double nearest = Arrays.stream(centres).mapToDouble(c -> distance(c, centroid)).min().orElseThrow();
            assertTrue(nearest < 0.3, "centroid " + Arrays.toString(centroid) + " is " + nearest + " from any centre");
        }
    }

    @Test
    void recoversBlobsInHighDimension() {
        // 8 blobs in 100-D: each centre differs by about 14 per blob pair, the noise radius is about 3
        float[][] centres = randomCentres(8, 100, 1.0, 7);
        int[] truth = new int[8 * 25];
        float[][] points = blobs(centres, 25, truth, 8);
        KMeans.Result result = KMeans.fit(points, 8, 10, 3);
        assertEquals(1.0, ClusteringAccuracy.of(result.assignment(), truth));
    }

    @Test
    void centroidsAreClusterMeansAndInertiaMatches() {
        float[][] points = blobs(randomCentres(4, 6, 1.0, 11), 30, new int[120], 12);
        KMeans.Result result = KMeans.fit(points, 4, 3, 5);
        int dim = points[0].length;
        double[][] sums = new double[4][dim];
        int[] counts = new int[4];
        for (int i = 0; i < points.length; i++) {
            counts[result.assignment()[i]]++;
            for (int d = 0; d < dim; d++) {
                sums[result.assignment()[i]][d] += points[i][d];
            }
        }
        double inertia = 0;
        for (int i = 0; i < points.length; i++) {
            inertia += squared(points[i], result.centroids()[result.assignment()[i]]);
        }
        for (int c = 0; c < 4; c++) {
            assertTrue(counts[c] > 0, "cluster " + c + " is empty");
            for (int d = 0; d < dim; d++) {
                assertEquals(sums[c][d] / counts[c], result.centroids()[c][d], 1e-5);
            }
        }
        assertEquals(inertia, result.inertia(), 1e-6 * inertia);
        // converged: every point is at its nearest centroid
        for (int i = 0; i < points.length; i++) {
            double own = squared(points[i], result.centroids()[result.assignment()[i]]);
            for (float[] centroid : result.centroids()) {
                assertTrue(own <= squared(points[i], centroid) + 1e-9);
            }
        }
    }

    @Test
    void sameSeedGivesSameResult() {
        float[][] points = uniform(150, 4, 3);
        KMeans.Result a = KMeans.fit(points, 6, 4, 99);
        KMeans.Result b = KMeans.fit(points, 6, 4, 99);
        assertArrayEquals(a.assignment(), b.assignment());
        assertArrayEquals(a.centroids(), b.centroids());
        assertEquals(a.inertia(), b.inertia());
    }

    @Test
    void differentSeedsCanDifferOnUnstructuredData() {
        // guards against the seed being ignored: on structureless data local optima differ
        float[][] points = uniform(200, 2, 4);
        double first = KMeans.fit(points, 10, 1, 0).inertia();
        boolean anyDifferent = false;
        for (long seed = 1; seed <= 10 && !anyDifferent; seed++) {
            anyDifferent = KMeans.fit(points, 10, 1, seed).inertia() != first;
        }
        assertTrue(anyDifferent);
    }

    @Test
    void moreRestartsNeverIncreaseInertia() {
        float[][] points = uniform(120, 3, 5);
        for (long seed = 0; seed < 3; seed++) {
            double previous = Double.POSITIVE_INFINITY;
            for (int restarts = 1; restarts <= 8; restarts++) {
                double inertia = KMeans.fit(points, 7, restarts, seed).inertia();
                assertTrue(inertia <= previous, "restarts " + restarts + ": " + inertia + " > " + previous);
                previous = inertia;
            }
        }
    }

    @Test
    void noClusterIsLeftEmptyWhenPointsRepeat() {
        // only two distinct points but three clusters: one group of equal points must be split
        float[][] points = new float[10][];
        for (int i = 0; i < points.length; i++) {
            points[i] = i < 5 ? new float[] {0, 0} : new float[] {1, 1};
        }
        for (long seed = 0; seed < 5; seed++) {
            KMeans.Result result = KMeans.fit(points, 3, 2, seed);
            assertEquals(3, Arrays.stream(result.assignment()).distinct().count());
            assertEquals(0.0, result.inertia());
        }
        // all points equal, k = n: every point its own cluster
        float[][] same = {{2f}, {2f}, {2f}, {2f}};
        KMeans.Result result = KMeans.fit(same, 4, 1, 0);
        assertEquals(4, Arrays.stream(result.assignment()).distinct().count());
        assertEquals(0.0, result.inertia());
    }

    @Test
    void oneClusterIsTheMean() {
        float[][] points = {{0, 0}, {2, 0}, {0, 4}, {2, 4}};
        KMeans.Result result = KMeans.fit(points, 1, 1, 0);
        assertArrayEquals(new float[] {1, 2}, result.centroids()[0]);
        assertArrayEquals(new int[4], result.assignment());
        assertEquals(4 * 5.0, result.inertia(), 1e-9); // each point 1^2 + 2^2 from the mean
    }

    @Test
    void rejectsBadArguments() {
        float[][] points = {{0, 0}, {1, 1}, {2, 2}};
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit(points, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit(points, 4, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit(points, 2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit(new float[0][], 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit(null, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit(new float[][] {{}, {}}, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit(new float[][] {{0, 0}, {1}}, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit(new float[][] {{0, 0}, null}, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit(new float[][] {{0, Float.NaN}}, 1, 1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KMeans.fit(points, 5, 1, 0));
        assertTrue(e.getMessage().contains("k"), e.getMessage());
    }

    private static float[][] uniform(int n, int dim, long seed) {
        Random random = new Random(seed);
        float[][] points = new float[n][dim];
        for (float[] p : points) {
            for (int d = 0; d < dim; d++) {
                p[d] = random.nextFloat();
            }
        }
        return points;
    }

    private static double squared(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            double diff = (double) a[d] - b[d];
            sum += diff * diff;
        }
        return sum;
    }

    private static double distance(float[] a, float[] b) {
        return Math.sqrt(squared(a, b));
    }
}
