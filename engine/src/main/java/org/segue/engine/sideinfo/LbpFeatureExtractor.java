package org.segue.engine.sideinfo;

import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;

/**
 * The classic local binary pattern face descriptor (Ahonen, Hadid and Pietikäinen, "Face Description
 * with Local Binary Patterns", TPAMI 2006). It needs no training at all, so it cannot have learned
 * the identities being protected, which makes it a safe extractor for pseudo labels.
 *
 * <p>Steps: grey level by ITU-R BT.601 luma; resampling to {@code size}×{@code size} (area averaging
 * when shrinking, bilinear when enlarging; faces are assumed to be aligned crops, so the aspect ratio
 * is not kept); the uniform pattern LBP<sub>8,1</sub><sup>u2</sup> at every pixel (8 neighbours on a
 * circle of radius 1, diagonal ones bilinearly interpolated, edges replicated); a 59-bin histogram of
 * those codes in each cell of a {@code grid}×{@code grid} partition; each histogram divided by its
 * cell's pixel count, square-rooted (the Hellinger map, under which Euclidean distance, as k-means
 * uses, behaves like a histogram distance rather than letting the few dominant bins swamp it), then
 * the concatenation scaled to unit L2 norm.
 *
 * <p>LBP compares neighbours with the centre only, so the embedding does not change when a constant
 * is added to the whole image (up to floating-point rounding at exact ties).
 */
public final class LbpFeatureExtractor implements FeatureExtractor {

    /** Histogram bins per cell: the 58 uniform patterns, then one bin shared by all other patterns. */
    public static final int BINS = 59;
    /** Default side of the resampled face, in pixels. */
    public static final int DEFAULT_SIZE = 64;
    /** Default number of cells along each side. */
    public static final int DEFAULT_GRID = 8;

    private static final int NEIGHBOURS = 8;
    private static final int[] UNIFORM_BIN = uniformBinTable();
    /** Offset of a diagonal sample on the unit circle from the pixel centre, along each axis. */
    private static final double DIAGONAL = Math.sqrt(0.5);
    /** Bilinear weights of the diagonal sample's two edge-adjacent pixels and its corner pixel. */
    private static final double EDGE_WEIGHT = DIAGONAL * (1 - DIAGONAL);
    private static final double CORNER_WEIGHT = DIAGONAL * DIAGONAL;

    private final int size;
    private final int grid;

    /** The descriptor at {@value #DEFAULT_SIZE}×{@value #DEFAULT_SIZE} pixels in a {@value #DEFAULT_GRID}×{@value #DEFAULT_GRID} grid. */
    public LbpFeatureExtractor() {
        this(DEFAULT_SIZE, DEFAULT_GRID);
    }

    /**
     * @param size side of the resampled face in pixels, at least 3
     * @param grid cells along each side, 1..size
     */
    public LbpFeatureExtractor(int size, int grid) {
        if (size < 3) {
            throw new IllegalArgumentException("LBP image side must be at least 3 pixels, was " + size);
        }
        if (grid < 1 || grid > size) {
            throw new IllegalArgumentException("LBP grid must be 1.." + size + " cells per side, was " + grid);
        }
        this.size = size;
        this.grid = grid;
    }

    /** Length of every embedding: cells × {@value #BINS}. */
    public int dimension() {
        return grid * grid * BINS;
    }

    @Override
    public String name() {
        return "lbp-u2-8-1-" + size + "px-" + grid + "x" + grid;
    }

    @Override
    public float[] embed(RgbImage face) {
        int[][] histograms = cellHistograms(face);
        float[] embedding = new float[dimension()];
        double sumOfSquares = 0;
        for (int cell = 0; cell < histograms.length; cell++) {
            int pixels = 0;
            for (int count : histograms[cell]) {
                pixels += count;
            }
            for (int bin = 0; bin < BINS; bin++) {
                double value = Math.sqrt((double) histograms[cell][bin] / pixels);
                embedding[cell * BINS + bin] = (float) value;
                sumOfSquares += value * value;
            }
        }
        float scale = (float) (1 / Math.sqrt(sumOfSquares)); // every cell has pixels, so never zero
        for (int i = 0; i < embedding.length; i++) {
            embedding[i] *= scale;
        }
        return embedding;
    }

    /** Raw per-cell counts of uniform-pattern bins, cells in row-major order. */
    int[][] cellHistograms(RgbImage face) {
        float[] grey = ImageOps.resizePlanes(ImageOps.luma(face), 1, face.height(), face.width(), size, size);
        int[] codes = lbpCodes(grey, size);
        int[][] histograms = new int[grid * grid][BINS];
        for (int cy = 0; cy < grid; cy++) {
            int y0 = cy * size / grid;
            int y1 = (cy + 1) * size / grid;
            for (int cx = 0; cx < grid; cx++) {
                int x0 = cx * size / grid;
                int x1 = (cx + 1) * size / grid;
                int[] histogram = histograms[cy * grid + cx];
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        histogram[UNIFORM_BIN[codes[y * size + x]]]++;
                    }
                }
            }
        }
        return histograms;
    }

    /** The histogram bin of an 8-bit pattern: its rank among the uniform patterns, or 58 if not uniform. */
    static int uniformBin(int code) {
        return UNIFORM_BIN[code];
    }

    /** True if the circular 8-bit pattern has at most two 0/1 transitions. */
    static boolean isUniform(int code) {
        int rotated = ((code << 1) | (code >>> (NEIGHBOURS - 1))) & 0xFF;
        return Integer.bitCount(code ^ rotated) <= 2;
    }

    private static int[] uniformBinTable() {
        int[] table = new int[1 << NEIGHBOURS];
        int next = 0;
        for (int code = 0; code < table.length; code++) {
            table[code] = isUniform(code) ? next++ : -1;
        }
        for (int code = 0; code < table.length; code++) {
            if (table[code] < 0) {
                table[code] = next; // == BINS - 1
            }
        }
        return table;
    }

    /**
     * LBP<sub>8,1</sub> code at each pixel of a size×size grey image. Bit p is set when the sample at
     * angle p·45° (counter-clockwise from the right, radius 1) is at least the centre value. Each
     * sample is compared as a weighted sum of differences to the centre, so a constant added to the
     * image cancels before any rounding of the sample value.
     */
    static int[] lbpCodes(float[] grey, int size) {
        int[] codes = new int[size * size];
        for (int y = 0; y < size; y++) {
            int up = Math.max(y - 1, 0);
            int down = Math.min(y + 1, size - 1);
            for (int x = 0; x < size; x++) {
                int left = Math.max(x - 1, 0);
                int right = Math.min(x + 1, size - 1);
                double centre = grey[y * size + x];
                double r = grey[y * size + right] - centre;
                double u = grey[up * size + x] - centre;
                double l = grey[y * size + left] - centre;
                double d = grey[down * size + x] - centre;
                double ur = grey[up * size + right] - centre;
                double ul = grey[up * size + left] - centre;
                double dl = grey[down * size + left] - centre;
                double dr = grey[down * size + right] - centre;
                // Diagonal samples: bilinear over the centre, the two edge neighbours and the corner;
                // the centre's own term is zero as a difference.
                double upRight = EDGE_WEIGHT * (u + r) + CORNER_WEIGHT * ur;
                double upLeft = EDGE_WEIGHT * (u + l) + CORNER_WEIGHT * ul;
                double downLeft = EDGE_WEIGHT * (d + l) + CORNER_WEIGHT * dl;
                double downRight = EDGE_WEIGHT * (d + r) + CORNER_WEIGHT * dr;
                int code = 0;
                code |= r >= 0 ? 1 : 0;
                code |= upRight >= 0 ? 1 << 1 : 0;
                code |= u >= 0 ? 1 << 2 : 0;
                code |= upLeft >= 0 ? 1 << 3 : 0;
                code |= l >= 0 ? 1 << 4 : 0;
                code |= downLeft >= 0 ? 1 << 5 : 0;
                code |= d >= 0 ? 1 << 6 : 0;
                code |= downRight >= 0 ? 1 << 7 : 0;
                codes[y * size + x] = code;
            }
        }
        return codes;
    }
}
