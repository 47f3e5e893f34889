package org.segue.engine.sideinfo;

/**
 * Checks and arithmetic for face embeddings compared by direction (cosine similarity), as a face
 * embedder's outputs are. Messages never print an embedding's values: they are biometric templates.
 */
public final class Embeddings {

    private Embeddings() {}

    /** {@code v} scaled to unit L2 norm, as a copy; an all-zero vector has no direction and stays zero. */
    public static float[] unitLength(float[] v) {
        double sumOfSquares = 0;
        for (float x : v) {
            sumOfSquares += (double) x * x;
        }
        float[] unit = v.clone();
        if (sumOfSquares > 0) {
            double scale = 1 / Math.sqrt(sumOfSquares);
            for (int i = 0; i < unit.length; i++) {
                unit[i] = (float) (v[i] * scale);
            }
        }
        return unit;
    }

    /** Every row scaled to unit length (copies; the input is left as it is). */
    public static float[][] unitLength(float[][] rows) {
        float[][] unit = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            unit[i] = unitLength(rows[i]);
        }
        return unit;
    }

    /** The dot product, which for unit-length vectors is their cosine similarity. */
    public static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            sum += (double) a[d] * b[d];
        }
        return sum;
    }

    /** Cosine similarity of two vectors of any non-zero length; 0 when either is all zeros. */
    public static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int d = 0; d < a.length; d++) {
            ab += (double) a[d] * b[d];
            aa += (double) a[d] * a[d];
            bb += (double) b[d] * b[d];
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }

    /**
     * Validates a set of embeddings: at least {@code minimum} rows, all of one non-zero dimension, all finite.
     *
     * @return the dimension
     * @throws IllegalArgumentException naming the first offending row (never its values)
     */
    public static int validate(float[][] rows, int minimum, String what) {
        if (rows == null || rows.length < Math.max(1, minimum)) {
            throw new IllegalArgumentException(what + " needs at least " + Math.max(1, minimum) + " embedding"
                    + (minimum > 1 ? "s" : "") + ", got " + (rows == null ? 0 : rows.length));
        }
        if (rows[0] == null || rows[0].length == 0) {
            throw new IllegalArgumentException(what + " needs embeddings of dimension at least 1");
        }
        int dim = rows[0].length;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != dim) {
                throw new IllegalArgumentException(what + ": embedding " + i + " has "
                        + (rows[i] == null ? "no" : rows[i].length) + " dimensions, embedding 0 has " + dim);
            }
            for (float v : rows[i]) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException(what + ": embedding " + i + " has a non-finite value");
                }
            }
        }
        return dim;
    }

    /** The unit-length mean direction of the given rows (all rows when {@code members} is null). */
    public static float[] meanDirection(float[][] rows, int[] members) {
        int dim = rows[0].length;
        double[] sum = new double[dim];
        int[] which = members != null ? members : java.util.stream.IntStream.range(0, rows.length).toArray();
        for (int i : which) {
            for (int d = 0; d < dim; d++) {
                sum[d] += rows[i][d];
            }
        }
        float[] mean = new float[dim];
        for (int d = 0; d < dim; d++) {
            mean[d] = (float) (sum[d] / Math.max(1, which.length));
        }
        return unitLength(mean);
    }
}
