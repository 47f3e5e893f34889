package org.segue.engine.training;

import ai.djl.Device;
import org.segue.engine.sideinfo.LabelCode;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.training.ImageFolder;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.generator.ModelFile;
import org.segue.engine.generator.ModelInfo;
import org.segue.engine.generator.SegueGenerator;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.sideinfo.ClusteringAccuracy;
import org.segue.engine.sideinfo.Grouping;
import org.segue.engine.face.PretrainedFaceFeatures;
import org.segue.engine.sideinfo.PseudoLabeler;
import org.segue.engine.internal.DjlRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Training a generator from a dataset folder to a model file, the whole job every host runs (the CLI's
 * {@code train}, the Fiji "Train Face Protector" command, the OSGi training service): load the faces,
 * optionally replace the folder labels by pseudo labels, train with checkpoints (a rerun resumes), and
 * save the model with its recipe in its metadata.
 */
public final class TrainingJob {

    /**
     * A training job.
     *
     * @param dataset      folder of {@code <identity>/<images>}
     * @param stages       the training recipe, one or more stages (TrainingConfig.stages): each stage after the
     *                     first fine-tunes the generator the stage before wrote
     * @param recipeName   a name for the recipe, recorded in the model ("cpu", "paper", ...)
     * @param pseudoLabels cluster the faces into this many pseudo identities instead of using the
     *                     folder labels; null to use the folders
     * @param output       the model file to write
     * @param checkpoint   the last stage's checkpoint file (resumed from when present), kept once the model is
     *                     written (a later run with more epochs continues from it); null: {@code output + ".ckpt"},
     *                     deleted once the model is written (it is about 300 times the model's size, and serves only to
     *                     resume a run that was stopped)
     * @param device       where to train
     * @param nameCodes    give the generator each identity folder's name code (as {@code protect
     *                     --person} does) instead of the folder's number; ignored with pseudo labels
     * @param initialModel a model file whose generator weights the first stage starts from (fine-tuning, e.g.
     *                     the shipped model with another distortion); null: fresh weights
     */
    public record Request(Path dataset, List<TrainingConfig> stages, String recipeName, Integer pseudoLabels,
                         Path output, Path checkpoint, Device device, boolean nameCodes, Path initialModel) {

        public Request {
            stages = List.copyOf(stages);
            if (stages.isEmpty()) {
                throw new IllegalArgumentException("a training recipe needs at least one stage");
            }
        }

        public Request(Path dataset, List<TrainingConfig> stages, String recipeName, Integer pseudoLabels, Path output,
                       Path checkpoint, Device device, boolean nameCodes) {
            this(dataset, stages, recipeName, pseudoLabels, output, checkpoint, device, nameCodes, null);
        }

        /** The same job with one stage only: how each stage of a recipe runs. */
        private Request stage(TrainingConfig config, Path stageOutput, Path stageCheckpoint, Path startFrom) {
            return new Request(dataset, List.of(config), recipeName, pseudoLabels, stageOutput, stageCheckpoint, device,
                    nameCodes, startFrom);
        }
    }

    /**
     * The outcome: the trainer's result and the model file, or null when the job was cancelled (its
     * checkpoint stays, so running the same job again resumes).
     */
    public record Outcome(TrainingResult result, Path model, Map<String, String> recipe) {}

    private TrainingJob() {}

    /**
     * Runs the job; {@code log} receives a few human-readable lines (stages, counts and timings, no names). With
     * several stages each starts from the generator the stage before wrote. The stages before the last write
     * {@code <output>.stage1}, {@code .stage2}, ... (not .segue files, so no host offers them as models); a rerun
     * after a cancellation reuses those that are complete and resumes the stage that was running from its
     * checkpoint. They and their checkpoints are deleted once the last stage has written the output. The request's
     * initial model, if any, starts the first stage; its checkpoint, if named, serves the last.
     */
    public static Outcome run(Request request, ProgressListener progress, Cancellation cancellation,
                              Consumer<String> log) throws IOException {
        List<TrainingConfig> configs = request.stages();
        if (configs.size() == 1) {
            return runStage(request, progress, cancellation, log);
        }
        int stages = configs.size();
        List<Path> written = new ArrayList<>();
        Path previous = request.initialModel();
        Outcome outcome = null;
        for (int stage = 1; stage <= stages; stage++) {
            boolean last = stage == stages;
            Path output = last ? request.output() : stageFile(request.output(), stage);
            TrainingConfig config = configs.get(stage - 1);
            if (!last && Files.isRegularFile(output)) {
                log.accept(String.format("Stage %d of %d: reusing %s, written by an earlier run of this job (delete it "
                        + "to train the stage again)", stage, stages, output.getFileName()));
            } else {
                log.accept(String.format("Stage %d of %d: %d epochs%s", stage, stages, config.epochs(),
                        previous == null ? " from fresh weights" : " from " + previous.getFileName()));
                outcome = runStage(request.stage(config, output, last ? request.checkpoint() : null, previous),
                        progress, cancellation, log);
                if (outcome.model() == null) {
                    return outcome;
                }
            }
            written.add(output);
            previous = output;
        }
        for (Path intermediate : written.subList(0, written.size() - 1)) {
            Files.deleteIfExists(intermediate);
            // its checkpoint (surrogate and optimiser states, about 135 MB) could only resume a model now gone
            Files.deleteIfExists(Path.of(intermediate + ".ckpt"));
        }
        return outcome;
    }

    /** Where stage {@code stage} (1-based, not the last) of a recipe writing {@code output} keeps its model. */
    static Path stageFile(Path output, int stage) {
        return output.resolveSibling(output.getFileName() + ".stage" + stage);
    }

    /** Runs a request of one stage. */
    private static Outcome runStage(Request request, ProgressListener progress, Cancellation cancellation,
                                    Consumer<String> log) throws IOException {
        TrainingConfig config = request.stages().get(0);
        SegueGenerator.checkInputSize(config.generatorSize(), config.generatorSize());
        ModelInfo info = new ModelInfo(SegueGenerator.ARCHITECTURE, config.epsilon(), config.generatorSize(),
                config.generatorSize(), LabelCode.DEFAULT_BITS, Map.of());
        // read and checked before the dataset is read and clustered: a model that cannot start this training is
        // refused at once
        ModelFile.Contents initial = request.initialModel() == null ? null : ModelFile.read(request.initialModel());
        if (initial != null) {
            checkFits(request.initialModel(), initial.info(), info);
        }
        ImageFolder dataset = ImageFolder.scan(request.dataset());
        log.accept(String.format("Loading %d images of %d identities at %dx%d...", dataset.samples().size(),
                dataset.classes().size(), config.inputSize(), config.inputSize()));
        List<RgbImage> images = dataset.load(config.inputSize(), config.inputSize());
        int[] labels = dataset.labels();
        int classes = dataset.classes().size();
        Map<String, String> recipe = new LinkedHashMap<>(config.describe());
        recipe.put("recipe", request.recipeName());
        Path absolute = request.dataset().toAbsolutePath().normalize();
        recipe.put("dataset", absolute.getParent() == null ? absolute.getFileName().toString()
                : absolute.getParent().getFileName() + "/" + absolute.getFileName());
        recipe.put("images", Integer.toString(images.size()));
        if (request.pseudoLabels() != null) {
            int k = request.pseudoLabels();
            long t0 = System.nanoTime();
            int[] pseudo;
            String extractor;
            // the pretrained embedder on the CPU: a few hundred faces, once, and the GPU stays the trainer's
            try (PretrainedFaceFeatures features = PretrainedFaceFeatures.load(ai.djl.Device.cpu())) {
                pseudo = PseudoLabeler.label(images, k, features, Grouping.DEFAULT_RESTARTS, config.seed());
                extractor = features.name();
            }
            double accuracy = ClusteringAccuracy.of(pseudo, labels);
            log.accept(String.format("Pseudo labels: %d clusters, clustering accuracy %.1f%% against folder labels (%.1f s)",
                    k, 100 * accuracy, (System.nanoTime() - t0) / 1e9));
            recipe.put("labels", "pseudo (" + extractor + ", cosine k-means, k=" + k + ")");
            recipe.put("pseudo.clustering.accuracy", String.format("%.4f", accuracy));
            labels = pseudo;
            classes = k;
        } else {
            recipe.put("labels", "folder names");
        }
        int[] codes = null;
        if (request.pseudoLabels() != null) {
            // the codes automatic grouping gives its groups when protecting (spread over the 16 bits like name codes),
            // so the generator learns the side information it will be given; cluster numbers in binary differ only
            // in their last few bits
            codes = java.util.stream.IntStream.range(0, classes).map(LabelCode::labelForGroup).toArray();
            recipe.put("codes", SegueModel.GROUP_CODES);
        } else if (request.nameCodes()) {
            codes = dataset.classes().stream().mapToInt(n -> LabelCode.labelForName(n, LabelCode.DEFAULT_BITS)).toArray();
            recipe.put("codes", "folder-name codes (as protect --person)");
        } else {
            recipe.put("codes", "label numbers");
        }
        if (classes > LabelCode.capacity(LabelCode.DEFAULT_BITS)) {
            throw new IllegalArgumentException("more identities than a 16-bit code holds");
        }
        Path checkpoint = request.checkpoint() != null ? request.checkpoint() : Path.of(request.output() + ".ckpt");
        DjlRuntime.engine().setRandomSeed((int) config.seed());
        if (request.initialModel() != null) {
            recipe.put("initial.model", String.valueOf(request.initialModel().getFileName()));
        }
        try (SegueModel model = initial == null ? SegueModel.create(info, request.device())
                : SegueModel.load(initial, request.initialModel().toString(), request.device())) {
            log.accept("Training on " + model.manager().getDevice() + "; checkpoint " + checkpoint
                    + (Files.isRegularFile(checkpoint) ? " (found: resuming from it)" : ""));
            TrainingResult result = new SegueTrainer(config).train(model, images, labels, classes, codes, checkpoint,
                    progress, cancellation);
            if (result.cancelled()) {
                log.accept("Cancelled after epoch " + result.epochsCompleted() + "; run the same job again to resume.");
                return new Outcome(result, null, recipe);
            }
            recipe.put("epochs.completed", Integer.toString(result.epochsCompleted()));
            recipe.put("stopped.early", Boolean.toString(result.stoppedEarly()));
            recipe.put("training.seconds", String.format("%.0f",
                    result.history().stream().mapToDouble(TrainingResult.EpochStats::seconds).sum()));
            recipe.put("device", model.manager().getDevice().toString());
            model.save(request.output(), recipe);
            log.accept("Model written to " + request.output());
            if (request.checkpoint() == null && Files.deleteIfExists(checkpoint)) {
                // the surrogate's and optimisers' states beside a 400 KB model: needed only to resume a stopped run
                log.accept("Checkpoint " + checkpoint.getFileName() + " deleted (a checkpoint file named in the request is kept)");
            }
            return new Outcome(result, request.output(), recipe);
        }
    }

    /** Refuses a model to fine-tune unless its generator has the shape and bound this recipe trains. */
    private static void checkFits(Path file, ModelInfo has, ModelInfo wanted) {
        if (!has.architecture().equals(wanted.architecture()) || has.inputHeight() != wanted.inputHeight()
                || has.inputWidth() != wanted.inputWidth() || has.codeBits() != wanted.codeBits()
                || has.epsilon() != wanted.epsilon()) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%s cannot start this training: its generator is %s at %dx%d with %d-bit codes and epsilon %.4f, "
                    + "the recipe needs %s at %dx%d with %d-bit codes and epsilon %.4f (input size / perturbation scale)",
                    file.getFileName(), has.architecture(), has.inputWidth(), has.inputHeight(), has.codeBits(),
                    has.epsilon(), wanted.architecture(), wanted.inputWidth(), wanted.inputHeight(), wanted.codeBits(),
                    wanted.epsilon()));
        }
    }
}
