package org.segue.engine.training;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.distortion.DistortionConfig;
import org.segue.engine.generator.ModelInfo;
import org.segue.engine.generator.SegueGenerator;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.internal.DjlRuntime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer on tiny synthetic data whose labels cannot be learned from the clean images: every
 * image is the same scene and labels are assigned round-robin. Whatever the surrogate learns to tell
 * apart must therefore be the perturbation the generator planted for each label.
 */
class SegueTrainerTest {

    static final int SIZE = 32;
    static final int CLASSES = 4;
    static final float EPS = 16f / 255f;

    static List<RgbImage> sameScene(int n) {
        float[] chw = new float[3 * SIZE * SIZE];
        for (int j = 0; j < chw.length; j++) {
            int x = j % SIZE;
            int y = (j / SIZE) % SIZE;
            int c = j / (SIZE * SIZE);
            chw[j] = 0.3f + 0.2f * (float) (Math.sin(x * 0.3) * Math.cos(y * 0.2)) + 0.1f * c;
        }
        return Collections.nCopies(n, new RgbImage(chw, SIZE, SIZE));
    }

    static int[] roundRobin(int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
        }
        return labels;
    }

    /**
     * A small budget of steps: the surrogate retrains every epoch and eps is 16/255, so the
     * alternation converges within seconds; the mechanics are those of the real recipes.
     */
    static TrainingConfig tinyConfig(int epochs) {
        return new TrainingConfig(SIZE, epochs, 16, 2e-3f, 1e-3f, 1e-3f, 1, 1e-4f, false, EPS,
                DistortionConfig.authors().withAdversarial(1f / 255f, 1), 1);
    }

    static SegueModel freshModel() {
        DjlRuntime.engine().setRandomSeed(1);
        return SegueModel.create(new ModelInfo(SegueGenerator.ARCHITECTURE, EPS, SIZE, SIZE, 16, Map.of()),
                Device.cpu());
    }

    @Test
    void generatorPlantsALabelShortcutTheCleanImagesDoNotHave(@TempDir Path dir) throws Exception {
        List<RgbImage> images = sameScene(64);
        try (SegueModel model = freshModel()) {
            List<ProgressListener.Progress> reports = new ArrayList<>();
            TrainingResult result = new SegueTrainer(tinyConfig(5)).train(model, images, roundRobin(64), CLASSES,
                    dir.resolve("ckpt"), reports::add, Cancellation.none());
            assertEquals(5, result.epochsCompleted());
            assertEquals(5, result.history().size());
            assertEquals(reports.get(reports.size() - 1).total(), reports.get(reports.size() - 1).done());
            // Identical clean images cannot be told apart: loss at least ln 4 = 1.386 for balanced labels.
            assertTrue(result.surrogateLossClean() > 1.3, "clean loss " + result.surrogateLossClean());
            assertTrue(result.surrogateLossProtected() < 0.5 * result.surrogateLossClean(),
                    "surrogate loss on protected " + result.surrogateLossProtected()
                            + " should be well below its loss on clean " + result.surrogateLossClean());
        }
    }

    @Test
    void trainsWithCodesOtherThanTheLabelNumbers(@TempDir Path dir) throws Exception {
        List<RgbImage> images = sameScene(64);
        int[] codes = {40000, 123, 65535, 7777}; // e.g. the codes of four names
        try (SegueModel model = freshModel()) {
            TrainingResult result = new SegueTrainer(tinyConfig(5)).train(model, images, roundRobin(64), CLASSES,
                    codes, null, ProgressListener.NONE, Cancellation.none());
            assertTrue(result.surrogateLossProtected() < 0.5 * result.surrogateLossClean(),
                    "the shortcut is planted under the given codes: protected " + result.surrogateLossProtected()
                            + " vs clean " + result.surrogateLossClean());
            // the generator answers the codes it was trained with, not the label numbers
            float[] byCode = model.perturbationsAtFullSize(images.subList(0, 1), new int[] {codes[1]}, EPS).get(0);
            float[] byNumber = model.perturbationsAtFullSize(images.subList(0, 1), new int[] {1}, EPS).get(0);
            double diff = 0;
            for (int i = 0; i < byCode.length; i++) {
                diff += Math.abs(byCode[i] - byNumber[i]);
            }
            assertTrue(diff / byCode.length > 1e-3, "code and label number give the same perturbation");
        }
    }

    @Test
    void bandLimitedGeneratorPlantsASmoothShortcut(@TempDir Path dir) throws Exception {
        List<RgbImage> images = sameScene(64);
        TrainingConfig config = tinyConfig(5).withPerturbationScale(2);
        DjlRuntime.engine().setRandomSeed(1);
        ModelInfo half = new ModelInfo(SegueGenerator.ARCHITECTURE, EPS, SIZE / 2, SIZE / 2, 16, Map.of());
        try (SegueModel model = SegueModel.create(half, Device.cpu())) {
            TrainingResult result = new SegueTrainer(config).train(model, images, roundRobin(64), CLASSES,
                    null, ProgressListener.NONE, Cancellation.none());
            assertTrue(result.surrogateLossProtected() < 0.5 * result.surrogateLossClean(),
                    "protected " + result.surrogateLossProtected() + " vs clean " + result.surrogateLossClean());
            // At full size the perturbation is an up-sampled 16x16 one: within the budget, and smooth
            // (neighbouring pixels differ far less than the budget).
            float[] delta = model.perturbationsAtFullSize(images.subList(0, 1), new int[] {0}, EPS).get(0);
            double step = 0;
            for (int i = 0; i < delta.length; i++) {
                assertTrue(Math.abs(delta[i]) <= EPS + 1e-6f);
                if (i % SIZE != SIZE - 1) {
                    step = Math.max(step, Math.abs(delta[i + 1] - delta[i]));
                }
            }
            assertTrue(step <= EPS + 1e-6, "largest step between neighbours " + step);
        }
        try (SegueModel fullSize = freshModel()) {
            assertThrows(IllegalArgumentException.class, () -> new SegueTrainer(config).train(fullSize, images,
                    roundRobin(64), CLASSES, null, ProgressListener.NONE, Cancellation.none()),
                    "a 32 px generator does not fit a recipe that needs 16 px");
        }
    }

    /**
     * rho_d on the surrogate's input (REM-style): the generator's step scores G against protected images
     * pushed by PGD to where the surrogate errs most, so from the same weights and batch its loss is
     * higher than without rho; rho on G's input instead leaves the protected image's own loss nearly as is.
     */
    @Test
    void adversarialOnTheSurrogatesInputRaisesTheLossTheGeneratorMinimises() {
        List<RgbImage> images = sameScene(16);
        int[] labels = roundRobin(16);
        int[] batch = new int[16];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = i;
        }
        float radius = 8f / 255f;
        double plain = firstGeneratorCe(DistortionConfig.none(), images, labels, batch);
        double robust = firstGeneratorCe(DistortionConfig.none().withAdversarial(radius, 2, true), images, labels, batch);
        assertTrue(robust > plain + 1e-3, "CE with rho on the surrogate's input " + robust + " vs without " + plain);
        assertEquals(plain, firstGeneratorCe(DistortionConfig.none().withAdversarial(0f, 0, true), images, labels, batch),
                1e-6, "without a radius the flag changes nothing");
    }

    private static double firstGeneratorCe(DistortionConfig distortion, List<RgbImage> images, int[] labels, int[] batch) {
        TrainingConfig config = new TrainingConfig(SIZE, 1, 16, 2e-3f, 1e-3f, 1e-3f, 1, 1e-4f, false, EPS, distortion, 1);
        try (SegueModel model = freshModel(); NDManager surrogateManager = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            SegueTrainer.Run run = new SegueTrainer(config).benchmarkRun(model, images, labels, CLASSES, surrogateManager);
            run.surrogateTrainable(false);
            return run.generatorStep(batch, 2e-3f, new Random(0))[0];
        }
    }

    /**
     * With rho on the surrogate's input in both steps the surrogate trains adversarially, so the shortcut
     * takes longer to plant than in the plain alternation; within ten tiny epochs the generator's loss
     * against the adversarially perturbed, adversarially trained surrogate falls clearly.
     */
    @Test
    void robustShortcutTrainingLowersTheRobustLoss() throws Exception {
        List<RgbImage> images = sameScene(64);
        TrainingConfig config = new TrainingConfig(SIZE, 10, 16, 2e-3f, 1e-3f, 1e-3f, 1, 1e-4f, false, EPS,
                DistortionConfig.authors().withAdversarial(4f / 255f, 2, true), 1);
        try (SegueModel model = freshModel()) {
            TrainingResult result = new SegueTrainer(config).train(model, images, roundRobin(64), CLASSES,
                    null, ProgressListener.NONE, Cancellation.none());
            assertEquals(10, result.epochsCompleted());
            double first = result.history().get(0).generatorCe();
            double last = result.history().get(9).generatorCe();
            assertTrue(last < 0.75 * first, "generator CE under rho: epoch 1 " + first + ", epoch 10 " + last);
        }
    }

    @Test
    void cancelledRunKeepsTheLastEpochAndResumesFromIt(@TempDir Path dir) throws Exception {
        List<RgbImage> images = sameScene(32);
        int[] labels = roundRobin(32);
        Path ckpt = dir.resolve("ckpt");
        Cancellation cancellation = new Cancellation();
        try (SegueModel model = freshModel()) {
            // Cancel during the second epoch (each epoch has 2 surrogate + 2 generator steps).
            TrainingResult first = new SegueTrainer(tinyConfig(3)).train(model, images, labels, CLASSES, ckpt,
                    p -> {
                        if (p.done() == 5) {
                            cancellation.cancel();
                        }
                    }, cancellation);
            assertTrue(first.cancelled());
            assertEquals(1, first.epochsCompleted());
            assertTrue(Files.exists(ckpt));
        }
        try (SegueModel model = freshModel()) {
            List<ProgressListener.Progress> reports = new ArrayList<>();
            TrainingResult second = new SegueTrainer(tinyConfig(3)).train(model, images, labels, CLASSES, ckpt,
                    reports::add, Cancellation.none());
            assertEquals(3, second.epochsCompleted());
            assertEquals(3, second.history().size(), "epoch 1 comes from the checkpoint");
            assertEquals(5, reports.get(0).done(), "the resumed run starts counting after epoch 1");
        }
    }
}
