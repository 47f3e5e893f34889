package org.segue.lab.baseline;

import org.segue.engine.internal.ImageCodec;
import org.segue.lab.dataset.DatasetProtector;
import org.segue.engine.training.ImageFolder;
import org.segue.engine.internal.RgbImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The LSP baseline ("linearly separable perturbations", Yu et al., <i>Availability Attacks Create
 * Shortcuts</i>, KDD 2022), built as the authors' {@code synthetic_perturbations/cifar_train.py} builds it:
 * training-free noise whose every image gets its own point from its class's Gaussian cluster.
 *
 * <p>Construction (the authors' {@code make_classification} call, {@code class_sep = 10}, one cluster per
 * class, every feature informative): a grid of {@code patchSize x patchSize} cells covers the image (edge
 * cells cut), one feature per (cell, channel), {@code F} features in all. Each class has a centroid at a
 * random vertex of the hypercube {@code {-10, +10}^F} and a random mixing matrix {@code A} with entries
 * uniform in [-1, 1]; an image's feature vector is {@code z A + centroid} with {@code z ~ N(0, I)}. The
 * vector is laid out as uniform patches and scaled to the authors' L2 norm, {@code eps * sqrt(3 * H * W)}:
 * a per-pixel root mean square of {@code eps}. Like the authors', the noise is not clipped to an L-inf ball
 * (its largest values are about 2-3 eps); only the protected image is clamped to [0, 1].
 *
 * <p>What differs from the original, and why it does not matter for a comparison: sklearn draws distinct
 * hypercube vertices, here each class draws its own vertex (two of ten classes share one with probability
 * below 2^-40 for F = 48); the random streams are Java's, seeded per (seed, class) and (seed, class, image),
 * so an image's noise does not depend on the order it is asked for.
 *
 * <p>Images of another size than the one configured get their pattern resampled by nearest neighbour.
 */
public final class LspNoise {

    /** The product's budget, as the per-pixel RMS the authors' L2 norm gives (their own default is 6/255). */
    public static final float DEFAULT_EPS = 8f / 255f;
    /**
     * Cells per side by default: 4, the authors' CIFAR-10 setting (8-px patches on 32 px) and the Segue
     * paper's best LSP on faces (56-px patches on 224 px).
     */
    public static final int DEFAULT_CELLS = 4;
    /** The authors' {@code class_sep}: half the side of the hypercube the class centroids sit on. */
    static final double CLASS_SEPARATION = 10.0;

    private final int height;
    private final int width;
    private final int patchSize;
    private final int rows;
    private final int cols;
    private final float eps;
    private final long seed;
    private final Map<Integer, Cluster> clusters = new ConcurrentHashMap<>();

    /** One class's Gaussian cluster: its centroid and mixing matrix (row-major F x F). */
    private record Cluster(double[] centroid, double[] mixing) {
    }

    /**
     * @param patchSize side of one uniform cell in pixels, 1..max(height, width)
     * @param eps       per-pixel root mean square of every noise pattern, in (0, 1]
     */
    public LspNoise(int height, int width, int patchSize, float eps, long seed) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, was " + width + "x" + height);
        }
        if (patchSize < 1 || patchSize > Math.max(height, width)) {
            throw new IllegalArgumentException("patch size must be in 1.." + Math.max(height, width) + ", was " + patchSize);
        }
        if (!(eps > 0 && eps <= 1)) {
            throw new IllegalArgumentException("eps must be in (0, 1], was " + eps);
        }
        this.height = height;
        this.width = width;
        this.patchSize = patchSize;
        this.rows = (height + patchSize - 1) / patchSize;
        this.cols = (width + patchSize - 1) / patchSize;
        this.eps = eps;
        this.seed = seed;
    }

    /** Default configuration: 4x4 cells (patch size = min(height, width) / 4, at least 1), eps = 8/255. */
    public static LspNoise withDefaults(int height, int width, long seed) {
        return new LspNoise(height, width, Math.max(1, Math.min(height, width) / DEFAULT_CELLS), DEFAULT_EPS, seed);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int patchSize() {
        return patchSize;
    }

    /** The per-pixel root mean square of every pattern. */
    public float eps() {
        return eps;
    }

    /** Features per image: one per cell and channel. */
    int features() {
        return 3 * rows * cols;
    }

    /**
     * The noise of image {@code sample} of class {@code label} at the configured size, CHW planes, per-pixel
     * RMS eps. A new array on every call.
     */
    public float[] noiseFor(int label, int sample) {
        if (label < 0 || sample < 0) {
            throw new IllegalArgumentException("label and sample must be >= 0, were " + label + ", " + sample);
        }
        Cluster cluster = clusters.computeIfAbsent(label, this::cluster);
        int f = features();
        Random random = new Random(mix(classSeed(label) + sample));
        double[] z = new double[f];
        for (int i = 0; i < f; i++) {
            z[i] = random.nextGaussian();
        }
        double[] point = cluster.centroid().clone();
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < f; j++) {
                point[j] += z[i] * cluster.mixing()[i * f + j];
            }
        }
        // features in the authors' layout (cell row, cell column, channel), repeated over each cell's pixels
        float[] noise = new float[3 * height * width];
        double sumOfSquares = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < height; y++) {
                int cellRow = y / patchSize;
                for (int x = 0; x < width; x++) {
                    double v = point[(cellRow * cols + x / patchSize) * 3 + c];
                    noise[(c * height + y) * width + x] = (float) v;
                    sumOfSquares += v * v;
                }
            }
        }
        double scale = eps * Math.sqrt(noise.length / sumOfSquares);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (noise[i] * scale);
        }
        return noise;
    }

    private Cluster cluster(int label) {
        int f = features();
        // seeded from (seed, label) alone, so a class's cluster does not depend on the classes asked for before
        Random random = new Random(classSeed(label) ^ 0x5DEECE66DL);
        double[] centroid = new double[f];
        for (int i = 0; i < f; i++) {
            centroid[i] = random.nextBoolean() ? CLASS_SEPARATION : -CLASS_SEPARATION;
        }
        double[] mixing = new double[f * f];
        for (int i = 0; i < mixing.length; i++) {
            mixing[i] = 2 * random.nextDouble() - 1;
        }
        return new Cluster(centroid, mixing);
    }

    /** The seed of one class's random streams, mixed from (seed, label) so neighbouring labels do not correlate. */
    private long classSeed(int label) {
        return mix(seed * 0x9E3779B97F4A7C15L + label);
    }

    /** SplitMix64's finaliser: spreads nearby seeds over the whole 64-bit range. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The noise at height x width: the configured one, or it resampled by nearest neighbour. */
    public float[] noiseFor(int label, int sample, int h, int w) {
        float[] base = noiseFor(label, sample);
        if (h == height && w == width) {
            return base;
        }
        float[] out = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                int sy = (int) ((long) y * height / h);
                for (int x = 0; x < w; x++) {
                    int sx = (int) ((long) x * width / w);
                    out[(c * h + y) * w + x] = base[(c * height + sy) * width + sx];
                }
            }
        }
        return out;
    }

    /** clamp(x + noise(label, sample), 0, 1), as the authors clip the protected image. */
    public RgbImage apply(RgbImage x, int label, int sample) {
        return x.plusClamped(noiseFor(label, sample, x.height(), x.width()));
    }

    /**
     * Protects a dataset in ImageFolder layout into {@code out/<identity>/<name>.png}, the layout and
     * naming of {@link org.segue.lab.dataset.DatasetProtector}: images keep their own size, the label
     * is the identity's index in ImageFolder order, and PNG is lossless, so the protected files differ
     * from the 8-bit originals by at most round(eps*255) levels. Unlike DatasetProtector, an unreadable
     * image aborts: a baseline set with holes would not compare with the others. Each class's images are
     * numbered 0, 1, ... in the dataset's order, and image k of a class gets that class's sample k.
     *
     * @return elapsed seconds
     */
    public double protectFolder(Path in, Path out) throws IOException {
        long start = System.nanoTime();
        ImageFolder dataset = ImageFolder.scan(in);
        int[] seen = new int[dataset.classes().size()];
        for (ImageFolder.Sample s : dataset.samples()) {
            RgbImage image = ImageCodec.read(s.file());
            Path target = out.resolve(dataset.classes().get(s.label())).resolve(DatasetProtector.pngName(s.file()));
            ImageCodec.writePng(apply(image, s.label(), seen[s.label()]++), target);
        }
        return (System.nanoTime() - start) / 1e9;
    }

}
