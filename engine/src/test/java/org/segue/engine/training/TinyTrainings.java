package org.segue.engine.training;

import ai.djl.Device;
import org.segue.engine.distortion.DistortionConfig;
import org.segue.engine.generator.ModelInfo;
import org.segue.engine.generator.SegueGenerator;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The tiny trainings and datasets the tests train on (and the lab measures their margins with): one scene
 * repeated, whose labels cannot be learnt from the clean images, only from what the generator plants; and a
 * small labelled folder for the command lines.
 */
public final class TinyTrainings {

    public static final int SIZE = 32;
    public static final int CLASSES = 4;
    public static final float EPS = 16f / 255f;

    private TinyTrainings() {}

    public static List<RgbImage> sameScene(int n) {
        float[] chw = new float[3 * SIZE * SIZE];
        for (int j = 0; j < chw.length; j++) {
            int x = j % SIZE;
            int y = (j / SIZE) % SIZE;
            int c = j / (SIZE * SIZE);
            chw[j] = 0.3f + 0.2f * (float) (Math.sin(x * 0.3) * Math.cos(y * 0.2)) + 0.1f * c;
        }
        return Collections.nCopies(n, new RgbImage(chw, SIZE, SIZE));
    }

    public static int[] roundRobin(int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
        }
        return labels;
    }

    /**
     * A small budget of steps: the surrogate retrains every epoch and eps is 16/255, so the alternation
     * converges within seconds; the mechanics are those of the real recipes.
     */
    public static TrainingConfig tinyConfig(int epochs, long seed) {
        return new TrainingConfig(SIZE, epochs, 16, 2e-3f, 1e-3f, 1e-3f, 1, 1e-4f, false, EPS,
                DistortionConfig.authors().withAdversarial(1f / 255f, 1), seed);
    }

    /** A new generator working at {@code generatorSize}, its weights drawn from {@code seed}. */
    public static SegueModel freshModel(long seed, int generatorSize) {
        DjlRuntime.engine().setRandomSeed((int) seed);
        return SegueModel.create(new ModelInfo(SegueGenerator.ARCHITECTURE, EPS, generatorSize, generatorSize, 16,
                Map.of()), Device.cpu());
    }

    /**
     * {@code <root>/person0..2/<i>.png}: three people as class-dependent colours plus noise (36x36), so an
     * attacker has something to learn.
     */
    public static Path labelledFolder(Path root, int perClass, long seed) throws IOException {
        Random r = new Random(seed);
        for (int c = 0; c < 3; c++) {
            Path dir = Files.createDirectories(root.resolve("person" + c));
            for (int i = 0; i < perClass; i++) {
                float[] chw = new float[3 * 36 * 36];
                for (int j = 0; j < chw.length; j++) {
                    chw[j] = Math.min(1f, Math.max(0f, 0.25f * (c + 1) * ((j / (36 * 36)) == c ? 1.5f : 0.6f)
                            + 0.1f * (float) r.nextGaussian()));
                }
                ImageCodec.writePng(new RgbImage(chw, 36, 36), dir.resolve(i + ".png"));
            }
        }
        return root;
    }
}
