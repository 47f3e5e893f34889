package org.segue.tool;

import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ConsoleProgress;
import org.segue.engine.api.Segue;
import org.segue.engine.api.TrainingOutcome;
import org.segue.engine.api.TrainingRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Trains a face protector (a Segue generator) on a folder of faces.",
        description = {"Trains a Segue generator on a face dataset in ImageFolder layout (<identity>/<images>).",
                "",
                "A checkpoint is written after every epoch: running the same command again after a stop (Ctrl-C, a "
                + "crash) resumes from it. Once the model is written the default checkpoint (<output>.ckpt, some 300 "
                + "times the model's size) is deleted; one named with --checkpoint is kept, and a later run with more "
                + "--epochs continues from it.",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:the model is written",
                "1:an error (the dataset cannot be read, the training diverged, ...)",
                "2:bad usage (an option, a value or a path is wrong); nothing was written",
                "130:cancelled (Ctrl-C); the checkpoint holds the last complete epoch"})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "FOLDER", required = true, description = "training folder: <identity>/<images>")
    Path data;

    @Option(names = "--output", paramLabel = "FILE", required = true, description = "model file to write (.segue)")
    Path output;

    @Option(names = "--recipe", paramLabel = "NAME", defaultValue = "cpu",
            description = "shipped (the default model's recipe, three stages: cpu for 30 epochs with a band-limited "
            + "perturbation, re-framing, colour jitter, attacker-size views and name codes, then a 12-epoch fine-tune with "
            + "rho_d 4/255 on the surrogate's input, then 15 epochs of the first stage's settings), cpu (112 px, 20 epochs, PGD-1, + JPEG/resize) "
            + "or paper (224 px, 30 epochs, PGD-5); default ${DEFAULT-VALUE}. The overrides below apply to every stage, "
            + "--epochs to the first")
    String recipe;

    @Option(names = "--epochs", paramLabel = "N", description = "override the recipe's epochs (of its first stage: later stages are "
            + "fine-tunes of a fixed length)")
    Integer epochs;

    @Option(names = "--input-size", paramLabel = "PIXELS", description = "override the recipe's training resolution (multiple of 4)")
    Integer inputSize;

    @Option(names = "--batch-size", paramLabel = "N", description = "override the recipe's batch size")
    Integer batchSize;

    @Option(names = "--pgd-steps", paramLabel = "N", description = "override the number of PGD steps of the adversarial distortion (0 disables it)")
    Integer pgdSteps;

    @Option(names = "--pgd-radius", paramLabel = "LEVELS", description = "override rho_d, the L-inf radius of the adversarial distortion, "
            + "in 8-bit levels (the recipes use 1, the shipped fine-tune 4); a larger radius trains against adversarially "
            + "trained attackers")
    Float pgdRadius;

    @Option(names = "--pgd-on", paramLabel = "PLACE",
            description = "where rho_d acts: generator-input (the authors' code) or surrogate-input (the protected image "
            + "the surrogate sees, which also trains on such images: robust error-minimising noise, against attackers "
            + "that train adversarially); default: the recipe's (generator-input but in the shipped fine-tune)")
    String pgdOn;

    @Option(names = "--init", paramLabel = "MODEL",
            description = "start from this model's generator weights (fine-tuning) instead of fresh ones (the first "
            + "stage's, with a recipe of several); its generator size and epsilon must match the recipe")
    Path initialModel;

    @Option(names = "--distortion", paramLabel = "KIND", description = "authors | resize | robust | none: override the recipe's distortion layer "
            + "(resize = authors + 1-2x rescaling; robust = resize + differentiable JPEG)")
    String distortion;

    @Option(names = "--rescale", split = ",", paramLabel = "P,MAX_FACTOR", hideParamSyntax = true, description = "override the rescale distortion: PROBABILITY,MAX_FACTOR (e.g. 0.8,4)")
    float[] rescale;

    @Option(names = "--crop", split = ",", paramLabel = "P,MIN_AREA[,MAX_DEGREES]", hideParamSyntax = true, description = "re-framing distortion: PROBABILITY,MIN_AREA[,MAX_DEGREES] "
            + "(e.g. 0.5,0.8,10): random resized crops, which also shift the face, and rotations of up to MAX_DEGREES "
            + "(default 0), as an attacker's alignment does")
    float[] crop;

    @Option(names = "--view", split = ",", paramLabel = "P,MIN_SIZE", hideParamSyntax = true, description = "attacker-size views: PROBABILITY,MIN_SIZE (e.g. 0.8,56): the "
            + "surrogate trains and judges G on batches area-resized to a side drawn from MIN_SIZE..input size")
    float[] view;

    @Option(names = "--colour-jitter", paramLabel = "FRACTION", description = "largest relative brightness and contrast change per image (e.g. 0.1)")
    Float colourJitter;

    @Option(names = "--perturbation-scale", paramLabel = "N", description = "the generator works at INPUT_SIZE / N and its perturbation is "
            + "upscaled: band-limited protection that survives resizing (1 = the paper; default 1)")
    Integer perturbationScale;

    @Option(names = "--surrogate-every", paramLabel = "N", description = "override: the surrogate trains one epoch every N generator epochs")
    Integer surrogateEvery;

    @Option(names = "--generator-lr", paramLabel = "RATE", description = "override the generator's Adam learning rate")
    Float generatorLr;

    @Option(names = "--visibility-weight", paramLabel = "WEIGHT", description = "weight in the generator's loss of how "
            + "visible its perturbation is (mean S-CIELAB difference of each protected training face, seen 1:1 at arm's "
            + "length); default 0, the paper")
    Float visibilityWeight;

    @Option(names = "--embedding-weight", paramLabel = "WEIGHT", description = "weight in the generator's loss of how "
            + "similar a pretrained face recogniser (the shipped one) finds each protected training face to its clean "
            + "original: protection against recognisers that enrol photos instead of training; default 0, the paper")
    Float embeddingWeight;

    @Option(names = "--budget", paramLabel = "LEVELS", description = "the largest change per 8-bit sample the model "
            + "is trained for; default 8, the paper. protect changes a sample by at most 8 levels whatever the model "
            + "(its --strength), so a model trained for more is clipped there: larger budgets are for measuring trade-offs")
    Float budgetLevels;

    @Option(names = "--perturbation-colour", paramLabel = "grey|colour", description = "grey: one change for R, G and "
            + "B alike (brightness only: no colour cast, kept when an attacker turns images grey); colour: each channel "
            + "its own (default, the paper)")
    String perturbationColour;

    @Option(names = "--area", paramLabel = "face|head", description = "where on each face the perturbation may go, in "
            + "training and wherever the model is used: face (the skin from the brows to the chin; default) or head (the "
            + "face widened over the hair and ears: more room for the protection, and more of it to see)")
    String area;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--pseudo-labels", paramLabel = "K", description = "ignore folder labels: cluster the faces into this many "
            + "pseudo identities (a pretrained face embedder, cosine k-means) and train on those")
    Integer pseudoLabels;

    @Option(names = "--codes", paramLabel = "index|name",
            description = "index: each identity folder's number is its code; name: the code of the folder's name, "
                    + "as 'protect --person' gives (default: name with --recipe shipped, index otherwise)")
    String codes;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "checkpoint file, kept after the training "
            + "(default: <output>.ckpt, deleted once the model is written)")
    Path checkpoint;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "auto", description = "auto | cpu | gpu (default ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() throws Exception {
        TrainingRequest request;
        try { // every setting is checked before anything runs or is written: a wrong one is bad usage
            if (!Files.isDirectory(data)) {
                throw new IllegalArgumentException("training folder not found: " + data);
            }
            if (initialModel != null && !Files.isRegularFile(initialModel)) {
                throw new IllegalArgumentException("model file not found: " + initialModel + " (--init)");
            }
            if (!java.util.List.of("auto", "cpu", "gpu").contains(device.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("--device must be auto, cpu or gpu, was '" + device + "'");
            }
            if (Files.isDirectory(output)) {
                throw new IllegalArgumentException("--output names a model file; " + output + " is a folder");
            }
            request = request();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Cancellation cancellation = new Cancellation();
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // Ctrl-C: the step in hand ends, the last complete epoch stays in the checkpoint, and the user is told
            cancellation.cancel();
            try {
                finished.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            TrainingOutcome outcome = Segue.train(request, new ConsoleProgress(System.err), cancellation,
                    System.err::println);
            for (TrainingOutcome.Epoch s : outcome.epochs()) {
                String surrogate = s.surrogateTrained()
                        ? String.format("surrogate loss %.4f acc %.3f", s.surrogateLoss(), s.surrogateAccuracy())
                        : "surrogate not trained     ";
                String similarity = Double.isNaN(s.recogniserSimilarity()) ? ""
                        : String.format(" recogniser similarity %.3f", s.recogniserSimilarity());
                String skipped = s.skippedSteps() == 0 ? ""
                        : String.format(" | %d steps skipped (non-finite gradients)", s.skippedSteps());
                System.out.printf("epoch %2d  %s | generator CE %.4f (last batch %.4f) L2 %.2f%s | %.0f s%s%n",
                        s.epoch(), surrogate, s.generatorCe(), s.lastBatchCe(), s.generatorL2(), similarity, s.seconds(),
                        skipped);
            }
            if (outcome.cancelled()) {
                return 130;
            }
            System.out.printf("final surrogate loss on protected training images %.4f, on the same images clean %.4f%n",
                    outcome.surrogateLossProtected(), outcome.surrogateLossClean());
            return 0;
        } finally {
            finished.countDown();
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
                .generatorLr(generatorLr).visibilityWeight(visibilityWeight).embeddingWeight(embeddingWeight).budgetLevels(budgetLevels).seed(seed).pseudoLabels(pseudoLabels).initialModel(initialModel)
                .checkpoint(checkpoint).device(device);
        if (area != null) {
            b.area(switch (area) {
                case "face" -> TrainingRequest.Area.FACE;
                case "head" -> TrainingRequest.Area.HEAD;
                default -> throw new IllegalArgumentException("--area must be face or head, was " + area);
            });
        }
        if (perturbationColour != null) {
            b.greyPerturbation(switch (perturbationColour) {
                case "grey" -> true;
                case "colour" -> false;
                default -> throw new IllegalArgumentException("--perturbation-colour must be grey or colour, was "
                        + perturbationColour);
            });
        }
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
