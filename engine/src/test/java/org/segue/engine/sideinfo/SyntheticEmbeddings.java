package org.segue.engine.sideinfo;

import java.util.Random;

/** Embeddings whose clusters are known: noisy copies of random unit directions, with random lengths. */
final class SyntheticEmbeddings {

    final float[][] x;
    final int[] y;
    final float[][] centres;

    /**
     * @param sizes  the number of points of each cluster
     * @param noise  standard deviation of the per-dimension noise relative to a unit centre
     */
    SyntheticEmbeddings(int dim, int[] sizes, double noise, long seed) {
        Random random = new Random(seed);
        centres = new float[sizes.length][];
        for (int c = 0; c < sizes.length; c++) {
            centres[c] = Embeddings.unitLength(gaussian(dim, 1, random));
        }
        int n = java.util.Arrays.stream(sizes).sum();
        x = new float[n][];
        y = new int[n];
        // interleaved, so cluster order and input order differ
        int[] left = sizes.clone();
        int i = 0;
        while (i < n) {
            int c = random.nextInt(sizes.length);
            if (left[c] == 0) {
                continue;
            }
            left[c]--;
            float[] v = gaussian(dim, noise / Math.sqrt(dim), random);
            double length = 0.5 + 2 * random.nextDouble(); // lengths must not matter
            for (int d = 0; d < dim; d++) {
                v[d] = (float) ((v[d] + centres[c][d]) * length);
            }
            x[i] = v;
            y[i++] = c;
        }
    }

    static float[] gaussian(int dim, double sigma, Random random) {
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
            v[d] = (float) (sigma * random.nextGaussian());
        }
        return v;
    }
}
