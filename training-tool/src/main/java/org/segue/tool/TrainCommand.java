package org.segue.tool;

import org.segue.engine.LabelCode;
import org.segue.engine.SegueModel;
import org.segue.engine.data.ImageFolder;
import org.segue.engine.data.RgbImage;
import org.segue.engine.distortion.DistortionConfig;
import org.segue.engine.model.ModelInfo;
import org.segue.engine.nn.SegueGenerator;
import org.segue.engine.progress.Cancellation;
import org.segue.engine.pseudo.ClusteringAccuracy;
import org.segue.engine.pseudo.LbpFeatureExtractor;
import org.segue.engine.pseudo.PseudoLabeler;
import org.segue.engine.runtime.DjlRuntime;
import org.segue.engine.train.SegueTrainer;
import org.segue.engine.train.TrainingConfig;
import org.segue.engine.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a Segue generator on a face dataset in ImageFolder layout (<identity>/<images>).",
                "Writes a checkpoint after every epoch; running the same command again resumes from it."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "training folder: <identity>/<images>")
    Path data;

    @Option(names = "--output", required = true, description = "model file to write (.segue)")
    Path output;

    @Option(names = "--recipe", defaultValue = "cpu",
            description = "cpu (112 px, 20 epochs, PGD-1, + JPEG/resize) or paper (224 px, 30 epochs, PGD-5); default ${DEFAULT-VALUE}")
    String recipe;

    @Option(names = "--epochs", description = "override the recipe's epochs")
    Integer epochs;

    @Option(names = "--input-size", description = "override the recipe's training resolution (multiple of 4)")
    Integer inputSize;

    @Option(names = "--batch-size", description = "override the recipe's batch size")
    Integer batchSize;

    @Option(names = "--pgd-steps", description = "override the number of PGD steps of the adversarial distortion (0 disables it)")
    Integer pgdSteps;

    @Option(names = "--distortion", description = "authors | resize | robust | none: override the recipe's distortion layer "
            + "(resize = authors + 1-2x rescaling; robust = resize + differentiable JPEG)")
    String distortion;

    @Option(names = "--rescale", split = ",", description = "override the rescale distortion: PROBABILITY,MAX_FACTOR (e.g. 0.8,4)")
    float[] rescale;

    @Option(names = "--surrogate-every", description = "override: the surrogate trains one epoch every N generator epochs")
    Integer surrogateEvery;

    @Option(names = "--generator-lr", description = "override the generator's Adam learning rate")
    Float generatorLr;

    @Option(names = "--seed", defaultValue = "0", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--pseudo-labels", description = "ignore folder labels: cluster the faces into this many "
            + "pseudo identities (LBP embeddings + K-means) and train on those")
    Integer pseudoLabels;

    @Option(names = "--checkpoint", description = "checkpoint file (default: <output>.ckpt)")
    Path checkpoint;

    @Option(names = "--device", defaultValue = "auto", description = "auto | cpu | gpu (default ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() throws Exception {
        TrainingConfig config = "paper".equals(recipe) ? TrainingConfig.paper()
                : "cpu".equals(recipe) ? TrainingConfig.cpu() : null;
        if (config == null) {
            throw new IllegalArgumentException("unknown recipe '" + recipe + "': use cpu or paper");
        }
        if (epochs != null) {
            config = config.withEpochs(epochs);
        }
        if (inputSize != null) {
            config = config.withInputSize(inputSize);
        }
        if (batchSize != null) {
            config = config.withBatchSize(batchSize);
        }
        if (distortion != null) {
            DistortionConfig d = switch (distortion) {
                case "authors" -> DistortionConfig.authors();
                case "robust" -> DistortionConfig.robust();
                case "resize" -> DistortionConfig.resize();
                case "none" -> DistortionConfig.none();
                default -> throw new IllegalArgumentException("unknown distortion '" + distortion + "'");
            };
            config = config.withDistortion(d.withAdversarial(config.distortion().adversarialRadius(),
                    config.distortion().adversarialSteps()));
        }
        if (pgdSteps != null) {
            config = config.withDistortion(config.distortion().withAdversarial(
                    pgdSteps == 0 ? 0f : Math.max(config.distortion().adversarialRadius(), 1f / 255f), pgdSteps));
        }
        if (rescale != null) {
            if (rescale.length != 2) {
                throw new IllegalArgumentException("--rescale takes PROBABILITY,MAX_FACTOR");
            }
            config = config.withDistortion(config.distortion().withRescale(rescale[0], rescale[1]));
        }
        if (surrogateEvery != null) {
            config = config.withSurrogateEvery(surrogateEvery);
        }
        if (generatorLr != null) {
            config = config.withGeneratorLr(generatorLr);
        }
        config = config.withSeed(seed);
        SegueGenerator.checkInputSize(config.inputSize(), config.inputSize());

        ImageFolder dataset = ImageFolder.scan(data);
        System.err.printf("Loading %d images of %d identities at %dx%d...%n", dataset.samples().size(),
                dataset.classes().size(), config.inputSize(), config.inputSize());
        List<RgbImage> images = dataset.load(config.inputSize(), config.inputSize());
        int[] labels = dataset.labels();
        int classes = dataset.classes().size();
        Map<String, String> recipeInfo = new LinkedHashMap<>(config.describe());
        recipeInfo.put("recipe", recipe);
        Path absolute = data.toAbsolutePath().normalize();
        recipeInfo.put("dataset", absolute.getParent() == null ? absolute.getFileName().toString()
                : absolute.getParent().getFileName() + "/" + absolute.getFileName());
        recipeInfo.put("images", Integer.toString(images.size()));
        if (pseudoLabels != null) {
            long t0 = System.nanoTime();
            int[] pseudo = PseudoLabeler.label(images, pseudoLabels, new LbpFeatureExtractor(), 10, seed);
            double acc = ClusteringAccuracy.of(pseudo, labels);
            System.err.printf("Pseudo labels: %d clusters, clustering accuracy %.1f%% against folder labels (%.1f s)%n",
                    pseudoLabels, 100 * acc, (System.nanoTime() - t0) / 1e9);
            recipeInfo.put("labels", "pseudo (LBP + K-means, k=" + pseudoLabels + ")");
            recipeInfo.put("pseudo.clustering.accuracy", String.format("%.4f", acc));
            labels = pseudo;
            classes = pseudoLabels;
        } else {
            recipeInfo.put("labels", "folder names");
        }
        if (classes > LabelCode.capacity(LabelCode.DEFAULT_BITS)) {
            throw new IllegalArgumentException("more identities than a 16-bit code holds");
        }
        Path ckpt = checkpoint != null ? checkpoint : Path.of(output + ".ckpt");
        DjlRuntime.engine().setRandomSeed((int) seed);
        ModelInfo info = new ModelInfo(SegueGenerator.ARCHITECTURE, config.epsilon(), config.inputSize(),
                config.inputSize(), LabelCode.DEFAULT_BITS, Map.of());
        Cancellation cancellation = new Cancellation();
        Thread hook = new Thread(cancellation::cancel);
        Runtime.getRuntime().addShutdownHook(hook);
        try (SegueModel model = SegueModel.create(info, DjlRuntime.resolveDevice(device))) {
            System.err.printf("Training on %s; checkpoint %s%n", model.manager().getDevice(), ckpt);
            TrainingResult result = new SegueTrainer(config).train(model, images, labels, classes, ckpt,
                    new TerminalProgress(System.err), cancellation);
            for (TrainingResult.EpochStats s : result.history()) {
                System.out.printf("epoch %2d  surrogate loss %.4f acc %.3f | generator CE %.4f (last batch %.4f) L2 %.2f | %.0f s%n",
                        s.epoch(), s.surrogateLoss(), s.surrogateAccuracy(), s.generatorCe(), s.lastBatchCe(),
                        s.generatorL2(), s.seconds());
            }
            if (!result.cancelled()) {
                System.out.printf("final surrogate loss on protected training images %.4f, on the same images clean %.4f%n",
                        result.surrogateLossProtected(), result.surrogateLossClean());
            }
            if (result.cancelled()) {
                System.err.println("Cancelled after epoch " + result.epochsCompleted() + "; rerun to resume.");
                return 130;
            }
            recipeInfo.put("epochs.completed", Integer.toString(result.epochsCompleted()));
            recipeInfo.put("stopped.early", Boolean.toString(result.stoppedEarly()));
            recipeInfo.put("training.seconds", String.format("%.0f",
                    result.history().stream().mapToDouble(TrainingResult.EpochStats::seconds).sum()));
            recipeInfo.put("device", model.manager().getDevice().toString());
            model.save(output, recipeInfo);
            System.out.println("Model written to " + output);
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
        }
    }
}
