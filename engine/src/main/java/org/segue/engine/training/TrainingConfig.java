package org.segue.engine.training;

import org.segue.engine.distortion.DistortionConfig;
import org.segue.engine.generator.FaceMask;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Everything that decides one generator training run (one stage of a recipe). Defaults follow the authors'
 * code; the presets are the documented recipes (docs/model-card.md, training-tool/lab/results/webface10.md).
 *
 * @param inputSize        square training resolution (multiple of 4, >= 16)
 * @param epochs           generator epochs (the authors: 30)
 * @param batchSize        images per step (the authors: 16)
 * @param generatorLr      Adam learning rate of G (5e-4), cosine-annealed per epoch
 * @param surrogateLr      Adam learning rate of the surrogate (5e-4), cosine-annealed per epoch
 * @param l2Weight         weight of the mean L2 norm of G's raw output in G's loss (0.001)
 * @param surrogateEvery   the surrogate trains one epoch in epochs 1, 1+k, 1+2k... (k = 5)
 * @param earlyStopLoss    stop once the surrogate's loss on the last G batch falls below this (0.01)
 * @param smallInputStem   surrogate uses a 3x3/1 stem without max-pool (the authors, for <= 112 px)
 * @param epsilon          L-inf budget of the perturbation
 * @param distortion       the distortion layer between G and the surrogate
 * @param seed             seed of every random choice (initialisation, shuffling, distortions)
 * @param perturbationScale the generator works at {@code inputSize / perturbationScale}: the
 *                         training image is area-downscaled for it and its perturbation is
 *                         upscaled bilinearly before it is added. 1 is the paper; 2 or more gives
 *                         band-limited perturbations that survive the attacker's resizing
 *                         and cost a fraction of the generator's compute
 * @param visibilityWeight weight in G's loss of how visible the perturbation is: the mean S-CIELAB difference
 *                         (CIE76, {@link org.segue.engine.visibility.SCielabLoss}) between each training image
 *                         and its protected version, seen at {@link #visibilityPixelsPerDegree()}; 0 leaves it out
 *                         (the paper)
 * @param greyPerturbation the perturbation is grey: one change for R, G and B alike (no colour to see, nothing
 *                         lost when an attacker turns the images grey); false: each channel its own (the paper)
 * @param embeddingWeight  weight in G's loss of how similar a pretrained recogniser finds each protected training face
 *                         to its clean original ({@link EmbeddingObjective}); 0 leaves it out (the paper)
 * @param area             where on the face crop the perturbation may go, in training as in use
 */
public record TrainingConfig(int inputSize, int epochs, int batchSize, float generatorLr, float surrogateLr,
        float l2Weight, int surrogateEvery, float earlyStopLoss, boolean smallInputStem, float epsilon,
        DistortionConfig distortion, long seed, int perturbationScale, float visibilityWeight,
        boolean greyPerturbation, float embeddingWeight, FaceMask area) {

    /**
     * A configuration without the visibility and embedding terms in G's loss (the paper's), its perturbation in
     * colour and confined to the face oval.
     */
    public TrainingConfig(int inputSize, int epochs, int batchSize, float generatorLr, float surrogateLr,
            float l2Weight, int surrogateEvery, float earlyStopLoss, boolean smallInputStem, float epsilon,
            DistortionConfig distortion, long seed, int perturbationScale) {
        this(inputSize, epochs, batchSize, generatorLr, surrogateLr, l2Weight, surrogateEvery, earlyStopLoss,
                smallInputStem, epsilon, distortion, seed, perturbationScale, 0f, false, 0f, FaceMask.FACE);
    }

    /** A configuration whose generator works at the training resolution (the paper's). */
    public TrainingConfig(int inputSize, int epochs, int batchSize, float generatorLr, float surrogateLr,
            float l2Weight, int surrogateEvery, float earlyStopLoss, boolean smallInputStem, float epsilon,
            DistortionConfig distortion, long seed) {
        this(inputSize, epochs, batchSize, generatorLr, surrogateLr, l2Weight, surrogateEvery, earlyStopLoss,
                smallInputStem, epsilon, distortion, seed, 1);
    }

    public TrainingConfig {
        if (perturbationScale < 1 || inputSize % perturbationScale != 0) {
            throw new IllegalArgumentException("perturbation scale must be a positive divisor of the input size "
                    + inputSize + ", was " + perturbationScale);
        }
        if (epochs < 1 || batchSize < 1 || surrogateEvery < 1) {
            throw new IllegalArgumentException("epochs, batch size and surrogate interval must be positive");
        }
        if (generatorLr <= 0 || surrogateLr <= 0) {
            throw new IllegalArgumentException("learning rates must be positive");
        }
        if (area == null) {
            throw new IllegalArgumentException("a training confines its perturbation to an area of the face");
        }
        if (!(visibilityWeight >= 0 && visibilityWeight < 1e6)) {
            throw new IllegalArgumentException("the visibility weight must be 0 or more, was " + visibilityWeight);
        }
        if (!(epsilon > 0 && epsilon <= 1)) {
            throw new IllegalArgumentException("the budget must be more than 0 and at most 255 levels, was "
                    + epsilon * 255 + " levels");
        }
        if (!(embeddingWeight >= 0 && embeddingWeight < 1e6)) {
            throw new IllegalArgumentException("the embedding weight must be 0 or more, was " + embeddingWeight);
        }
        if (visibilityWeight > 0 && pixelsPerDegree(inputSize) < MIN_VISIBILITY_PPD) {
            throw new IllegalArgumentException("the visibility term needs training faces of at least "
                    + (int) Math.ceil(MIN_VISIBILITY_PPD * 224 / org.segue.engine.visibility.SCielab.ARM_LENGTH_1_TO_1)
                    + " px, got " + inputSize);
        }
    }

    /** The authors' recipe: 224 px, 30 epochs, batch 16, PGD-5 with rho_d 1/255, their transforms. */
    public static TrainingConfig paper() {
        return new TrainingConfig(224, 30, 16, 5e-4f, 5e-4f, 1e-3f, 5, 0.01f, false, 8f / 255f,
                DistortionConfig.authors(), 0);
    }

    /**
     * The CPU recipe for a 2-core machine: 112 px, 20 epochs, batch 16, PGD-1, the authors'
     * transforms plus JPEG and 1x-2x rescaling, ImageNet stem on the surrogate (4x cheaper than the
     * 3x3/1 stem at 112 px).
     */
    public static TrainingConfig cpu() {
        return new TrainingConfig(112, 20, 16, 5e-4f, 5e-4f, 1e-3f, 5, 0.01f, false, 8f / 255f,
                DistortionConfig.robust().withAdversarial(1f / 255f, 1), 0);
    }

    /**
     * The first stage of the shipped default model's recipe (docs/model-card.md): the CPU recipe for 30
     * epochs with the generator at half the training size (a band-limited perturbation), 1-4x rescaling (p 0.8),
     * random resized crops 0.8-1 (p 0.5), 10% brightness/contrast jitter and attacker-size views of 40-112 px
     * (p 0.7). About 20 minutes for 1,300 faces on 2 cores.
     */
    public static TrainingConfig shippedFirstStage() {
        return cpu().withEpochs(30).withPerturbationScale(2).withDistortion(DistortionConfig.robust()
                .withAdversarial(1f / 255f, 1).withRescale(0.8f, 4f).withCrop(0.5f, 0.8f)
                .withColourJitter(0.1f).withView(0.7f, 40));
    }

    /**
     * The second stage: the first stage's generator fine-tuned for 12 epochs with rho_d 4/255 in 2 PGD
     * steps on the surrogate's input and the surrogate retrained every 2 epochs, so the shortcut survives an
     * attacker that trains adversarially (REM-style; docs/evaluation.md). About 30 minutes on 2 cores.
     */
    public static TrainingConfig shippedFineTune() {
        TrainingConfig first = shippedFirstStage();
        return first.withEpochs(12).withSurrogateEvery(2)
                .withDistortion(first.distortion().withAdversarial(4f / 255f, 2, true));
    }

    /**
     * The third stage: the second stage's generator fine-tuned for 15 epochs with the first stage's settings, so
     * that the generator learns its shortcut inside the face oval it is used with (the surrogate sees only what is
     * shipped). The first two stages of the shipped model predate the oval; rerun, every stage trains with it.
     * About 10 minutes on 2 cores.
     */
    public static TrainingConfig shippedOvalFineTune() {
        return shippedFirstStage().withEpochs(15);
    }

    /** The named recipes that train --recipe, the Fiji Train command and the OSGi training service offer. */
    public static final List<String> RECIPES = List.of("shipped", "cpu", "paper");

    /**
     * The stages of the recipe of that name (one of {@link #RECIPES}): each stage after the first starts from the
     * generator the stage before wrote (as {@link TrainingJob} runs them). "shipped" has three ({@link #shippedFirstStage},
     * {@link #shippedFineTune}, {@link #shippedOvalFineTune}), the authors' recipes one.
     */
    public static List<TrainingConfig> stages(String name) {
        return switch (String.valueOf(name)) {
            case "shipped" -> List.of(shippedFirstStage(), shippedFineTune(), shippedOvalFineTune());
            case "cpu" -> List.of(cpu());
            case "paper" -> List.of(paper());
            default -> throw new IllegalArgumentException("unknown recipe '" + name + "': use " + String.join(", ", RECIPES));
        };
    }

    /**
     * The stages of a named recipe with the two settings the Fiji and OSGi hosts offer: {@code epochs} sets the
     * first stage's and {@code inputSize} every stage's (as {@link #stages(String, Integer, UnaryOperator)}).
     */
    public static List<TrainingConfig> stages(String name, int epochs, int inputSize) {
        return stages(name, epochs, stage -> stage.withInputSize(inputSize));
    }

    /**
     * The stages of a named recipe with a host's settings: {@code epochs}, when not null, sets the first stage's
     * (the training from scratch; later stages are fine-tunes of a fixed length), and {@code eachStage} applies the
     * host's other settings (input size, batch size, distortion, ...) to every stage.
     */
    public static List<TrainingConfig> stages(String name, Integer epochs, UnaryOperator<TrainingConfig> eachStage) {
        List<TrainingConfig> stages = new ArrayList<>(stages(name));
        if (epochs != null) {
            stages.set(0, stages.get(0).withEpochs(epochs));
        }
        stages.replaceAll(eachStage);
        return List.copyOf(stages);
    }

    /**
     * Whether a recipe's models code each identity by its folder name, as {@code protect --person} and the
     * shipped model do (the other recipes number the folders, as the authors' code does).
     */
    public static boolean usesNameCodes(String recipe) {
        return "shipped".equals(recipe);
    }

    public TrainingConfig withEpochs(int e) {
        return with(c -> c.epochs = e);
    }

    public TrainingConfig withInputSize(int size) {
        return with(c -> c.inputSize = size);
    }

    public TrainingConfig withBatchSize(int b) {
        return with(c -> c.batchSize = b);
    }

    public TrainingConfig withSeed(long s) {
        return with(c -> c.seed = s);
    }

    public TrainingConfig withDistortion(DistortionConfig d) {
        return with(c -> c.distortion = d);
    }

    public TrainingConfig withSurrogateEvery(int every) {
        return with(c -> c.surrogateEvery = every);
    }

    public TrainingConfig withGeneratorLr(float lr) {
        return with(c -> c.generatorLr = lr);
    }

    public TrainingConfig withPerturbationScale(int scale) {
        return with(c -> c.perturbationScale = scale);
    }

    public TrainingConfig withVisibilityWeight(float weight) {
        return with(c -> c.visibilityWeight = weight);
    }

    public TrainingConfig withGreyPerturbation(boolean grey) {
        return with(c -> c.greyPerturbation = grey);
    }

    public TrainingConfig withEmbeddingWeight(float weight) {
        return with(c -> c.embeddingWeight = weight);
    }

    public TrainingConfig withArea(FaceMask area) {
        return with(c -> c.area = area);
    }

    /** The perturbation budget (L-inf, in [0, 1] units) the generator is trained for and the model file records. */
    public TrainingConfig withEpsilon(float eps) {
        return with(c -> c.epsilon = eps);
    }

    /** This configuration with one change, made on a mutable copy so that each with-method names only its field. */
    private TrainingConfig with(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /** Every field of a configuration, mutable. */
    private static final class Copy {
        int inputSize;
        int epochs;
        int batchSize;
        float generatorLr;
        float surrogateLr;
        float l2Weight;
        int surrogateEvery;
        float earlyStopLoss;
        boolean smallInputStem;
        float epsilon;
        DistortionConfig distortion;
        long seed;
        int perturbationScale;
        float visibilityWeight;
        boolean greyPerturbation;
        float embeddingWeight;
        FaceMask area;

        Copy(TrainingConfig from) {
            inputSize = from.inputSize;
            epochs = from.epochs;
            batchSize = from.batchSize;
            generatorLr = from.generatorLr;
            surrogateLr = from.surrogateLr;
            l2Weight = from.l2Weight;
            surrogateEvery = from.surrogateEvery;
            earlyStopLoss = from.earlyStopLoss;
            smallInputStem = from.smallInputStem;
            epsilon = from.epsilon;
            distortion = from.distortion;
            seed = from.seed;
            perturbationScale = from.perturbationScale;
            visibilityWeight = from.visibilityWeight;
            greyPerturbation = from.greyPerturbation;
            embeddingWeight = from.embeddingWeight;
            area = from.area;
        }

        TrainingConfig build() {
            return new TrainingConfig(inputSize, epochs, batchSize, generatorLr, surrogateLr, l2Weight, surrogateEvery, earlyStopLoss, smallInputStem, epsilon, distortion, seed, perturbationScale, visibilityWeight, greyPerturbation, embeddingWeight, area);
        }
    }

    /**
     * The viewing condition of the visibility term: a training image seen as a 224-pixel face shown 1:1 at arm's
     * length ({@link org.segue.engine.visibility.SCielab#ARM_LENGTH_1_TO_1} px/degree at 224 px; 20 at 112 px).
     */
    public double visibilityPixelsPerDegree() {
        return pixelsPerDegree(inputSize);
    }

    private static double pixelsPerDegree(int inputSize) {
        return org.segue.engine.visibility.SCielab.ARM_LENGTH_1_TO_1 * inputSize / 224.0;
    }

    /** The fewest pixels per degree S-CIELAB's filters are defined for. */
    private static final double MIN_VISIBILITY_PPD = 4;

    /** The generator's (square) working resolution: the model file's input size. */
    public int generatorSize() {
        return inputSize / perturbationScale;
    }

    /** Whether the surrogate trains in (1-based) {@code epoch}. */
    public boolean surrogateTrainsIn(int epoch) {
        return epoch % surrogateEvery == 1 % surrogateEvery;
    }

    /** Cosine-annealed learning rate for (0-based) epoch {@code e} of {@code total}, to 0 at the end. */
    public static float cosine(float base, int e, int total) {
        return (float) (base * 0.5 * (1 + Math.cos(Math.PI * e / total)));
    }

    /** Human-readable key/value pairs for the model file's recipe section. */
    public java.util.Map<String, String> describe() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("input.size", Integer.toString(inputSize));
        m.put("epochs", Integer.toString(epochs));
        m.put("batch.size", Integer.toString(batchSize));
        m.put("lr.generator", Float.toString(generatorLr));
        m.put("lr.surrogate", Float.toString(surrogateLr));
        m.put("l2.weight", Float.toString(l2Weight));
        m.put("surrogate.every", Integer.toString(surrogateEvery));
        m.put("early.stop.loss", Float.toString(earlyStopLoss));
        m.put("surrogate.stem", smallInputStem ? "3x3/1" : "7x7/2+maxpool");
        m.put("distortion", distortion.toString());
        m.put("seed", Long.toString(seed));
        m.put("perturbation.scale", Integer.toString(perturbationScale));
        // written whatever their value: a fine-tune's recipe is merged over its initial model's, and a stale
        // "grey" or area would make a model be used otherwise than it was trained
        m.put(FaceMask.RECIPE_KEY, area.recipeName());
        m.put(org.segue.engine.generator.Perturbation.COLOUR_KEY, greyPerturbation
                ? org.segue.engine.generator.Perturbation.GREY : org.segue.engine.generator.Perturbation.COLOUR);
        m.put("visibility.weight", Float.toString(visibilityWeight));
        m.put("embedding.weight", Float.toString(embeddingWeight));
        m.put("visibility.ppd", visibilityWeight > 0
                ? String.format(java.util.Locale.ROOT, "%.1f", visibilityPixelsPerDegree()) : "-");
        return m;
    }
}
