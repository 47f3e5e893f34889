package org.segue.engine.training;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.generator.FaceMask;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.generator.ModelInfo;
import org.segue.engine.generator.SegueGenerator;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.internal.DjlRuntime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole training job on a tiny folder dataset: fine-tuning from a model file, a recipe of two stages, and refusing
 * a model that does not fit.
 */
class TrainingJobIT {

    private static final int SIZE = SegueTrainerIT.SIZE;

    private static Path dataset(Path dir) throws Exception {
        Path root = dir.resolve("faces");
        RgbImage scene = SegueTrainerIT.sameScene(1).get(0);
        for (String person : new String[] {"ada", "ben", "cy", "dee"}) {
            Files.createDirectories(root.resolve(person));
            for (int i = 0; i < 4; i++) {
                ImageCodec.writePng(scene, root.resolve(person).resolve(i + ".png"));
            }
        }
        return root;
    }

    private static Path savedModel(Path file, int size, int seed) throws Exception {
        DjlRuntime.engine().setRandomSeed(seed);
        ModelInfo info = new ModelInfo(SegueGenerator.ARCHITECTURE, SegueTrainerIT.EPS, size, size, 16, Map.of());
        try (SegueModel model = SegueModel.create(info, Device.cpu())) {
            model.save(file, Map.of());
        }
        return file;
    }

    /** Largest absolute difference between the two models' weights (BatchNorm running statistics excluded). */
    private static double weightDistance(Path a, Path b) throws Exception {
        try (SegueModel ma = SegueModel.load(a, Device.cpu()); SegueModel mb = SegueModel.load(b, Device.cpu())) {
            Map<String, Parameter> pb = mb.generator().stateDict();
            double max = 0;
            for (Map.Entry<String, Parameter> e : ma.generator().stateDict().entrySet()) {
                if (e.getValue().getType() == Parameter.Type.RUNNING_MEAN
                        || e.getValue().getType() == Parameter.Type.RUNNING_VAR) {
                    continue;
                }
                float[] x = e.getValue().getArray().toFloatArray();
                float[] y = pb.get(e.getKey()).getArray().toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    max = Math.max(max, Math.abs(x[i] - y[i]));
                }
            }
            return max;
        }
    }

    /** One run of a test's scenario in its own folder, with the tiny trainings drawn from {@code seed}. */
    private interface Scenario {
        void run(Path dir, long seed) throws Exception;
    }

    /**
     * Runs {@code scenario} with seeds 1, 2, 3 until one run's trainings do not diverge. Tiny trainings now and then
     * reach NaN (training-tool/lab/notebook/numerics.md), which the trainer refuses to save; what these tests check
     * is the job around the training, so a diverged run is repeated with another seed and every assertion must hold
     * in the run that completes.
     */
    private static void onAFiniteRun(Path dir, Scenario scenario) throws Exception {
        List<String> diverged = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            try {
                scenario.run(Files.createDirectories(dir.resolve("seed" + seed)), seed);
                return;
            } catch (IllegalStateException e) {
                if (e.getMessage() == null || !e.getMessage().contains("training diverged")) {
                    throw e;
                }
                diverged.add("seed " + seed + ": " + e.getMessage());
                System.out.println("tiny training diverged with seed " + seed + "; repeating with the next seed");
            }
        }
        throw new AssertionError("the tiny trainings diverged with every seed: " + diverged);
    }

    @Test
    void fineTuningStartsFromTheGivenModelsWeights(@TempDir Path root) throws Exception {
        onAFiniteRun(root, (dir, seed) -> {
            Path data = dataset(dir);
            Path initial = savedModel(dir.resolve("initial.segue"), SIZE, 7);
            // a learning rate so small that the weights stay where they started, unless they started elsewhere
            TrainingConfig config = SegueTrainerIT.tinyConfig(1, seed).withGeneratorLr(1e-9f);
            Path tuned = dir.resolve("tuned.segue");
            TrainingJob.Outcome outcome = TrainingJob.run(new TrainingJob.Request(data, List.of(config), "test", null, tuned,
                    null, Device.cpu(), true, initial), ProgressListener.NONE, Cancellation.none(), line -> { });
            assertEquals("initial.segue", outcome.recipe().get("initial.model"));
            assertTrue(weightDistance(initial, tuned) < 1e-5, "fine-tuned weights moved " + weightDistance(initial, tuned));

            Path fresh = dir.resolve("fresh.segue");
            TrainingJob.run(new TrainingJob.Request(data, List.of(config), "test", null, fresh, null, Device.cpu(), true),
                    ProgressListener.NONE, Cancellation.none(), line -> { });
            assertTrue(weightDistance(initial, fresh) > 1e-3, "a fresh start does not begin from the initial model");
        });
    }

    @Test
    void aModelTrainedOnTheHeadPerturbsTheHeadAndAFaceFineTuneOfItTheFace(@TempDir Path root) throws Exception {
        onAFiniteRun(root, (dir, seed) -> {
            Path data = dataset(dir);
            Path head = dir.resolve("head.segue");
            TrainingJob.run(new TrainingJob.Request(data, List.of(SegueTrainerIT.tinyConfig(1, seed)
                            .withArea(FaceMask.HEAD)), "test", null, head, null, Device.cpu(), true),
                    ProgressListener.NONE, Cancellation.none(), line -> { });
            RgbImage face = SegueTrainerIT.sameScene(1).get(0);
            int h = face.height();
            int w = face.width();
            try (SegueModel model = SegueModel.load(head)) {
                assertEquals(FaceMask.HEAD, model.area(), "the model file says where it was trained to perturb");
                float[] delta = model.perturbationsAtFullSize(List.of(face), new int[] {1}, model.info().epsilon()).get(0);
                int hair = 0;
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        double u = (double) j / w;
                        double v = (double) i / h;
                        boolean moved = delta[i * w + j] != 0 || delta[h * w + i * w + j] != 0;
                        if (FaceMask.HEAD.weight(u, v) == 0) {
                            assertFalse(moved, "changed outside the head at " + j + "," + i);
                        }
                        hair += moved && FaceMask.FACE.weight(u, v) == 0 ? 1 : 0;
                    }
                }
                assertTrue(hair > h * w / 10, hair + " pixels changed outside the face oval");
            }
            Path tuned = dir.resolve("face.segue");
            TrainingJob.run(new TrainingJob.Request(data, List.of(SegueTrainerIT.tinyConfig(1, seed)), "test", null,
                    tuned, null, Device.cpu(), true, head), ProgressListener.NONE, Cancellation.none(), line -> { });
            try (SegueModel model = SegueModel.load(tuned)) {
                assertEquals(FaceMask.FACE, model.area(), "a face fine-tune of a head model is used on the face");
            }
        });
    }

    @Test
    void aModelTrainedGreyProtectsGrey(@TempDir Path root) throws Exception {
        onAFiniteRun(root, (dir, seed) -> {
            Path data = dataset(dir);
            TrainingConfig config = SegueTrainerIT.tinyConfig(1, seed).withGreyPerturbation(true);
            Path out = dir.resolve("grey.segue");
            TrainingJob.run(new TrainingJob.Request(data, List.of(config), "test", null, out, null, Device.cpu(), true),
                    ProgressListener.NONE, Cancellation.none(), line -> { });
            try (SegueModel model = SegueModel.load(out)) {
                assertTrue(model.greyPerturbation(), "the model file says how it was trained");
                RgbImage face = SegueTrainerIT.sameScene(1).get(0);
                float[] delta = model.perturbationsAtFullSize(List.of(face), new int[] {1}, model.info().epsilon()).get(0);
                int plane = face.height() * face.width();
                int moved = 0;
                for (int i = 0; i < plane; i++) {
                    assertEquals(delta[i], delta[plane + i], 1e-7f);
                    assertEquals(delta[i], delta[2 * plane + i], 1e-7f);
                    moved += delta[i] != 0 ? 1 : 0;
                }
                assertTrue(moved > plane / 4, moved + " of " + plane + " pixels perturbed");
            }
            // fine-tuned in colour from the grey model, the new file says colour (a recipe is merged over its initial one)
            Path colour = dir.resolve("colour.segue");
            TrainingJob.run(new TrainingJob.Request(data, List.of(SegueTrainerIT.tinyConfig(1, seed)), "test", null, colour,
                    null, Device.cpu(), true, out), ProgressListener.NONE, Cancellation.none(), line -> { });
            try (SegueModel model = SegueModel.load(colour)) {
                assertTrue(!model.greyPerturbation(), "a colour fine-tune of a grey model is used in colour");
            }
        });
    }

    @Test
    void aTwoStageRecipeFineTunesTheFirstStagesModelAndResumesAfterACancel(@TempDir Path root) throws Exception {
        onAFiniteRun(root, (dir, seed) -> {
            Path data = dataset(dir);
            TrainingConfig first = SegueTrainerIT.tinyConfig(1, seed);
            // the second stage's learning rate is so small that its weights stay those the first stage wrote
            List<TrainingConfig> stages = List.of(first, first.withGeneratorLr(1e-9f));
            Path out = dir.resolve("two.segue");
            Path stage1 = dir.resolve("two.segue.stage1");
            Cancellation cancellation = new Cancellation();
            List<String> log = new ArrayList<>();
            TrainingJob.Outcome cancelled = TrainingJob.run(new TrainingJob.Request(data, stages, "test", null, out, null,
                    Device.cpu(), true), ProgressListener.NONE, cancellation, line -> {
                        log.add(line);
                        if (line.startsWith("Stage 2 of 2")) {
                            cancellation.cancel();
                        }
                    });
            assertNull(cancelled.model(), "cancelled in the second stage");
            assertTrue(Files.isRegularFile(stage1) && Files.notExists(out), "the first stage's model is kept, no output");
            Path firstStage = Files.copy(stage1, dir.resolve("first-stage.segue"));

            log.clear();
            TrainingJob.Outcome done = TrainingJob.run(new TrainingJob.Request(data, stages, "test", null, out, null,
                    Device.cpu(), true), ProgressListener.NONE, Cancellation.none(), log::add);
            assertEquals(out, done.model());
            assertTrue(log.get(0).startsWith("Stage 1 of 2: reusing two.segue.stage1"), log.get(0));
            assertEquals("two.segue.stage1", done.recipe().get("initial.model"), "the second stage starts from the first's model");
            assertTrue(weightDistance(firstStage, out) < 1e-5, "the fine-tune started elsewhere: " + weightDistance(firstStage, out));
            assertTrue(Files.notExists(stage1) && Files.notExists(dir.resolve("two.segue.stage1.ckpt")),
                    "the intermediate model and its checkpoint are deleted once the recipe is complete");
        });
    }

    /**
     * The default checkpoint (about 300 times the model's size) serves only to resume a stopped job: it outlives a
     * cancel, the rerun resumes from it, and it is deleted once the model is written. One the caller named is kept.
     */
    @Test
    void theDefaultCheckpointResumesAStoppedJobAndGoesWithTheModel(@TempDir Path root) throws Exception {
        onAFiniteRun(root, (dir, seed) -> {
            Path data = dataset(dir);
            TrainingConfig config = SegueTrainerIT.tinyConfig(2, seed);
            Path out = dir.resolve("m.segue");
            Path checkpoint = dir.resolve("m.segue.ckpt");
            Cancellation cancellation = new Cancellation();
            TrainingJob.Outcome stopped = TrainingJob.run(new TrainingJob.Request(data, List.of(config), "test", null, out, null,
                    Device.cpu(), true), p -> {
                        if (p.done() > p.total() / 2) { // in the second of two epochs
                            cancellation.cancel();
                        }
                    }, cancellation, line -> { });
            assertNull(stopped.model(), "cancelled");
            assertEquals(1, stopped.result().epochsCompleted());
            assertTrue(Files.isRegularFile(checkpoint) && Files.notExists(out), "the checkpoint stays for the rerun");

            List<ProgressListener.Progress> reports = new ArrayList<>();
            List<String> log = new ArrayList<>();
            TrainingJob.Outcome done = TrainingJob.run(new TrainingJob.Request(data, List.of(config), "test", null, out, null,
                    Device.cpu(), true), reports::add, Cancellation.none(), log::add);
            assertEquals(out, done.model());
            assertEquals(2, done.result().history().size());
            assertTrue(reports.get(0).done() > 1, "the rerun resumed after epoch 1: " + reports.get(0));
            assertTrue(Files.notExists(checkpoint), "the default checkpoint goes once the model is written: " + log);

            Path named = dir.resolve("work/kept.ckpt");
            Files.createDirectories(named.getParent());
            Path second = dir.resolve("second.segue");
            TrainingJob.run(new TrainingJob.Request(data, List.of(SegueTrainerIT.tinyConfig(1, seed)), "test", null, second, named,
                    Device.cpu(), true), ProgressListener.NONE, Cancellation.none(), line -> { });
            assertTrue(Files.isRegularFile(second) && Files.isRegularFile(named), "a named checkpoint is kept");
            assertTrue(Files.notExists(dir.resolve("second.segue.ckpt")));
        });
    }

    @Test
    void refusesAnInitialModelOfAnotherGeneratorSize(@TempDir Path dir) throws Exception {
        Path data = dataset(dir);
        Path halfSize = savedModel(dir.resolve("half.segue"), SIZE / 2, 7);
        Path out = dir.resolve("out.segue");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingJob.run(
                new TrainingJob.Request(data, List.of(SegueTrainerIT.tinyConfig(1)), "test", null, out, null, Device.cpu(), true,
                        halfSize), ProgressListener.NONE, Cancellation.none(), line -> { }));
        assertTrue(e.getMessage().contains("half.segue") && e.getMessage().contains("16x16")
                && e.getMessage().contains("32x32"), e.getMessage());
        assertTrue(Files.notExists(out), "nothing is written");
        // refused before the dataset is read: a folder that does not exist is not even looked at
        IllegalArgumentException early = assertThrows(IllegalArgumentException.class, () -> TrainingJob.run(
                new TrainingJob.Request(dir.resolve("no such folder"), List.of(SegueTrainerIT.tinyConfig(1)), "test", null, out,
                        null, Device.cpu(), true, halfSize), ProgressListener.NONE, Cancellation.none(), line -> { }));
        assertTrue(early.getMessage().contains("half.segue"), early.getMessage());
    }

    @Test
    void aRequestWithoutStagesIsRefused(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainingJob.Request(dir,
                List.of(), "test", null, dir.resolve("out.segue"), null, Device.cpu(), true));
        assertTrue(e.getMessage().contains("at least one stage"), e.getMessage());
    }
}
