package org.segue.engine.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.Perturbation;
import org.segue.engine.SegueModel;
import org.segue.engine.data.Batches;
import org.segue.engine.data.RgbImage;
import org.segue.engine.distortion.DistortionConfig;
import org.segue.engine.eval.Attacker;
import org.segue.engine.model.ModelInfo;
import org.segue.engine.nn.SegueGenerator;
import org.segue.engine.progress.Cancellation;
import org.segue.engine.progress.ProgressListener;
import org.segue.engine.runtime.DjlRuntime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On tiny synthetic data whose labels cannot be learned from the clean images (random textures with
 * random labels), the trained generator must plant an easy shortcut: a fresh classifier trained on
 * the protected images fits them, while the same images without protection keep a loss near chance.
 */
class SegueTrainerTest {

    static final int SIZE = 32;
    static final int CLASSES = 4;

    static List<RgbImage> randomImages(int n, long seed) {
        Random r = new Random(seed);
        List<RgbImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] chw = new float[3 * SIZE * SIZE];
            for (int j = 0; j < chw.length; j++) {
                chw[j] = 0.2f + 0.6f * r.nextFloat();
            }
            out.add(new RgbImage(chw, SIZE, SIZE));
        }
        return out;
    }

    static TrainingConfig tinyConfig(int epochs) {
        return new TrainingConfig(SIZE, epochs, 8, 5e-3f, 1e-3f, 1e-3f, 3, 1e-4f, false,
                Perturbation.DEFAULT_EPSILON, DistortionConfig.authors().withAdversarial(1f / 255f, 1), 1);
    }

    static SegueModel freshModel() {
        DjlRuntime.engine().setRandomSeed(1);
        return SegueModel.create(new ModelInfo(SegueGenerator.ARCHITECTURE, Perturbation.DEFAULT_EPSILON, SIZE, SIZE,
                16, Map.of()), Device.cpu());
    }

    @Test
    void generatorLearnsAShortcutTheCleanImagesDoNotHave(@TempDir Path dir) throws Exception {
        List<RgbImage> images = randomImages(64, 7);
        int[] labels = new int[images.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % CLASSES;
        }
        try (SegueModel model = freshModel()) {
            List<ProgressListener.Progress> reports = new ArrayList<>();
            TrainingResult result = new SegueTrainer(tinyConfig(12)).train(model, images, labels, CLASSES,
                    dir.resolve("ckpt"), reports::add, Cancellation.none());
            assertEquals(12, result.epochsCompleted());
            result.history().forEach(h -> System.out.println("HIST " + h));
            assertTrue(reports.size() > 0);

            List<RgbImage> unseen = randomImages(64, 99);
            List<RgbImage> protectedImages;
            List<RgbImage> unseenProtected;
            try (NDManager m = DjlRuntime.engine().newBaseManager(Device.cpu())) {
                protectedImages = Batches.unstack(model.protect(Batches.stack(m, images), labels));
                unseenProtected = Batches.unstack(model.protect(Batches.stack(m, unseen), labels));
            }
            Attacker.Config cfg = new Attacker.Config(10, 4, 1e-3f, false, 3);
            try (Attacker attacker = Attacker.train(cfg, protectedImages, labels, CLASSES, ProgressListener.NONE,
                    Cancellation.none())) {
                // Unseen images: memorising the training images does not help, only a label shortcut does.
                Attacker.Score onProtected = attacker.score(unseenProtected, labels);
                Attacker.Score onClean = attacker.score(unseen, labels);
                System.out.println("SCORE " + onProtected + " " + onClean);
                assertTrue(onProtected.loss() < 0.5 * onClean.loss(),
                        "loss on protected " + onProtected + " should be well below loss on clean " + onClean);
                assertTrue(onProtected.accuracy() >= 0.75, "protected accuracy " + onProtected);
            }
        }
    }
}
