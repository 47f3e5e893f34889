package org.segue.engine.baseline;

import org.segue.engine.data.ImageCodec;
import org.segue.engine.data.ImageFolder;
import org.segue.engine.data.RgbImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The LSP baseline ("linearly separable perturbations", Yu et al., <i>Availability Attacks Create
 * Shortcuts</i>, KDD 2022): a training-free, class-wise noise. Every class gets one fixed pattern of
 * uniform patches, one Gaussian value per channel and patch cell; the same pattern is added to every
 * image of that class. Such patterns are trivially linearly separable, so a network trained on the
 * protected images learns the noise (a shortcut) instead of the faces.
 *
 * <p>Construction, per class: draw N(0,1) for each (channel, cell) of a grid of
 * {@code patchSize x patchSize} cells covering the image (edge cells are cut when the size is no
 * multiple of the patch size), fill every cell with its value (upsampling by repetition), then scale
 * the whole pattern so that its L-inf norm is exactly {@code eps}. The original code normalises each
 * pattern in L2 and then clips it to the L-inf ball; scaling by the L-inf norm instead keeps the
 * Gaussian pattern's shape (no clipped plateaus), uses the whole budget and holds the bound exactly,
 * which is what a comparison at equal L-inf budget needs. Patterns are seeded per (seed, label), so a
 * label's noise does not depend on which labels were asked for before.
 *
 * <p>Images of another size than the one configured get the pattern resampled by nearest neighbour,
 * so every value added is one of the pattern's values and the bound still holds.
 */
public final class LspNoise {

    /** The product's budget. */
    public static final float DEFAULT_EPS = 8f / 255f;
    /** Cells per side by default (patch size = image size / 8). */
    public static final int DEFAULT_CELLS = 8;

    private final int height;
    private final int width;
    private final int patchSize;
    private final float eps;
    private final long seed;
    private final Map<Integer, float[]> cache = new ConcurrentHashMap<>();

    /**
     * @param patchSize side of one uniform cell in pixels, 1..max(height, width)
     * @param eps       L-inf norm of every class pattern, in (0, 1]
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
        this.eps = eps;
        this.seed = seed;
    }

    /** Default configuration: 8x8 cells (patch size = min(height, width) / 8, at least 1), eps = 8/255. */
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

    public float eps() {
        return eps;
    }

    /**
     * The class pattern at the configured size, CHW planes with values in [-eps, eps]. The array is
     * shared (cached): do not modify it.
     */
    public float[] noiseFor(int label) {
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, was " + label);
        }
        return cache.computeIfAbsent(label, this::generate);
    }

    private float[] generate(int label) {
        int rows = (height + patchSize - 1) / patchSize;
        int cols = (width + patchSize - 1) / patchSize;
        // one generator per label, its seed mixed from (seed, label) so that neighbouring labels or
        // seeds do not give correlated java.util.Random streams
        Random random = new Random(mix(seed * 0x9E3779B97F4A7C15L + label));
        double[] cells = new double[3 * rows * cols];
        double max = 0;
        for (int i = 0; i < cells.length; i++) {
            cells[i] = random.nextGaussian();
            max = Math.max(max, Math.abs(cells[i]));
        }
        float[] noise = new float[3 * height * width];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < height; y++) {
                int cellRow = y / patchSize;
                for (int x = 0; x < width; x++) {
                    double g = cells[(c * rows + cellRow) * cols + x / patchSize];
                    // |g| <= max, so |g / max| <= 1 and the product rounds to at most eps (eps is a float)
                    noise[(c * height + y) * width + x] = (float) (eps * (g / max));
                }
            }
        }
        return noise;
    }

    /** SplitMix64's finaliser: spreads nearby seeds over the whole 64-bit range. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The class pattern at height x width: the configured one, or it resampled by nearest neighbour. */
    public float[] noiseFor(int label, int h, int w) {
        float[] base = noiseFor(label);
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

    /** clamp(x + noise(label), 0, 1); clamping only shrinks the change, so the bound holds. */
    public RgbImage apply(RgbImage x, int label) {
        float[] noise = noiseFor(label, x.height(), x.width());
        float[] in = x.chw();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = Math.min(1f, Math.max(0f, in[i] + noise[i]));
        }
        return new RgbImage(out, x.height(), x.width());
    }

    /**
     * Protects a dataset in ImageFolder layout into {@code out/<identity>/<name>.png}, the layout and
     * naming of {@link org.segue.engine.batch.DatasetProtector}: images keep their own size, the label
     * is the identity's index in ImageFolder order, and PNG is lossless, so the protected files differ
     * from the 8-bit originals by at most round(eps*255) levels. Unlike DatasetProtector, an unreadable
     * image aborts: a baseline set with holes would not compare with the others.
     *
     * @return elapsed seconds
     */
    public double protectFolder(Path in, Path out) throws IOException {
        long start = System.nanoTime();
        ImageFolder dataset = ImageFolder.scan(in);
        for (ImageFolder.Sample s : dataset.samples()) {
            RgbImage image = ImageCodec.read(s.file());
            Path target = out.resolve(dataset.classes().get(s.label())).resolve(pngName(s.file()));
            ImageCodec.writePng(apply(image, s.label()), target);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** {@code name.jpg} -> {@code name.png}, as DatasetProtector names its output. */
    static String pngName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + ".png";
    }
}
