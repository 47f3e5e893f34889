package org.segue.engine.sideinfo;

import java.util.Arrays;

/**
 * Clustering accuracy: the fraction of items whose cluster, under the best one-to-one mapping of
 * clusters to true labels, is their true label. Cluster numbers are arbitrary, so the mapping is
 * found by maximum-weight matching (Hungarian) on the cluster-by-label count table. Clusters
 * and labels may differ in number; what cannot be matched counts as wrong.
 */
public final class ClusteringAccuracy {

    private ClusteringAccuracy() {}

    /**
     * Accuracy in [0,1] of {@code predicted} clusters against {@code truth} labels. Both may use any
     * int values (they need not be 0..k-1).
     *
     * @throws IllegalArgumentException if the arrays are empty or differ in length
     */
    public static double of(int[] predicted, int[] truth) {
        if (predicted == null || truth == null || predicted.length != truth.length) {
            throw new IllegalArgumentException("predicted and true labels must be the same length, were "
                    + (predicted == null ? "null" : predicted.length) + " and " + (truth == null ? "null" : truth.length));
        }
        if (predicted.length == 0) {
            throw new IllegalArgumentException("accuracy of an empty labelling is undefined");
        }
        int[] clusters = distinct(predicted);
        int[] labels = distinct(truth);
        long[][] counts = new long[clusters.length][labels.length];
        for (int i = 0; i < predicted.length; i++) {
            counts[Arrays.binarySearch(clusters, predicted[i])][Arrays.binarySearch(labels, truth[i])]++;
        }
        long correct = Hungarian.total(counts, Hungarian.maximise(counts));
        return (double) correct / predicted.length;
    }

    /**
     * Purity in [0,1]: the fraction of items whose group's most common true label is their own (each group
     * counted by its majority, several groups may share a label). 1 when no group mixes labels.
     */
    public static double purity(int[] predicted, int[] truth) {
        long[][] counts = table(predicted, truth);
        long pure = 0;
        for (long[] row : counts) {
            pure += Arrays.stream(row).max().orElse(0);
        }
        return (double) pure / predicted.length;
    }

    /**
     * For each true label (in increasing order of the label values), the share in [0,1] of its items that lie in
     * its largest group: 1 when a label's items are all in one group, whatever else that group holds.
     */
    public static double[] largestGroupShares(int[] predicted, int[] truth) {
        long[][] counts = table(predicted, truth);
        int labels = counts.length == 0 ? 0 : counts[0].length;
        double[] share = new double[labels];
        for (int l = 0; l < labels; l++) {
            long total = 0;
            long largest = 0;
            for (long[] row : counts) {
                total += row[l];
                largest = Math.max(largest, row[l]);
            }
            share[l] = (double) largest / total;
        }
        return share;
    }

    private static long[][] table(int[] predicted, int[] truth) {
        if (predicted == null || truth == null || predicted.length != truth.length) {
            throw new IllegalArgumentException("predicted and true labels must be the same length, were "
                    + (predicted == null ? "null" : predicted.length) + " and " + (truth == null ? "null" : truth.length));
        }
        if (predicted.length == 0) {
            throw new IllegalArgumentException("purity of an empty labelling is undefined");
        }
        int[] clusters = distinct(predicted);
        int[] labels = distinct(truth);
        long[][] counts = new long[clusters.length][labels.length];
        for (int i = 0; i < predicted.length; i++) {
            counts[Arrays.binarySearch(clusters, predicted[i])][Arrays.binarySearch(labels, truth[i])]++;
        }
        return counts;
    }

    private static int[] distinct(int[] values) {
        return Arrays.stream(values).distinct().sorted().toArray();
    }
}
