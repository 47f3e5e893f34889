package org.segue.tool;

import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ConsoleProgress;
import org.segue.engine.api.Segue;
import org.segue.engine.api.TrainingOutcome;
import org.segue.engine.api.TrainingRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
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

    @Override
    public Integer call() throws Exception {
        TrainingRequest request = request();
        Cancellation cancellation = new Cancellation();
        Thread hook = new Thread(cancellation::cancel);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            TrainingOutcome outcome = Segue.train(request, new ConsoleProgress(System.err), cancellation,
                    System.err::println);
            for (TrainingOutcome.Epoch s : outcome.epochs()) {
                System.out.printf("epoch %2d  surrogate loss %.4f acc %.3f | generator CE %.4f (last batch %.4f) L2 %.2f | %.0f s%n",
                        s.epoch(), s.surrogateLoss(), s.surrogateAccuracy(), s.generatorCe(), s.lastBatchCe(),
                        s.generatorL2(), s.seconds());
            }
            if (outcome.cancelled()) {
                return 130;
            }
            System.out.printf("final surrogate loss on protected training images %.4f, on the same images clean %.4f%n",
                    outcome.surrogateLossProtected(), outcome.surrogateLossClean());
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
        }
    }

    /** The command line as the api's training request; the engine checks the values, this the option syntax. */
    private TrainingRequest request() {
        TrainingRequest.Builder b = TrainingRequest.builder(data, output).recipe(recipe).epochs(epochs)
                .inputSize(inputSize).batchSize(batchSize).pgdSteps(pgdSteps).pgdRadiusLevels(pgdRadius)
                .colourJitter(colourJitter).perturbationScale(perturbationScale).surrogateEvery(surrogateEvery)
                .generatorLr(generatorLr).seed(seed).pseudoLabels(pseudoLabels).initialModel(initialModel)
                .checkpoint(checkpoint).device(device);
        if (codes != null) {
            b.codes(switch (codes) {
                case "index" -> TrainingRequest.Codes.INDEX;
                case "name" -> TrainingRequest.Codes.NAME;
                default -> throw new IllegalArgumentException("--codes must be index or name, was " + codes);
            });
        }
        if (distortion != null) {
            try {
                b.distortion(TrainingRequest.Distortion.valueOf(distortion.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown distortion '" + distortion + "'");
            }
        }
        if (pgdOn != null) {
            b.pgdTarget(switch (pgdOn) {
                case "generator-input" -> TrainingRequest.PgdTarget.GENERATOR_INPUT;
                case "surrogate-input" -> TrainingRequest.PgdTarget.SURROGATE_INPUT;
                default -> throw new IllegalArgumentException("--pgd-on must be generator-input or surrogate-input, was " + pgdOn);
            });
        }
        if (rescale != null) {
            if (rescale.length != 2) {
                throw new IllegalArgumentException("--rescale takes PROBABILITY,MAX_FACTOR");
            }
            b.rescale(rescale[0], rescale[1]);
        }
        if (crop != null) {
            if (crop.length != 2 && crop.length != 3) {
                throw new IllegalArgumentException("--crop takes PROBABILITY,MIN_AREA[,MAX_DEGREES]");
            }
            b.crop(crop[0], crop[1], crop.length == 3 ? crop[2] : 0f);
        }
        if (view != null) {
            if (view.length != 2 || view[1] != Math.rint(view[1]) || view[1] < 1) {
                throw new IllegalArgumentException("--view takes PROBABILITY,MIN_SIZE (MIN_SIZE in whole pixels)");
            }
            b.view(view[0], (int) view[1]);
        }
        TrainingRequest request = b.build();
        Segue.validate(request);
        return request;
    }
}
