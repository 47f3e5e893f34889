package org.segue.lab.baseline;

import org.segue.engine.generator.FaceMask;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A fixed random texture per person, as a probe of what the eye misses and an attacker still learns: each cell of
 * {@code cell x cell} pixels of the face's grid gets +eps or -eps at random (the same for R, G and B where grey),
 * one pattern per identity for all its faces (class-wise noise, the simplest shortcut of the unlearnable-examples
 * literature), weighted by the product's face oval so nothing outside the face changes. Faces are aligned crops of
 * one framing, so the pattern lands on the same facial points in every face of a person. Not optimised: whether a
 * from-scratch attacker prefers such a texture to the faces tells whether a generator should aim for one.
 */
public final class ClassTexture {

    private final int cell;
    private final float eps;
    private final boolean grey;
    private final long seed;

    /**
     * @param cell side of one cell in pixels of the image it is applied to
     * @param eps  the change of every cell, in (0, 1]
     */
    public ClassTexture(int cell, float eps, boolean grey, long seed) {
        TextureProbes.requireCellAndBudget(cell, eps);
        this.cell = cell;
        this.eps = eps;
        this.grey = grey;
        this.seed = seed;
    }

    /** The perturbation of identity {@code label} at h x w (CHW planes), oval-weighted. */
    public float[] pattern(int label, int h, int w) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + label);
        int rows = (h + cell - 1) / cell;
        int cols = (w + cell - 1) / cell;
        float[][] signs = new float[grey ? 1 : 3][rows * cols];
        for (float[] plane : signs) {
            for (int i = 0; i < plane.length; i++) {
                plane[i] = random.nextBoolean() ? eps : -eps;
            }
        }
        float[] oval = FaceMask.FACE.weights(h, w);
        float[] out = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            float[] plane = signs[grey ? 0 : c];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(c * h + y) * w + x] = plane[(y / cell) * cols + x / cell] * oval[y * w + x];
                }
            }
        }
        return out;
    }

    /** Protects a dataset in ImageFolder layout into {@code out/<identity>/<name>.png}; returns seconds. */
    public double protectFolder(Path in, Path out) throws IOException {
        return TextureProbes.protectFolder(in, out, (s, index, image) -> pattern(s.label(), image.height(), image.width()));
    }
}
