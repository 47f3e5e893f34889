package org.segue.tool;

import org.segue.engine.api.ConsoleProgress;
import org.segue.engine.distortion.DistortionConfig;
import org.segue.engine.api.Cancellation;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.training.TrainingConfig;
import org.segue.engine.training.TrainingJob;
import org.segue.engine.training.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
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
            description = "shipped (the default model's recipe, two stages: cpu for 30 epochs with a band-limited "
            + "perturbation, re-framing, colour jitter, attacker-size views and name codes, then a 12-epoch fine-tune with "
            + "rho_d 4/255 on the surrogate's input), cpu (112 px, 20 epochs, PGD-1, + JPEG/resize) "
            + "or paper (224 px, 30 epochs, PGD-5); default ${DEFAULT-VALUE}. The overrides below apply to every stage, "
            + "--epochs to the first")
    String recipe;

    @Option(names = "--epochs", description = "override the recipe's epochs (of its first stage: later stages are "
            + "fine-tunes of a fixed length)")
    Integer epochs;

    @Option(names = "--input-size", description = "override the recipe's training resolution (multiple of 4)")
    Integer inputSize;

    @Option(names = "--batch-size", description = "override the recipe's batch size")
    Integer batchSize;

    @Option(names = "--pgd-steps", description = "override the number of PGD steps of the adversarial distortion (0 disables it)")
    Integer pgdSteps;

    @Option(names = "--pgd-radius", description = "override rho_d, the L-inf radius of the adversarial distortion, "
            + "in 8-bit levels (the recipes use 1, the shipped fine-tune 4); a larger radius trains against adversarially "
            + "trained attackers")
    Float pgdRadius;

    @Option(names = "--pgd-on",
            description = "where rho_d acts: generator-input (the authors' code) or surrogate-input (the protected image "
            + "the surrogate sees, which also trains on such images: robust error-minimising noise, against attackers "
            + "that train adversarially); default: the recipe's (generator-input but in the shipped fine-tune)")
    String pgdOn;

    @Option(names = "--init", paramLabel = "MODEL",
            description = "start from this model's generator weights (fine-tuning) instead of fresh ones (the first "
            + "stage's, with a recipe of several); its generator size and epsilon must match the recipe")
    Path initialModel;

    @Option(names = "--distortion", description = "authors | resize | robust | none: override the recipe's distortion layer "
            + "(resize = authors + 1-2x rescaling; robust = resize + differentiable JPEG)")
    String distortion;

    @Option(names = "--rescale", split = ",", description = "override the rescale distortion: PROBABILITY,MAX_FACTOR (e.g. 0.8,4)")
    float[] rescale;

    @Option(names = "--crop", split = ",", description = "re-framing distortion: PROBABILITY,MIN_AREA[,MAX_DEGREES] "
            + "(e.g. 0.5,0.8,10): random resized crops, which also shift the face, and rotations of up to MAX_DEGREES "
            + "(default 0), as an attacker's alignment does")
    float[] crop;

    @Option(names = "--view", split = ",", description = "attacker-size views: PROBABILITY,MIN_SIZE (e.g. 0.8,56): the "
            + "surrogate trains and judges G on batches area-resized to a side drawn from MIN_SIZE..input size")
    float[] view;

    @Option(names = "--colour-jitter", description = "largest relative brightness and contrast change per image (e.g. 0.1)")
    Float colourJitter;

    @Option(names = "--perturbation-scale", description = "the generator works at INPUT_SIZE / N and its perturbation is "
            + "upscaled: band-limited protection that survives resizing (1 = the paper; default 1)")
    Integer perturbationScale;

    @Option(names = "--surrogate-every", description = "override: the surrogate trains one epoch every N generator epochs")
    Integer surrogateEvery;

    @Option(names = "--generator-lr", description = "override the generator's Adam learning rate")
    Float generatorLr;

    @Option(names = "--seed", defaultValue = "0", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--pseudo-labels", description = "ignore folder labels: cluster the faces into this many "
            + "pseudo identities (LBP embeddings + K-means) and train on those")
    Integer pseudoLabels;

    @Option(names = "--codes",
            description = "index: each identity folder's number is its code; name: the code of the folder's name, "
                    + "as 'protect --person' gives (default: name with --recipe shipped, index otherwise)")
    String codes;

    @Option(names = "--checkpoint", description = "checkpoint file (default: <output>.ckpt)")
    Path checkpoint;

    @Option(names = "--device", defaultValue = "auto", description = "auto | cpu | gpu (default ${DEFAULT-VALUE})")
    String device;

    private boolean nameCodes() {
        if (codes == null) {
            return TrainingConfig.usesNameCodes(recipe);
        }
        return switch (codes) {
            case "index" -> false;
            case "name" -> true;
            default -> throw new IllegalArgumentException("--codes must be index or name, was " + codes);
        };
    }

    @Override
    public Integer call() throws Exception {
        List<TrainingConfig> stages = TrainingConfig.stages(recipe, epochs, this::withOverrides);

        Cancellation cancellation = new Cancellation();
        Thread hook = new Thread(cancellation::cancel);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            TrainingJob.Outcome outcome = TrainingJob.run(new TrainingJob.Request(data, stages, recipe, pseudoLabels,
                    output, checkpoint, DjlRuntime.resolveDevice(device), nameCodes(), initialModel),
                    new ConsoleProgress(System.err),
                    cancellation, System.err::println);
            TrainingResult result = outcome.result();
            for (TrainingResult.EpochStats s : result.history()) {
                System.out.printf("epoch %2d  surrogate loss %.4f acc %.3f | generator CE %.4f (last batch %.4f) L2 %.2f | %.0f s%n",
                        s.epoch(), s.surrogateLoss(), s.surrogateAccuracy(), s.generatorCe(), s.lastBatchCe(),
                        s.generatorL2(), s.seconds());
            }
            if (result.cancelled()) {
                return 130;
            }
            System.out.printf("final surrogate loss on protected training images %.4f, on the same images clean %.4f%n",
                    result.surrogateLossProtected(), result.surrogateLossClean());
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
        }
    }

    /** One stage of the recipe with the command line's overrides (all but --epochs, which only the first stage takes). */
    private TrainingConfig withOverrides(TrainingConfig config) {
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
                    config.distortion().adversarialSteps(), config.distortion().adversarialOnSurrogateInput()));
        }
        if (pgdSteps != null) {
            config = config.withDistortion(pgdSteps == 0 ? config.distortion().withAdversarial(0f, 0, false)
                    : config.distortion().withAdversarial(Math.max(config.distortion().adversarialRadius(), 1f / 255f), pgdSteps));
        }
        if (pgdRadius != null) {
            if (!(pgdRadius > 0 && pgdRadius <= 255)) {
                throw new IllegalArgumentException("--pgd-radius must be in (0, 255] levels, was " + pgdRadius);
            }
            if (pgdSteps != null && pgdSteps == 0) {
                throw new IllegalArgumentException("--pgd-radius contradicts --pgd-steps 0 (no adversarial distortion)");
            }
            int steps = Math.max(1, config.distortion().adversarialSteps());
            config = config.withDistortion(config.distortion().withAdversarial(pgdRadius / 255f, steps));
        }
        if (pgdOn != null) {
            boolean onSurrogateInput = switch (pgdOn) {
                case "generator-input" -> false;
                case "surrogate-input" -> true;
                default -> throw new IllegalArgumentException("--pgd-on must be generator-input or surrogate-input, was " + pgdOn);
            };
            config = config.withDistortion(config.distortion().withAdversarial(config.distortion().adversarialRadius(),
                    config.distortion().adversarialSteps(), onSurrogateInput));
        }
        if (config.distortion().adversarialOnSurrogateInput() && config.distortion().adversarialSteps() == 0) {
            throw new IllegalArgumentException("--pgd-on surrogate-input needs PGD steps (--pgd-steps is 0)");
        }
        if (rescale != null) {
            if (rescale.length != 2) {
                throw new IllegalArgumentException("--rescale takes PROBABILITY,MAX_FACTOR");
            }
            config = config.withDistortion(config.distortion().withRescale(rescale[0], rescale[1]));
        }
        if (crop != null) {
            if (crop.length != 2 && crop.length != 3) {
                throw new IllegalArgumentException("--crop takes PROBABILITY,MIN_AREA[,MAX_DEGREES]");
            }
            config = config.withDistortion(config.distortion().withCrop(crop[0], crop[1], crop.length == 3 ? crop[2] : 0f));
        }
        if (view != null) {
            if (view.length != 2 || view[1] != Math.rint(view[1]) || view[1] < 1) {
                throw new IllegalArgumentException("--view takes PROBABILITY,MIN_SIZE (MIN_SIZE in whole pixels)");
            }
            config = config.withDistortion(config.distortion().withView(view[0], (int) view[1]));
        }
        if (colourJitter != null) {
            config = config.withDistortion(config.distortion().withColourJitter(colourJitter));
        }
        if (perturbationScale != null) {
            config = config.withPerturbationScale(perturbationScale);
        }
        if (surrogateEvery != null) {
            config = config.withSurrogateEvery(surrogateEvery);
        }
        if (generatorLr != null) {
            config = config.withGeneratorLr(generatorLr);
        }
        return config.withSeed(seed);
    }
}
