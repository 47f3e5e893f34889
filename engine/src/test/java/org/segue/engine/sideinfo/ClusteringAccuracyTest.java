package org.segue.engine.sideinfo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ClusteringAccuracyTest {

    @Test
    void renamedClustersAreFullyCorrect() {
        int[] truth = {0, 0, 1, 1, 2, 2, 3};
        int[] predicted = {7, 7, -1, -1, 0, 0, 42}; // same partition, other names
        assertEquals(1.0, ClusteringAccuracy.of(predicted, truth));
        assertEquals(1.0, ClusteringAccuracy.of(truth, truth));
    }

    @Test
    void handComputedCases() {
        // clusters {0,1}->label 0 (2 right), cluster 0 has one 0 and three 1s -> label 1 (3 right)
        assertEquals(5.0 / 6, ClusteringAccuracy.of(new int[] {1, 1, 0, 0, 0, 0}, new int[] {0, 0, 0, 1, 1, 1}), 1e-12);
        // a greedy mapping would give cluster 0 label 0 (3) and then cluster 1 nothing better than 1:
        // contingency c0: {l0:3, l1:2}, c1: {l0:3, l1:0} -> best is c0->l1, c1->l0 = 5 of 8
        int[] predicted = {0, 0, 0, 0, 0, 1, 1, 1};
        int[] truth = {0, 0, 0, 1, 1, 0, 0, 0};
        assertEquals(5.0 / 8, ClusteringAccuracy.of(predicted, truth), 1e-12);
        // more clusters than labels: only two clusters can be matched
        assertEquals(0.5, ClusteringAccuracy.of(new int[] {0, 1, 2, 3}, new int[] {0, 0, 1, 1}), 1e-12);
        // fewer clusters than labels: one cluster matches the most frequent label
        assertEquals(0.5, ClusteringAccuracy.of(new int[] {0, 0, 0, 0}, new int[] {0, 1, 2, 2}), 1e-12);
        // one item
        assertEquals(1.0, ClusteringAccuracy.of(new int[] {3}, new int[] {9}));
    }

    @Test
    void worstCaseIsOneOverK() {
        // each cluster holds one of every label: any mapping gets exactly one right per cluster
        int[] predicted = {0, 0, 0, 1, 1, 1, 2, 2, 2};
        int[] truth = {0, 1, 2, 0, 1, 2, 0, 1, 2};
        assertEquals(1.0 / 3, ClusteringAccuracy.of(predicted, truth), 1e-12);
    }

    @Test
    void rejectsMismatchedOrEmptyInput() {
        assertThrows(IllegalArgumentException.class, () -> ClusteringAccuracy.of(new int[] {0, 1}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> ClusteringAccuracy.of(new int[0], new int[0]));
        assertThrows(IllegalArgumentException.class, () -> ClusteringAccuracy.of(null, new int[] {0}));
    }
}
