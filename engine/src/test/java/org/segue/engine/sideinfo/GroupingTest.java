package org.segue.engine.sideinfo;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class GroupingTest {

    /** Noise 0.6 puts a point at cosine ~0.86 from its centre; random centres in 128-d are ~orthogonal. */
    private static final SyntheticEmbeddings TEN = new SyntheticEmbeddings(128, new int[] {40, 5, 17, 30, 2, 25, 9, 60, 12, 3}, 0.6, 7);
    /**
     * Groups of comparable size. K-means++ seeding draws points in proportion to their distance, so a group of
     * two among two hundred faces is often never seeded and k-means cannot recover it; average linkage can.
     */
    private static final SyntheticEmbeddings BALANCED = new SyntheticEmbeddings(128, new int[] {40, 25, 17, 30, 22, 25, 19, 35, 12, 23}, 0.6, 8);

    @Test
    void cosineKMeansFindsKnownClusters() {
        CosineKMeans.Result r = CosineKMeans.fit(BALANCED.x, 10, 10, 3);
        assertEquals(1.0, ClusteringAccuracy.of(r.assignment(), BALANCED.y));
        for (float[] c : r.centroids()) {
            assertEquals(1.0, Math.sqrt(Embeddings.dot(c, c)), 1e-5);
        }
        // each centroid recovers a true direction
        for (float[] c : r.centroids()) {
            double best = Arrays.stream(BALANCED.centres).mapToDouble(t -> Embeddings.dot(c, t)).max().orElseThrow();
            assertTrue(best > 0.9, "centroid off its cluster's direction: " + best);
        }
    }

    @Test
    void cosineKMeansIsDeterministicAndRestartsNeverHurt() {
        SyntheticEmbeddings hard = new SyntheticEmbeddings(16, new int[] {30, 30, 30, 30, 30}, 1.5, 9);
        CosineKMeans.Result one = CosineKMeans.fit(hard.x, 5, 1, 42);
        CosineKMeans.Result many = CosineKMeans.fit(hard.x, 5, 20, 42);
        assertTrue(many.inertia() <= one.inertia());
        assertArrayEquals(many.assignment(), CosineKMeans.fit(hard.x, 5, 20, 42).assignment());
    }

    @Test
    void lengthsDoNotMatterOnlyDirections() {
        float[][] scaled = new float[TEN.x.length][];
        float[][] balanced = new float[BALANCED.x.length][];
        Random random = new Random(5);
        for (int i = 0; i < scaled.length; i++) {
            float s = (float) (0.01 + 100 * random.nextDouble());
            scaled[i] = TEN.x[i].clone();
            for (int d = 0; d < scaled[i].length; d++) {
                scaled[i][d] *= s;
            }
        }
        assertArrayEquals(Grouping.byThreshold(TEN.x, 0.6), Grouping.byThreshold(scaled, 0.6));
        for (int i = 0; i < balanced.length; i++) {
            balanced[i] = BALANCED.x[i].clone();
            for (int d = 0; d < balanced[i].length; d++) {
                balanced[i][d] *= (float) (0.01 + 100 * random.nextDouble());
            }
        }
        // rounding may steer the seeding elsewhere, but the partition found is the same
        assertEquals(1.0, ClusteringAccuracy.of(CosineKMeans.fit(BALANCED.x, 10, 10, 3).assignment(),
                CosineKMeans.fit(balanced, 10, 10, 3).assignment()));
    }

    @Test
    void chineseWhispersFindsAnUnknownNumberOfClustersSmallOnesIncluded() {
        // within a cluster faces are ~0.26 apart, between clusters ~1.0
        int[] g = Grouping.byThreshold(TEN.x, 0.6);
        assertEquals(10, Grouping.count(g));
        assertEquals(1.0, ClusteringAccuracy.of(g, TEN.y));
        assertArrayEquals(g, ChineseWhispers.cluster(TEN.x, 0.6, 0));
        assertArrayEquals(g, Grouping.renumber(g), "numbered by first face");
        // nothing joined: every face alone
        assertEquals(TEN.x.length, Grouping.count(Grouping.byThreshold(TEN.x, 0.01)));
    }

    @Test
    void chineseWhispersLeavesALoneFaceAlone() {
        float[][] x = new float[TEN.x.length + 1][];
        System.arraycopy(TEN.x, 0, x, 0, TEN.x.length);
        x[TEN.x.length] = Embeddings.unitLength(SyntheticEmbeddings.gaussian(128, 1, new Random(99))); // a bystander
        int[] g = Grouping.byThreshold(x, 0.6);
        assertEquals(11, Grouping.count(g));
        for (int i = 0; i < TEN.x.length; i++) {
            assertNotEquals(g[i], g[TEN.x.length]);
        }
    }

    @Test
    void chineseWhispersIsDeterministicForASeed() {
        SyntheticEmbeddings hard = new SyntheticEmbeddings(16, new int[] {30, 30, 30, 30, 30}, 1.2, 9);
        for (long seed = 0; seed < 3; seed++) {
            assertArrayEquals(ChineseWhispers.cluster(hard.x, 0.3, seed), ChineseWhispers.cluster(hard.x, 0.3, seed));
        }
    }

    @Test
    void ofKIsCosineKMeans() {
        assertEquals(1.0, ClusteringAccuracy.of(Grouping.ofK(BALANCED.x, 10, 1), BALANCED.y));
        assertArrayEquals(CosineKMeans.fit(BALANCED.x, 10, Grouping.DEFAULT_RESTARTS, 1).assignment(), Grouping.ofK(BALANCED.x, 10, 1));
    }

    @Test
    void centroidsAreUnitMeanDirections() {
        float[][] c = Grouping.centroids(TEN.x, Grouping.renumber(TEN.y));
        assertEquals(10, c.length);
        int[] first = Grouping.renumber(TEN.y);
        for (int i = 0; i < TEN.y.length; i++) {
            assertTrue(Embeddings.cosine(c[first[i]], TEN.centres[TEN.y[i]]) > 0.9);
        }
        assertThrows(IllegalArgumentException.class, () -> Grouping.centroids(TEN.x, new int[3]));
        int[] gap = new int[TEN.x.length];
        gap[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> Grouping.centroids(TEN.x, gap));
    }

    @Test
    void badInputGetsClearErrors() {
        float[][] ragged = {{1, 0}, {1}};
        float[][] nan = {{1, 0}, {Float.NaN, 1}};
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CosineKMeans.fit(ragged, 1, 1, 0))
                .getMessage().contains("embedding 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChineseWhispers.cluster(nan, 0.1, 0))
                .getMessage().contains("non-finite"));
        assertThrows(IllegalArgumentException.class, () -> CosineKMeans.fit(TEN.x, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> CosineKMeans.fit(TEN.x, TEN.x.length + 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> CosineKMeans.fit(TEN.x, 2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Grouping.byThreshold(new float[0][], 0.1));
        assertThrows(IllegalArgumentException.class, () -> Grouping.byThreshold(TEN.x, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Grouping.byThreshold(TEN.x, -0.1));
        // one point, and identical points, are fine
        assertArrayEquals(new int[] {0}, Grouping.byThreshold(new float[][] {{1, 2}}, 0.4));
        assertArrayEquals(new int[] {0, 0, 0}, Grouping.byThreshold(new float[][] {{1, 2}, {1, 2}, {2, 4}}, 1e-6));
        assertEquals(2, Grouping.count(CosineKMeans.fit(new float[][] {{1, 2}, {1, 2}, {2, 4}}, 2, 3, 0).assignment()));
    }

    @Test
    void purityAndLargestGroupShares() {
        int[] truth = {0, 0, 0, 0, 1, 1, 2};
        int[] groups = {5, 5, 5, 7, 7, 7, 9}; // person 0 split 3+1, group 7 mixes 0 and 1
        assertEquals(6.0 / 7, ClusteringAccuracy.purity(groups, truth), 1e-12);
        assertArrayEquals(new double[] {0.75, 1.0, 1.0}, ClusteringAccuracy.largestGroupShares(groups, truth), 1e-12);
        assertEquals(1.0, ClusteringAccuracy.purity(new int[] {0, 1, 2, 3, 4, 5, 6}, truth));
        assertThrows(IllegalArgumentException.class, () -> ClusteringAccuracy.purity(new int[] {1}, truth));
    }

    @Test
    void cosineKMeansCentroidsAreMeanDirectionsAndInertiaMatches() {
        CosineKMeans.Result r = CosineKMeans.fit(BALANCED.x, 10, 3, 5);
        float[][] unit = Embeddings.unitLength(BALANCED.x);
        double inertia = 0;
        for (int i = 0; i < unit.length; i++) {
            // converged: every point sits at its most similar centroid
            double own = Embeddings.dot(unit[i], r.centroids()[r.assignment()[i]]);
            for (float[] c : r.centroids()) {
                assertTrue(Embeddings.dot(unit[i], c) <= own + 1e-9);
            }
            inertia += 1 - own;
        }
        assertEquals(inertia, r.inertia(), 1e-6);
        float[][] means = Grouping.centroids(BALANCED.x, r.assignment());
        for (int c = 0; c < 10; c++) {
            assertEquals(1.0, Embeddings.dot(means[c], r.centroids()[c]), 1e-6);
        }
    }

    @Test
    void seedsMatterOnStructurelessDataAndNoClusterIsLeftEmpty() {
        float[][] noise = new float[60][];
        Random random = new Random(3);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = SyntheticEmbeddings.gaussian(8, 1, random);
        }
        Set<String> partitions = new java.util.HashSet<>();
        for (long seed = 0; seed < 8; seed++) {
            int[] a = CosineKMeans.fit(noise, 6, 1, seed).assignment();
            partitions.add(Arrays.toString(Grouping.renumber(a)));
        }
        assertTrue(partitions.size() > 1, "the seed is used");
        float[][] same = {{1, 1}, {1, 1}, {1, 1}, {2, 2}};
        int[] all = CosineKMeans.fit(same, 4, 2, 0).assignment();
        assertEquals(4, Arrays.stream(all).distinct().count(), "k = n: every point its own cluster");
        assertEquals(0.0, CosineKMeans.fit(same, 1, 1, 0).inertia(), 1e-6);
    }
}
