package org.segue.lab.baseline;

import org.segue.engine.generator.FaceMask;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * Autoregressive perturbations (after Sandoval-Segura et al., "Autoregressive Perturbations for Data Poisoning",
 * NeurIPS 2022): each person gets a causal 3x3 autoregressive process of their own, and every face of theirs a fresh
 * sample of it. Unlike a fixed texture (see {@link ClassTexture}) the pattern differs from face to face and is
 * stationary, so a single 3x3 filter (the process's own coefficients, minus one at the centre) recognises it anywhere
 * in the image, under the attacker's crops and shifts: a shortcut a convolution finds with no need to learn
 * positions. The question it answers here: does a translation-invariant texture per person, in brightness only
 * where grey (so grey squeezing keeps all of it), teach a from-scratch attacker the shortcut instead of the faces?
 *
 * <p>The process: x[i][j] = sum of b[k][l] x[i-2+k][j-2+l] over the causal 3x3 window (b[2][2] = 0) plus unit
 * Gaussian innovation; coefficients drawn Gaussian and scaled so their absolute values sum to {@code 0.95}, which
 * keeps the recursion stable on any image size (the paper normalises the plain sum to one on 32 px images, which
 * diverges at 224 px). Each sample is cut from a canvas {@link #WARM_UP} pixels larger on the top and left (the
 * recursion's start-up), scaled to an RMS of half the budget, clipped to the budget and weighted by the face oval.
 */
public final class ArTexture {

    static final int WARM_UP = 8;
    private static final double ABS_SUM = 0.95;

    private final int cell;
    private final float eps;
    private final boolean grey;
    private final long seed;

    /**
     * @param cell side in pixels of one step of the process (2: the process runs at half the image's resolution,
     *             each value covering 2 x 2 pixels, so an attacker's area resize to half size sees the process itself)
     * @param eps  the largest change of a sample, in (0, 1]
     */
    public ArTexture(int cell, float eps, boolean grey, long seed) {
        TextureProbes.requireCellAndBudget(cell, eps);
        this.cell = cell;
        this.eps = eps;
        this.grey = grey;
        this.seed = seed;
    }

    /** The 3x3 causal coefficients of identity {@code label}'s process for colour plane {@code plane}. */
    double[] coefficients(int label, int plane) {
        Random random = new Random((seed * 0x9E3779B97F4A7C15L + label) * 31 + plane);
        double[] b = new double[9];
        double sum = 0;
        for (int k = 0; k < 8; k++) {
            b[k] = random.nextGaussian();
            sum += Math.abs(b[k]);
        }
        for (int k = 0; k < 8; k++) {
            b[k] *= ABS_SUM / sum;
        }
        return b; // b[8], the centre, stays 0
    }

    /** One sample of identity {@code label}'s process at h x w (CHW planes), scaled, clipped and oval-weighted. */
    public float[] pattern(int label, long sampleSeed, int h, int w) {
        Random innovation = new Random(sampleSeed);
        float[] oval = FaceMask.FACE.weights(h, w);
        float[] out = new float[3 * h * w];
        int planes = grey ? 1 : 3;
        int rows = (h + cell - 1) / cell;
        int cols = (w + cell - 1) / cell;
        for (int p = 0; p < planes; p++) {
            double[] b = coefficients(label, p);
            int ch = rows + WARM_UP;
            int cw = cols + WARM_UP;
            double[] x = new double[ch * cw];
            for (int i = 0; i < ch; i++) {
                for (int j = 0; j < cw; j++) {
                    double v = innovation.nextGaussian();
                    if (i >= 2 && j >= 2) {
                        for (int k = 0; k < 3; k++) {
                            for (int l = 0; l < 3; l++) {
                                v += b[k * 3 + l] * x[(i - 2 + k) * cw + j - 2 + l];
                            }
                        }
                    }
                    x[i * cw + j] = v;
                }
            }
            double sq = 0;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double v = x[(i + WARM_UP) * cw + j + WARM_UP];
                    sq += v * v;
                }
            }
            double scale = 0.5 * eps / Math.sqrt(sq / (rows * cols));
            for (int c = grey ? 0 : p; c < (grey ? 3 : p + 1); c++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        double v = Math.max(-eps, Math.min(eps, scale * x[(i / cell + WARM_UP) * cw + j / cell + WARM_UP]));
                        out[(c * h + i) * w + j] = (float) v * oval[i * w + j];
                    }
                }
            }
        }
        return out;
    }

    /** Protects a dataset in ImageFolder layout into {@code out/<identity>/<name>.png}; returns seconds. */
    public double protectFolder(Path in, Path out) throws IOException {
        return TextureProbes.protectFolder(in, out,
                (s, index, image) -> pattern(s.label(), seed * 1_000_003L + index, image.height(), image.width()));
    }
}
