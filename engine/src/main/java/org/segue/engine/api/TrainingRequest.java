package org.segue.engine.api;

import org.segue.engine.training.TrainingConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * A training job for a new generator: a dataset folder of {@code <person>/<face images>}, a named recipe
 * and any of its overrides, built with {@link #builder(Path, Path)}. Every host (the CLI's {@code train},
 * Fiji's Train Face Protector, the OSGi training service) offers the same settings through it; a setting
 * left unset keeps the recipe's value. Settings are checked when the job starts ({@link Segue#train}),
 * before anything runs, and a bad one is refused with a message naming it.
 */
public final class TrainingRequest {

    /** The named recipes: "shipped" (the default model's, three stages), "cpu" (112 px, fits 2 cores), "paper" (224 px). */
    public static final List<String> RECIPES = TrainingConfig.RECIPES;

    /** Where the adversarial distortion acts: the generator's input (the authors' code), or the surrogate's. */
    public enum PgdTarget { GENERATOR_INPUT, SURROGATE_INPUT }

    /** The distortion layer presets: authors | resize (authors + rescaling) | robust (resize + JPEG) | none. */
    public enum Distortion { AUTHORS, RESIZE, ROBUST, NONE }

    /** How identity folders become codes: each folder's number, or the code of its name (as a person's name gives). */
    public enum Codes { INDEX, NAME }

    /**
     * Where on each face the perturbation may go, in training and wherever the model is used: the skin of the face
     * (an oval from the brows to the chin, the default) or the head (the oval widened over the hair and ears).
     */
    public enum Area { FACE, HEAD }

    private final Builder b;

    private TrainingRequest(Builder b) {
        this.b = b.copy();
    }

    public static Builder builder(Path dataset, Path output) {
        return new Builder(dataset, output);
    }

    public Path dataset() { return b.dataset; }
    public Path output() { return b.output; }
    public String recipe() { return b.recipe; }
    public Integer epochs() { return b.epochs; }
    public Integer inputSize() { return b.inputSize; }
    public Integer batchSize() { return b.batchSize; }
    public Integer pgdSteps() { return b.pgdSteps; }
    public Float pgdRadiusLevels() { return b.pgdRadiusLevels; }
    public PgdTarget pgdTarget() { return b.pgdTarget; }
    public Distortion distortion() { return b.distortion; }
    public float[] rescale() { return b.rescale == null ? null : b.rescale.clone(); }
    public float[] crop() { return b.crop == null ? null : b.crop.clone(); }
    public float[] view() { return b.view == null ? null : b.view.clone(); }
    public Float colourJitter() { return b.colourJitter; }
    public Integer perturbationScale() { return b.perturbationScale; }
    public Integer surrogateEvery() { return b.surrogateEvery; }
    public Float generatorLr() { return b.generatorLr; }
    /** Weight of the perturbation's visibility (S-CIELAB) in the generator's loss; null: the recipe's (0). */
    public Float visibilityWeight() { return b.visibilityWeight; }
    /**
     * Weight in the generator's loss of how similar the shipped pretrained recogniser finds each protected training
     * face to its clean original; null: the recipe's (0).
     */
    public Float embeddingWeight() { return b.embeddingWeight; }
    /** The perturbation budget (largest change per 8-bit sample) the model is trained for; null: the recipe's (8). */
    public Float budgetLevels() { return b.budgetLevels; }
    /** Whether the perturbation is grey (brightness only); null: the recipe's (colour). */
    public Boolean greyPerturbation() { return b.greyPerturbation; }
    /** Where on each face the perturbation may go; null: the recipe's (the face). */
    public Area area() { return b.area; }
    public long seed() { return b.seed; }
    public Integer pseudoLabels() { return b.pseudoLabels; }
    public Codes codes() { return b.codes; }
    public Path initialModel() { return b.initialModel; }
    public Path checkpoint() { return b.checkpoint; }
    public String device() { return b.device; }

    /** The settings of a training job; unset overrides keep the recipe's values. */
    public static final class Builder {
        private final Path dataset;
        private final Path output;
        private String recipe = "cpu";
        private Integer epochs;
        private Integer inputSize;
        private Integer batchSize;
        private Integer pgdSteps;
        private Float pgdRadiusLevels;
        private PgdTarget pgdTarget;
        private Distortion distortion;
        private float[] rescale;
        private float[] crop;
        private float[] view;
        private Float colourJitter;
        private Integer perturbationScale;
        private Integer surrogateEvery;
        private Float generatorLr;
        private Float visibilityWeight;
        private Float embeddingWeight;
        private Float budgetLevels;
        private Boolean greyPerturbation;
        private Area area;
        private long seed;
        private Integer pseudoLabels;
        private Codes codes;
        private Path initialModel;
        private Path checkpoint;
        private String device = "auto";

        private Builder(Path dataset, Path output) {
            if (dataset == null || output == null) {
                throw new IllegalArgumentException("a training job needs a dataset folder and an output model file");
            }
            this.dataset = dataset;
            this.output = output;
        }

        private Builder copy() {
            Builder c = new Builder(dataset, output);
            c.recipe = recipe;
            c.epochs = epochs;
            c.inputSize = inputSize;
            c.batchSize = batchSize;
            c.pgdSteps = pgdSteps;
            c.pgdRadiusLevels = pgdRadiusLevels;
            c.pgdTarget = pgdTarget;
            c.distortion = distortion;
            c.rescale = rescale;
            c.crop = crop;
            c.view = view;
            c.colourJitter = colourJitter;
            c.perturbationScale = perturbationScale;
            c.surrogateEvery = surrogateEvery;
            c.generatorLr = generatorLr;
            c.visibilityWeight = visibilityWeight;
            c.embeddingWeight = embeddingWeight;
            c.budgetLevels = budgetLevels;
            c.greyPerturbation = greyPerturbation;
            c.area = area;
            c.seed = seed;
            c.pseudoLabels = pseudoLabels;
            c.codes = codes;
            c.initialModel = initialModel;
            c.checkpoint = checkpoint;
            c.device = device;
            return c;
        }

        /** One of {@link #RECIPES} (default "cpu"). */
        public Builder recipe(String name) { this.recipe = name; return this; }
        /** Epochs of the recipe's first stage (later stages are fine-tunes of a fixed length). */
        public Builder epochs(Integer epochs) { this.epochs = epochs; return this; }
        /** Training resolution of every stage (a multiple of 4; of 8 with a perturbation scale of 2). */
        public Builder inputSize(Integer size) { this.inputSize = size; return this; }
        public Builder batchSize(Integer size) { this.batchSize = size; return this; }
        /** PGD steps of the adversarial distortion; 0 disables it. */
        public Builder pgdSteps(Integer steps) { this.pgdSteps = steps; return this; }
        /** rho_d, the L-inf radius of the adversarial distortion, in 8-bit levels (0, 255]. */
        public Builder pgdRadiusLevels(Float levels) { this.pgdRadiusLevels = levels; return this; }
        public Builder pgdTarget(PgdTarget target) { this.pgdTarget = target; return this; }
        public Builder distortion(Distortion preset) { this.distortion = preset; return this; }
        /** Rescale distortion: probability and largest factor. */
        public Builder rescale(float probability, float maxFactor) { this.rescale = new float[] {probability, maxFactor}; return this; }
        /** Re-framing distortion: probability, smallest area kept, largest rotation in degrees. */
        public Builder crop(float probability, float minArea, float maxDegrees) { this.crop = new float[] {probability, minArea, maxDegrees}; return this; }
        /** Attacker-size views: probability and the smallest side in pixels. */
        public Builder view(float probability, int minSize) { this.view = new float[] {probability, minSize}; return this; }
        /** Largest relative brightness and contrast change per image. */
        public Builder colourJitter(Float amount) { this.colourJitter = amount; return this; }
        /** The generator works at input size / N and its perturbation is upscaled (band-limited protection). */
        public Builder perturbationScale(Integer n) { this.perturbationScale = n; return this; }
        /** The surrogate trains one epoch every N generator epochs. */
        public Builder surrogateEvery(Integer n) { this.surrogateEvery = n; return this; }
        public Builder generatorLr(Float lr) { this.generatorLr = lr; return this; }
        public Builder visibilityWeight(Float weight) { this.visibilityWeight = weight; return this; }
        public Builder embeddingWeight(Float weight) { this.embeddingWeight = weight; return this; }
        /** The budget in 8-bit levels (0 < levels <= 255); a fine-tune's initial model must have the same. */
        public Builder budgetLevels(Float levels) { this.budgetLevels = levels; return this; }
        public Builder greyPerturbation(Boolean grey) { this.greyPerturbation = grey; return this; }
        public Builder area(Area area) { this.area = area; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        /** Ignore the folder labels: cluster the faces into this many pseudo identities; null uses the folders. */
        public Builder pseudoLabels(Integer identities) { this.pseudoLabels = identities; return this; }
        /** Default: name codes with the "shipped" recipe, folder numbers otherwise. */
        public Builder codes(Codes codes) { this.codes = codes; return this; }
        /** Start the first stage from this model's generator (fine-tuning) instead of fresh weights. */
        public Builder initialModel(Path model) { this.initialModel = model; return this; }
        /**
         * The checkpoint file, written after every epoch: a rerun of a stopped job resumes from it. One named here is
         * kept when the model is written (a later run with more epochs continues from it); the default, the output's
         * name + ".ckpt", is deleted then.
         */
        public Builder checkpoint(Path file) { this.checkpoint = file; return this; }
        /** auto (or null: the host's default) | cpu | gpu. */
        public Builder device(String device) { this.device = device == null ? "auto" : device; return this; }

        /**
         * Settings given as text, as hosts without typed fields take them (a Fiji dialog field, an OSGi request):
         * {@code name=value} pairs separated by spaces, with the command line's option names: epochs, input-size,
         * batch-size, pgd-steps, pgd-radius, pgd-on (generator-input | surrogate-input), distortion (authors |
         * resize | robust | none), rescale (P,MAX), crop (P,MIN_AREA[,DEGREES]), view (P,MIN_SIZE),
         * colour-jitter, perturbation-scale, surrogate-every, generator-lr, visibility-weight, embedding-weight, budget (levels), perturbation-colour (grey | colour), seed, pseudo-labels, codes (index |
         * name), init (a model file), checkpoint (a file). A value with spaces goes in double quotes
         * ({@code init="/models/my model.segue"}). Blank text sets nothing.
         *
         * @throws IllegalArgumentException naming the setting that is unknown or malformed
         */
        public Builder overrides(String text) {
            if (text == null || text.isBlank()) {
                return this;
            }
            for (String pair : pairs(text)) {
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new IllegalArgumentException("setting '" + pair + "' is not name=value");
                }
                String name = pair.substring(0, eq).replaceFirst("^--", "");
                String value = pair.substring(eq + 1);
                try {
                    override(name, value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("setting " + name + ": '" + value + "' is not a number");
                }
            }
            return this;
        }

        /** name=value pairs split at spaces; a value in double quotes may hold spaces (a path). */
        private static java.util.List<String> pairs(String text) {
            java.util.List<String> pairs = new java.util.ArrayList<>();
            StringBuilder current = new StringBuilder();
            boolean quoted = false;
            for (char c : text.strip().toCharArray()) {
                if (c == '"') {
                    quoted = !quoted;
                } else if (Character.isWhitespace(c) && !quoted) {
                    if (current.length() > 0) {
                        pairs.add(current.toString());
                        current.setLength(0);
                    }
                } else {
                    current.append(c);
                }
            }
            if (quoted) {
                throw new IllegalArgumentException("settings '" + text + "': a quote is not closed");
            }
            if (current.length() > 0) {
                pairs.add(current.toString());
            }
            return pairs;
        }

        private void override(String name, String value) {
            switch (name) {
                case "epochs" -> epochs(Integer.valueOf(value));
                case "input-size" -> inputSize(Integer.valueOf(value));
                case "batch-size" -> batchSize(Integer.valueOf(value));
                case "pgd-steps" -> pgdSteps(Integer.valueOf(value));
                case "pgd-radius" -> pgdRadiusLevels(Float.valueOf(value));
                case "pgd-on" -> pgdTarget(switch (value) {
                    case "generator-input" -> PgdTarget.GENERATOR_INPUT;
                    case "surrogate-input" -> PgdTarget.SURROGATE_INPUT;
                    default -> throw new IllegalArgumentException("pgd-on must be generator-input or surrogate-input, was " + value);
                });
                case "distortion" -> distortion(parseEnum(Distortion.class, name, value));
                case "codes" -> codes(parseEnum(Codes.class, name, value));
                case "rescale" -> {
                    float[] v = floats(name, value, 2, 2);
                    rescale(v[0], v[1]);
                }
                case "crop" -> {
                    float[] v = floats(name, value, 2, 3);
                    crop(v[0], v[1], v.length == 3 ? v[2] : 0f);
                }
                case "view" -> {
                    float[] v = floats(name, value, 2, 2);
                    if (v[1] != Math.rint(v[1]) || v[1] < 1) {
                        throw new IllegalArgumentException("view takes PROBABILITY,MIN_SIZE (MIN_SIZE in whole pixels)");
                    }
                    view(v[0], (int) v[1]);
                }
                case "colour-jitter" -> colourJitter(Float.valueOf(value));
                case "perturbation-scale" -> perturbationScale(Integer.valueOf(value));
                case "surrogate-every" -> surrogateEvery(Integer.valueOf(value));
                case "generator-lr" -> generatorLr(Float.valueOf(value));
                case "visibility-weight" -> visibilityWeight(Float.valueOf(value));
                case "embedding-weight" -> embeddingWeight(Float.valueOf(value));
                case "budget" -> budgetLevels(Float.valueOf(value));
                case "perturbation-colour" -> greyPerturbation(switch (value) {
                    case "grey" -> true;
                    case "colour" -> false;
                    default -> throw new IllegalArgumentException("perturbation-colour takes grey or colour, got '"
                            + value + "'");
                });
                case "area" -> area(parseEnum(Area.class, name, value));
                case "seed" -> seed(Long.parseLong(value));
                case "pseudo-labels" -> pseudoLabels(Integer.valueOf(value));
                case "init" -> initialModel(Path.of(value));
                case "checkpoint" -> checkpoint(Path.of(value));
                default -> throw new IllegalArgumentException("unknown training setting '" + name + "'");
            }
        }

        private static <E extends Enum<E>> E parseEnum(Class<E> type, String name, String value) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(value)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("unknown " + name + " '" + value + "'");
        }

        private static float[] floats(String name, String value, int min, int max) {
            String[] parts = value.split(",");
            if (parts.length < min || parts.length > max) {
                throw new IllegalArgumentException(name + " takes " + min + (max > min ? "-" + max : "")
                        + " comma-separated numbers, was '" + value + "'");
            }
            float[] v = new float[parts.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = Float.parseFloat(parts[i]);
            }
            return v;
        }

        public TrainingRequest build() {
            TrainingConfig.stages(String.valueOf(recipe)); // refuses an unknown name, naming the recipes
            return new TrainingRequest(this);
        }
    }
}
