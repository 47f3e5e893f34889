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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer on tiny synthetic data whose labels cannot be learned from the clean images: every
 * image is the same scene and labels are assigned round-robin ({@link TinyTrainings}). Whatever the surrogate learns to tell
 * apart must therefore be the perturbation the generator planted for each label.
 */
class SegueTrainerIT {

    static final int SIZE = TinyTrainings.SIZE;
    static final int CLASSES = TinyTrainings.CLASSES;
    static final float EPS = TinyTrainings.EPS;

    static List<RgbImage> sameScene(int n) {
        return TinyTrainings.sameScene(n);
    }

    static int[] roundRobin(int n) {
        return TinyTrainings.roundRobin(n);
    }

    static TrainingConfig tinyConfig(int epochs) {
        return tinyConfig(epochs, 1);
    }

    static TrainingConfig tinyConfig(int epochs, long seed) {
        return TinyTrainings.tinyConfig(epochs, seed);
    }

    static SegueModel freshModel() {
        return freshModel(1, SIZE);
    }

    static SegueModel freshModel(long seed, int generatorSize) {
        return TinyTrainings.freshModel(seed, generatorSize);
    }

    /** A tiny training's model and result; closing it frees the model. */
    record Trained(SegueModel model, TrainingResult result) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * Tiny trainings are chaotic: float results that differ in the last bits (libtorch's kernels for the CPU,
     * the thread count, even where an array lands in memory) send the same seed to different places, and now
     * and then one fails to plant the shortcut or diverges (measured: training-tool/lab/results/
     * trainer-margins.txt, a few in a hundred). A property of the trainer is therefore asserted on the first of
     * up to three seeds for which it holds: a trainer that does not have it fails all three.
     */
    static Trained firstOfThreeSeeds(String property, java.util.function.LongFunction<Trained> train,
                                     java.util.function.Predicate<Trained> holds) {
        List<String> attempts = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            Trained trained;
            try {
                trained = train.apply(seed);
            } catch (IllegalStateException diverged) {
                attempts.add("seed " + seed + ": " + diverged.getMessage());
                System.out.println(property + ": " + attempts.get(attempts.size() - 1) + "; trying the next seed");
                continue;
            }
            if (holds.test(trained)) {
                return trained;
            }
            attempts.add("seed " + seed + ": surrogate loss protected " + trained.result().surrogateLossProtected()
                    + ", clean " + trained.result().surrogateLossClean());
            System.out.println(property + ": not in the tiny training with " + attempts.get(attempts.size() - 1)
                    + "; trying the next seed");
            trained.close();
        }
        throw new AssertionError(property + " in none of three tiny trainings: " + attempts);
    }

    static Trained train(TrainingConfig config, SegueModel model, int[] codes, Path checkpoint,
                         ProgressListener progress) {
        try {
            List<RgbImage> images = sameScene(64);
            TrainingResult result = new SegueTrainer(config).train(model, images, roundRobin(64), CLASSES, codes,
                    checkpoint, progress, Cancellation.none());
            return new Trained(model, result);
        } catch (java.io.IOException e) {
            model.close();
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    static boolean shortcutPlanted(Trained t) {
        return t.result().surrogateLossProtected() < 0.5 * t.result().surrogateLossClean();
    }

    @Test
    void generatorPlantsALabelShortcutTheCleanImagesDoNotHave(@TempDir Path dir) throws Exception {
        List<ProgressListener.Progress> reports = new ArrayList<>();
        try (Trained t = firstOfThreeSeeds("the shortcut planted", seed -> {
            reports.clear();
            return train(tinyConfig(5, seed), freshModel(seed, SIZE), null, dir.resolve("ckpt" + seed), reports::add);
        }, SegueTrainerIT::shortcutPlanted)) {
            TrainingResult result = t.result();
            assertEquals(5, result.epochsCompleted());
            assertEquals(5, result.history().size());
            assertEquals(reports.get(reports.size() - 1).total(), reports.get(reports.size() - 1).done());
            // Identical clean images cannot be told apart: loss at least ln 4 = 1.386 for balanced labels.
            assertTrue(result.surrogateLossClean() > 1.3, "clean loss " + result.surrogateLossClean());
        }
    }

    /** Mean S-CIELAB (CIEDE2000) of the model's protection of the tiny scene, one image per class, at the config's viewing condition. */
    static double meanVisibility(Trained t, TrainingConfig config) {
        RgbImage scene = sameScene(1).get(0);
        List<RgbImage> images = java.util.Collections.nCopies(CLASSES, scene);
        List<RgbImage> protectedImages = t.model().protectImages(images, roundRobin(CLASSES));
        org.segue.engine.visibility.SCielab measure = new org.segue.engine.visibility.SCielab(
                config.visibilityPixelsPerDegree());
        double sum = 0;
        for (RgbImage p : protectedImages) {
            sum += org.segue.engine.visibility.SCielab.summarise(measure.differenceMap(scene, p), null).mean();
        }
        return sum / CLASSES;
    }

    @Test
    void theVisibilityTermHidesThePerturbation(@TempDir Path dir) {
        TrainingConfig plain = tinyConfig(5);
        TrainingConfig hidden = plain.withVisibilityWeight(10f);
        assertEquals("10.0", hidden.describe().get("visibility.weight"));
        assertEquals("0.0", plain.describe().get("visibility.weight"), "recipes without it say so");
        double seen;
        try (Trained t = train(plain, freshModel(1, SIZE), null, dir.resolve("plain"), p -> { })) {
            seen = meanVisibility(t, plain);
        }
        try (Trained t = firstOfThreeSeeds("a less visible perturbation", seed -> train(hidden.withSeed(seed),
                freshModel(seed, SIZE), null, dir.resolve("hidden" + seed), p -> { }),
                trained -> {
                    double v = meanVisibility(trained, hidden);
                    System.out.printf("visibility without the term %.3f, with it %.3f%n", seen, v);
                    return v < 0.6 * seen;
                })) {
            // measured (seed 1): 5.19 -> 2.37 with libtorch's AVX-512 kernels, 4.36 -> 2.30 with the default ones
            assertTrue(t.result().epochsCompleted() == 5);
        }
    }

    /** Mean cosine similarity the shipped recogniser finds between the scene and its protected versions. */
    static double recognisedSimilarity(Trained t) {
        RgbImage scene = sameScene(1).get(0);
        List<RgbImage> images = java.util.Collections.nCopies(CLASSES, scene);
        List<RgbImage> protectedImages = t.model().protectImages(images, roundRobin(CLASSES));
        try (EmbeddingObjective objective = new EmbeddingObjective(SIZE, ai.djl.Device.cpu());
             ai.djl.ndarray.NDManager m = org.segue.engine.internal.DjlRuntime.engine().newBaseManager()) {
            return objective.similarity(org.segue.engine.internal.Batches.stack(m, images),
                    org.segue.engine.internal.Batches.stack(m, protectedImages)).getFloat();
        }
    }

    @Test
    void theEmbeddingTermMovesProtectedFacesAwayFromTheirOriginalsForThePretrainedRecogniser(@TempDir Path dir) {
        // a weight that makes the term rule the generator's loss: the test is whether its gradient reaches the
        // generator through the recogniser. Each step reports the term (with its input diversity); measured
        // (seed 1): 0.94 in the first epoch's steps -> 0.88 in the third's, and the finished model 0.94 without the
        // term -> 0.85 with it (a tiny training's own randomness moves the latter by about 0.04 between runs)
        TrainingConfig plain = tinyConfig(3);
        TrainingConfig away = plain.withEmbeddingWeight(1000f);
        assertEquals("1000.0", away.describe().get("embedding.weight"));
        double similar;
        try (Trained p = train(plain, freshModel(1, SIZE), null, dir.resolve("plain"), x -> { })) {
            similar = recognisedSimilarity(p);
        }
        java.util.Map<Integer, List<Double>> byEpoch = new java.util.TreeMap<>();
        java.util.regex.Pattern term = java.util.regex.Pattern.compile("epoch (\\d+) .*recogniser similarity ([0-9.]+)");
        double moved;
        try (Trained t = train(away, freshModel(1, SIZE), null, dir.resolve("away"), x -> {
            java.util.regex.Matcher m = term.matcher(x.message());
            if (m.find()) {
                byEpoch.computeIfAbsent(Integer.parseInt(m.group(1)), e -> new ArrayList<>()).add(Double.parseDouble(m.group(2)));
            }
        })) {
            moved = recognisedSimilarity(t);
        }
        double first = byEpoch.get(1).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = byEpoch.get(3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        System.out.printf("recogniser similarity in the steps of epoch 1 %.4f, of epoch 3 %.4f; finished model "
                + "without the term %.4f, with it %.4f%n", first, last, similar, moved);
        assertTrue(last < first - 0.02, "the term falls while training: " + first + " -> " + last);
        assertTrue(moved < similar, "similarity " + similar + " without the term, " + moved + " with it");
    }

    @Test
    void trainsWithCodesOtherThanTheLabelNumbers() {
        int[] codes = {40000, 123, 65535, 7777}; // e.g. the codes of four names
        List<RgbImage> images = sameScene(1);
        // the generator answers the codes it was trained with, not the label numbers. The code-dependent part of
        // a tiny generator's perturbation is small (a mean of 0.001-0.01 against a budget of 0.063), and which
        // class shows it most varies with seed and kernels, so the largest of the four differences is asserted:
        // 0.0025-0.0096 over seeds 0-4 and both kernel paths (training-tool/lab/results/trainer-codes.txt)
        java.util.function.ToDoubleFunction<Trained> largestCodeEffect = t -> {
            double largest = 0;
            for (int c = 0; c < CLASSES; c++) {
                float[] byCode = t.model().perturbationsAtFullSize(images, new int[] {codes[c]}, EPS).get(0);
                float[] byNumber = t.model().perturbationsAtFullSize(images, new int[] {c}, EPS).get(0);
                double diff = 0;
                for (int i = 0; i < byCode.length; i++) {
                    diff += Math.abs(byCode[i] - byNumber[i]);
                }
                largest = Math.max(largest, diff / byCode.length);
            }
            return largest;
        };
        try (Trained t = firstOfThreeSeeds("the shortcut planted under the given codes",
                seed -> train(tinyConfig(5, seed), freshModel(seed, SIZE), codes, null, ProgressListener.NONE),
                tr -> shortcutPlanted(tr) && largestCodeEffect.applyAsDouble(tr) > 1e-3)) {
            assertTrue(largestCodeEffect.applyAsDouble(t) > 1e-3);
        }
    }

    @Test
    void bandLimitedGeneratorPlantsASmoothShortcut() {
        List<RgbImage> images = sameScene(64);
        TrainingConfig config = tinyConfig(5).withPerturbationScale(2);
        try (Trained t = firstOfThreeSeeds("the band-limited shortcut planted",
                seed -> train(tinyConfig(5, seed).withPerturbationScale(2), freshModel(seed, SIZE / 2), null, null,
                        ProgressListener.NONE), SegueTrainerIT::shortcutPlanted)) {
            // At full size the perturbation is an up-sampled 16x16 one: within the budget, and smooth
            // (neighbouring pixels differ far less than the budget).
            float[] delta = t.model().perturbationsAtFullSize(images.subList(0, 1), new int[] {0}, EPS).get(0);
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
     * takes longer to plant than in the plain alternation. Within ten tiny epochs the generator's loss
     * against the adversarially perturbed, adversarially trained surrogate falls, but not by much: over seeds
     * 0-4, libtorch's default and AVX-512 kernels and 1 and 2 threads the mean of epochs 8-10 was 0.69-0.96 of
     * epoch 1's (training-tool/lab/results/trainer-margins.txt). So this asserts that it falls; how far a robust
     * shortcut gets is measured on real faces in the lab.
     */
    @Test
    void robustShortcutTrainingLowersTheRobustLoss() {
        java.util.function.ToDoubleFunction<Trained> fall = t -> {
            List<TrainingResult.EpochStats> h = t.result().history();
            double lastThree = (h.get(7).generatorCe() + h.get(8).generatorCe() + h.get(9).generatorCe()) / 3;
            return lastThree / h.get(0).generatorCe();
        };
        try (Trained t = firstOfThreeSeeds("the robust loss falling", seed -> train(new TrainingConfig(SIZE, 10, 16,
                        2e-3f, 1e-3f, 1e-3f, 1, 1e-4f, false, EPS, DistortionConfig.authors().withAdversarial(4f / 255f,
                        2, true), seed), freshModel(seed, SIZE), null, null, ProgressListener.NONE),
                tr -> tr.result().epochsCompleted() == 10 && fall.applyAsDouble(tr) < 1)) {
            for (TrainingResult.EpochStats s : t.result().history()) {
                assertTrue(Double.isFinite(s.generatorCe()) && Double.isFinite(s.generatorL2()), s.toString());
            }
            assertTrue(fall.applyAsDouble(t) < 1, "epochs 8-10 over epoch 1: " + fall.applyAsDouble(t));
        }
    }

    /** A network that diverges never reaches a checkpoint: the job stops with the reason and can resume. */
    @Test
    void aDivergedTrainingStopsWithoutSavingTheEpoch(@TempDir Path dir) {
        List<RgbImage> images = new ArrayList<>(sameScene(32));
        float[] broken = images.get(0).chw().clone();
        broken[0] = Float.NaN; // one non-finite sample poisons every loss downstream
        images.set(0, new RgbImage(broken, SIZE, SIZE));
        Path ckpt = dir.resolve("ckpt");
        try (SegueModel model = freshModel()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SegueTrainer(tinyConfig(2))
                    .train(model, images, roundRobin(32), CLASSES, ckpt, ProgressListener.NONE, Cancellation.none()));
            assertTrue(e.getMessage().contains("diverged in epoch 1"), e.getMessage());
            assertTrue(Files.notExists(ckpt), "no checkpoint of a diverged epoch");
        }
    }

    /** The guard looks at the weights too: one NaN in any parameter is found, whatever the losses said. */
    @Test
    void aNonFiniteWeightIsFoundAnywhereInTheNetwork() {
        try (SegueModel model = freshModel()) {
            ai.djl.util.PairList<String, ai.djl.nn.Parameter> params = model.generator().getParameters();
            assertTrue(SegueTrainer.finite(params), "a fresh generator is finite");
            for (int index : new int[] {0, params.size() / 2, params.size() - 1}) {
                ai.djl.nn.Parameter p = params.valueAt(index);
                boolean trainable = p.requiresGradient();
                float[] before = p.getArray().toFloatArray();
                float[] poisoned = before.clone();
                poisoned[poisoned.length - 1] = index % 2 == 0 ? Float.NaN : Float.POSITIVE_INFINITY;
                p.freeze(true); // an in-place write into a leaf that records gradients is refused
                p.getArray().set(poisoned);
                assertFalse(SegueTrainer.finite(params), "a non-finite value in " + params.keyAt(index));
                p.getArray().set(before);
                p.freeze(!trainable);
                assertTrue(SegueTrainer.finite(params));
            }
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
