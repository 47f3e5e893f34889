package org.segue.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.segue.engine.sideinfo.LabelCode;
import org.segue.engine.generator.FaceMask;
import org.segue.engine.generator.Perturbation;
import org.segue.engine.visibility.SCielabLoss;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.Batches;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.distortion.DistortionConfig;
import org.segue.engine.distortion.DistortionLayer;
import org.segue.engine.distortion.Resize;
import org.segue.engine.generator.ModelFile;
import org.segue.engine.generator.ModelFormatException;
import org.segue.engine.generator.ModelInfo;
import org.segue.engine.internal.nn.ResNet18;
import org.segue.engine.generator.StateDicts;
import org.segue.engine.generator.Tensor;
import org.segue.engine.internal.nn.Trainability;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.internal.DjlRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The two-stage Segue training (the paper's Algorithm 1 as the authors' code runs it). In epochs
 * 1, 6, 11... the surrogate ResNet18 first trains one epoch on protected images against the side
 * labels. In every epoch the generator then trains one epoch against the frozen surrogate: an
 * adversarial perturbation (PGD, radius rho_d) is added to the generator's input, the protected
 * image passes the distortion layer, and G minimises CE + 0.001 * mean L2 of its raw output, i.e. it
 * learns error-minimising noise. Training stops early once the surrogate's last-batch loss is
 * below the threshold. With {@link DistortionConfig#adversarialOnSurrogateInput()} rho_d instead
 * perturbs the protected image (before the distortion layer), in the surrogate's own training and in
 * G's: the surrogate trains as an adversarially training attacker would, and G learns noise whose
 * shortcut survives that (robust error-minimising noise, REM).
 *
 * <p>Each step runs inside its own {@link NDScope} so native memory stays bounded; a checkpoint is
 * written after every epoch and a run given the same checkpoint file resumes after the last
 * completed epoch with the same weights, optimiser moments and random streams.
 */
public final class SegueTrainer {

    private static final String CHECKPOINT_ARCHITECTURE = "segue-training-checkpoint-v1";
    /** Consecutive skipped optimiser steps after which a run counts as diverged. */
    static final int MAX_SKIPPED_IN_A_ROW = 10;

    private final TrainingConfig config;
    private final DistortionLayer distortion;
    /** How visible a protected training image is, in G's loss; null where the recipe leaves it out. */
    private final SCielabLoss visibility;

    /** The code of each label during one training call (null: the label itself). */
    private int[] codeOfLabel;

    public SegueTrainer(TrainingConfig config) {
        this.config = config;
        this.distortion = new DistortionLayer(config.distortion());
        this.visibility = config.visibilityWeight() > 0 ? new SCielabLoss(config.visibilityPixelsPerDegree()) : null;
    }

    /**
     * Trains {@code model}'s generator in place.
     *
     * @param images      training faces at the configured input size
     * @param labels      side-information labels (true identities or pseudo labels), 0..numClasses-1
     * @param numClasses  number of distinct labels (the surrogate's classes)
     * @param checkpoint  checkpoint file to resume from and write to after each epoch; null for none
     */
    public TrainingResult train(SegueModel model, List<RgbImage> images, int[] labels, int numClasses,
                                Path checkpoint, ProgressListener progress, Cancellation cancellation)
            throws IOException {
        return train(model, images, labels, numClasses, null, checkpoint, progress, cancellation);
    }

    /**
     * As {@link #train}, with the generator's side information for label {@code l} being the code
     * {@code codes[l]} instead of {@code l} itself: training with the codes the photo pipeline gives
     * (from names, spread over the 16-bit space) makes the generator serve those codes. The surrogate
     * still classifies labels 0..numClasses-1.
     *
     * @param codes code of each label, or null for the label itself
     */
    public TrainingResult train(SegueModel model, List<RgbImage> images, int[] labels, int numClasses, int[] codes,
                                Path checkpoint, ProgressListener progress, Cancellation cancellation)
            throws IOException {
        if (codes != null && codes.length != numClasses) {
            throw new IllegalArgumentException(codes.length + " codes for " + numClasses + " labels");
        }
        codeOfLabel = codes;
        DjlRuntime.noGradientsOnThisThread(); // parameters are updated in place outside gradient scopes
        validate(model, images, labels, numClasses);
        long start = System.nanoTime();
        try (NDManager surrogateManager = DjlRuntime.engine().newBaseManager(model.manager().getDevice());
             EmbeddingObjective embedding = config.embeddingWeight() > 0
                     ? new EmbeddingObjective(config.inputSize(), model.manager().getDevice()) : null) {
            ResNet18 surrogate = newSurrogate(surrogateManager, numClasses);
            ParameterStore surrogateStore = new ParameterStore(surrogateManager, false);
            Adam adamG = new Adam(model.generator().getParameters());
            Adam adamS = new Adam(surrogate.getParameters());
            List<TrainingResult.EpochStats> history = new ArrayList<>();
            int firstEpoch = 1;
            if (checkpoint != null && Files.exists(checkpoint)) {
                firstEpoch = restore(checkpoint, model, surrogate, adamG, adamS, history, numClasses) + 1;
            }
            int stepsPerEpoch = (images.size() + config.batchSize() - 1) / config.batchSize();
            Run run = new Run(model, surrogate, surrogateStore, adamG, adamS, images, labels, progress, cancellation,
                    stepsThrough(config.epochs(), stepsPerEpoch), stepsThrough(firstEpoch - 1, stepsPerEpoch), start,
                    embedding);
            boolean early = !history.isEmpty() && history.get(history.size() - 1).lastBatchCe() < config.earlyStopLoss();
            for (int epoch = firstEpoch; epoch <= config.epochs() && !early; epoch++) {
                long epochStart = System.nanoTime();
                Random rng = new Random(config.seed() * 1_000_003L + epoch);
                double[] surrogateStats = {Double.NaN, Double.NaN};
                if (config.surrogateTrainsIn(epoch)) {
                    surrogateStats = run.surrogateEpoch(epoch, rng);
                }
                double[] generatorStats = run.generatorEpoch(epoch, rng);
                if (generatorStats == null || surrogateStats == null) {
                    return new TrainingResult(epoch - 1, false, true, List.copyOf(history), seconds(start),
                            Double.NaN, Double.NaN);
                }
                // finite losses do not prove finite weights: a non-finite gradient in an epoch's last step leaves
                // the weights NaN behind a finite loss, so the weights themselves are checked too
                if (!Double.isFinite(generatorStats[0]) || !Double.isFinite(generatorStats[2])
                        || (config.surrogateTrainsIn(epoch) && !Double.isFinite(surrogateStats[0]))
                        || !finite(model.generator().getParameters()) || !finite(surrogate.getParameters())) {
                    // a diverged network must never reach a checkpoint or a model file. A rerun of the same job
                    // repeats the same epoch (its random draws are seeded), so the advice is a lower learning rate
                    throw new IllegalStateException(String.format(java.util.Locale.ROOT, "training diverged in "
                            + "epoch %d (generator loss %s, surrogate loss %s); epoch %d was not saved (the checkpoint, "
                            + "if any, holds epoch %d). Train again with a lower generator learning rate "
                            + "(generator-lr) and a new checkpoint file", epoch, generatorStats[0], surrogateStats[0],
                            epoch, epoch - 1));
                }
                history.add(new TrainingResult.EpochStats(epoch, surrogateStats[0], surrogateStats[1],
                        generatorStats[0], generatorStats[1], generatorStats[2], seconds(epochStart),
                        run.takeSkippedSteps(), generatorStats[3]));
                if (checkpoint != null) {
                    save(checkpoint, model, surrogate, adamG, adamS, history, numClasses);
                }
                early = generatorStats[1] < config.earlyStopLoss();
            }
            int completed = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
            double[] finalLosses = run.shortcutGap();
            return new TrainingResult(completed, early, false, List.copyOf(history), seconds(start),
                    finalLosses[0], finalLosses[1]);
        }
    }

    /** Whether every weight and running statistic in {@code params} is a finite number. */
    static boolean finite(ai.djl.util.PairList<String, Parameter> params) {
        try (NDScope scope = new NDScope()) { // frees the checks' intermediate arrays
            for (Parameter p : params.values()) {
                NDArray a = p.getArray();
                if (a.isNaN().logicalOr(a.isInfinite()).any().getBoolean()) {
                    return false;
                }
            }
        }
        return true;
    }

    private void validate(SegueModel model, List<RgbImage> images, int[] labels, int numClasses) {
        if (images.size() != labels.length || images.isEmpty()) {
            throw new IllegalArgumentException("need one label per image and at least one image");
        }
        for (RgbImage img : images) {
            if (img.height() != config.inputSize() || img.width() != config.inputSize()) {
                throw new IllegalArgumentException("training images must be " + config.inputSize() + "x"
                        + config.inputSize() + ", got " + img.width() + "x" + img.height());
            }
        }
        if (model.info().inputHeight() != config.generatorSize() || model.info().inputWidth() != config.generatorSize()) {
            throw new IllegalArgumentException("the generator works at " + model.info().inputWidth() + "x"
                    + model.info().inputHeight() + " but this recipe needs " + config.generatorSize() + "x"
                    + config.generatorSize() + " (input size " + config.inputSize() + " / perturbation scale "
                    + config.perturbationScale() + ")");
        }
        for (int l : labels) {
            if (l < 0 || l >= numClasses) {
                throw new IllegalArgumentException("label " + l + " outside 0.." + (numClasses - 1));
            }
        }
    }

    /** The surrogate a run starts from: a fresh ResNet18, initialised from the config's seed. */
    private ResNet18 newSurrogate(NDManager surrogateManager, int numClasses) {
        DjlRuntime.engine().setRandomSeed((int) config.seed());
        ResNet18 surrogate = new ResNet18(numClasses, config.smallInputStem());
        surrogate.initialize(surrogateManager, DataType.FLOAT32, new Shape(1, 3, config.inputSize(), config.inputSize()));
        return surrogate;
    }

    /**
     * A run with a fresh surrogate and fresh optimisers and no checkpoint, whose single steps
     * {@link TrainerBenchmark} times: {@link Run#surrogateStep} and {@link Run#generatorStep} are the
     * steps {@link #train} runs. The surrogate's parameters live in {@code surrogateManager}.
     */
    public Run benchmarkRun(SegueModel model, List<RgbImage> images, int[] labels, int numClasses, NDManager surrogateManager) {
        codeOfLabel = null;
        DjlRuntime.noGradientsOnThisThread();
        validate(model, images, labels, numClasses);
        ResNet18 surrogate = newSurrogate(surrogateManager, numClasses);
        return new Run(model, surrogate, new ParameterStore(surrogateManager, false),
                new Adam(model.generator().getParameters()), new Adam(surrogate.getParameters()), images, labels,
                ProgressListener.NONE, Cancellation.none(), 0, 0, System.nanoTime(), null);
    }

    /** Optimiser steps in epochs 1..lastEpoch: one pass for G, one more where the surrogate trains. */
    private long stepsThrough(int lastEpoch, int stepsPerEpoch) {
        long steps = 0;
        for (int e = 1; e <= lastEpoch; e++) {
            steps += stepsPerEpoch * (config.surrogateTrainsIn(e) ? 2L : 1L);
        }
        return steps;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** State of one training run, so the epoch loops stay short (public for the lab's trainer benchmark). */
    public final class Run {
        final SegueModel model;
        final ResNet18 surrogate;
        final ParameterStore surrogateStore;
        final Adam adamG;
        final Adam adamS;
        final List<RgbImage> images;
        final int[] labels;
        final ProgressListener progress;
        final Cancellation cancellation;
        final long totalSteps;
        long doneSteps;
        final long start;
        int skippedSteps;
        int skippedInARow;
        /** How similar a pretrained recogniser finds protected faces to clean ones, in G's loss; null: left out. */
        final EmbeddingObjective embedding;

        Run(SegueModel model, ResNet18 surrogate, ParameterStore surrogateStore, Adam adamG, Adam adamS,
            List<RgbImage> images, int[] labels, ProgressListener progress, Cancellation cancellation,
            long totalSteps, long doneSteps, long start, EmbeddingObjective embedding) {
            this.model = model;
            this.surrogate = surrogate;
            this.surrogateStore = surrogateStore;
            this.adamG = adamG;
            this.adamS = adamS;
            this.images = images;
            this.labels = labels;
            this.progress = progress;
            this.cancellation = cancellation;
            this.totalSteps = totalSteps;
            this.doneSteps = doneSteps;
            this.start = start;
            this.embedding = embedding;
        }

        private int[] codesOf(int[] batchLabels) {
            if (codeOfLabel == null) {
                return batchLabels;
            }
            int[] c = new int[batchLabels.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = codeOfLabel[batchLabels[i]];
            }
            return c;
        }

        /**
         * G's raw output for training-size images: with a perturbation scale above 1 the generator
         * sees them area-downscaled to its own working size.
         */
        NDArray rawOutput(NDArray x, NDArray codes, boolean training) {
            int size = config.generatorSize();
            NDArray input = size == config.inputSize() ? x
                    : Resize.area(x, size, size);
            return model.rawOutput(input, codes, training);
        }

        /**
         * A perturbation brought to the training size; bilinear up-sampling mixes values within
         * [-eps, eps], so the bound holds, and it is what {@link SegueModel#perturbationsAtFullSize}
         * does with a user's photo.
         */
        NDArray atTrainingSize(NDArray delta) {
            return config.generatorSize() == config.inputSize() ? delta
                    : Resize.bilinear(delta, config.inputSize(), config.inputSize());
        }

        /** {@code x} protected by G's raw output {@code raw}: bounded to epsilon, brought to the training size, added. */
        NDArray protect(NDArray x, NDArray raw) {
            return Perturbation.apply(x, atTrainingSize(Perturbation.delta(raw, config.epsilon(), config.greyPerturbation(), config.area())));
        }

        /** One surrogate epoch on protected images; returns {mean loss, accuracy} or null if cancelled. */
        double[] surrogateEpoch(int epoch, Random rng) {
            float lr = TrainingConfig.cosine(config.surrogateLr(), (epoch - 1) / config.surrogateEvery(),
                    (config.epochs() + config.surrogateEvery() - 1) / config.surrogateEvery());
            Trainability.freeze(surrogate, false);
            double lossSum = 0;
            int correct = 0;
            int seen = 0;
            for (int[] batch : batches(rng)) {
                if (cancellation.isCancelled()) {
                    return null;
                }
                double[] lossAndCorrect = surrogateStep(batch, lr, rng);
                correct += (int) lossAndCorrect[1];
                lossSum += (float) lossAndCorrect[0] * batch.length; // a float product: the recorded losses keep their float rounding
                seen += batch.length;
                report("surrogate", epoch, String.format("epoch %d surrogate loss %.4f", epoch, lossSum / seen));
            }
            Trainability.freeze(surrogate, true);
            return new double[] {lossSum / images.size(), (double) correct / images.size()};
        }

        /**
         * One surrogate step (the surrogate must be unfrozen): protected images of {@code batch}, at
         * the size of the distortion layer's attacker view (drawn from {@code rng}), through the
         * surrogate, one Adam step at {@code lr}; returns {loss, correct predictions}.
         */
        public double[] surrogateStep(int[] batch, float lr, Random rng) {
            int[] y = Batches.select(labels, batch);
            try (NDScope scope = new NDScope(); NDManager step = model.manager().newSubManager()) {
                NDArray x = Batches.stack(step, images, batch);
                NDArray codes = LabelCode.batch(step, codesOf(y), model.info().codeBits());
                NDArray protectedImages = protect(x, rawOutput(x, codes, true));
                if (adversarialOnSurrogateInput()) {
                    // REM's min over theta of max over rho: the surrogate trains as an adversarially training attacker would
                    Trainability.freeze(surrogate, true);
                    protectedImages = withAdversarial(protectedImages, y);
                    Trainability.freeze(surrogate, false);
                }
                protectedImages = distortion.attackerView(protectedImages, rng);
                NDArray loss;
                int correct;
                try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                    NDArray logits = surrogate.forward(surrogateStore, new NDList(protectedImages), true)
                            .singletonOrThrow();
                    loss = Losses.crossEntropy(logits, y);
                    gc.backward(loss);
                    correct = Losses.correct(logits, y);
                }
                stepped(adamS.step(lr));
                return new double[] {loss.getFloat(), correct};
            }
        }

        /** Freezes the surrogate for the generator's steps, or unfreezes it for its own. */
        public void surrogateTrainable(boolean trainable) {
            Trainability.freeze(surrogate, !trainable);
        }

        /**
         * One generator epoch; returns {mean CE, last-batch CE, mean L2, mean recogniser similarity (NaN without the
         * embedding term)} or null if cancelled.
         */
        double[] generatorEpoch(int epoch, Random rng) {
            float lr = TrainingConfig.cosine(config.generatorLr(), epoch - 1, config.epochs());
            Trainability.freeze(surrogate, true);
            double ceSum = 0;
            double l2Sum = 0;
            double similaritySum = 0;
            double lastCe = Double.NaN;
            for (int[] batch : batches(rng)) {
                if (cancellation.isCancelled()) {
                    return null;
                }
                double[] ceAndL2 = generatorStep(batch, lr, rng);
                lastCe = ceAndL2[0];
                ceSum += lastCe * batch.length;
                l2Sum += (float) ceAndL2[1] * batch.length;
                similaritySum += ceAndL2[2] * batch.length;
                report("generator", epoch, Double.isNaN(ceAndL2[2])
                        ? String.format("epoch %d generator CE %.4f", epoch, lastCe)
                        : String.format("epoch %d generator CE %.4f recogniser similarity %.3f", epoch, lastCe, ceAndL2[2]));
            }
            return new double[] {ceSum / images.size(), lastCe, l2Sum / images.size(), similaritySum / images.size()};
        }

        /**
         * One generator step (the surrogate must be frozen): PGD on the input if the distortion has
         * it, G, the distortion layer (drawing from {@code rng}), the surrogate, one Adam step at
         * {@code lr}; returns {CE, mean L2 of G's raw output, the recogniser's similarity (NaN without the embedding term)}.
         */
        public double[] generatorStep(int[] batch, float lr, Random rng) {
            float radius = config.distortion().adversarialRadius();
            int pgdSteps = config.distortion().adversarialSteps();
            int[] y = Batches.select(labels, batch);
            try (NDScope scope = new NDScope(); NDManager step = model.manager().newSubManager()) {
                NDArray x = Batches.stack(step, images, batch);
                NDArray codes = LabelCode.batch(step, codesOf(y), model.info().codeBits());
                boolean onGeneratorInput = radius > 0 && pgdSteps > 0 && !adversarialOnSurrogateInput();
                NDArray generatorInput = onGeneratorInput ? x.add(adversarial(x, y, radius, pgdSteps)).clip(0f, 1f) : x;
                // rho for the protected image is found before the collector opens (only one may be open), on
                // this step's protected images; the pass below recomputes them with the same batch statistics
                NDArray rho = adversarialOnSurrogateInput()
                        ? adversarial(protect(x, rawOutput(x, codes, true)), y, radius, pgdSteps) : null;
                NDArray ce;
                NDArray l2;
                NDArray recognised;
                try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                    NDArray raw = rawOutput(generatorInput, codes, true);
                    NDArray protectedImages = protect(x, raw);
                    // what the eye sees is the shipped perturbation alone, before the attacker's distortions
                    NDArray seenByEye = visibility == null ? null : visibility.mean(x, protectedImages);
                    recognised = embedding == null ? null : embedding.similarity(x, protectedImages, rng);
                    if (rho != null) {
                        protectedImages = protectedImages.add(rho).clip(0f, 1f);
                    }
                    NDArray seen = distortion.apply(protectedImages, rng);
                    // Training-mode BatchNorm, as the authors' surrogate (never switched to eval) runs.
                    NDArray logits = surrogate.forward(surrogateStore, new NDList(seen), true).singletonOrThrow();
                    ce = Losses.crossEntropy(logits, y);
                    l2 = Losses.meanL2(raw);
                    NDArray loss = ce.add(l2.mul(config.l2Weight()));
                    if (seenByEye != null) {
                        loss = loss.add(seenByEye.mul(config.visibilityWeight()));
                    }
                    if (recognised != null) {
                        loss = loss.add(recognised.mul(config.embeddingWeight()));
                    }
                    gc.backward(loss);
                }
                stepped(adamG.step(lr));
                return new double[] {ce.getFloat(), l2.getFloat(), recognised == null ? Double.NaN : recognised.getFloat()};
            }
        }

        /**
         * The surrogate's mean loss on the protected training images (inference-mode generator, as
         * users get them) and on the same images clean, with the BatchNorm statistics it trained with.
         */
        double[] shortcutGap() {
            double onProtected = 0;
            double onClean = 0;
            for (int[] batch : batches(new Random(config.seed()))) {
                int[] y = Batches.select(labels, batch);
                try (NDScope scope = new NDScope(); NDManager step = model.manager().newSubManager()) {
                    NDArray x = Batches.stack(step, images, batch);
                    NDArray codes = LabelCode.batch(step, codesOf(y), model.info().codeBits());
                    NDArray protectedImages = protect(x, rawOutput(x, codes, false));
                    onProtected += Losses.crossEntropy(surrogate.forward(surrogateStore, new NDList(protectedImages), true)
                            .singletonOrThrow(), y).getFloat() * batch.length;
                    onClean += Losses.crossEntropy(surrogate.forward(surrogateStore, new NDList(x), true)
                            .singletonOrThrow(), y).getFloat() * batch.length;
                }
            }
            return new double[] {onProtected / images.size(), onClean / images.size()};
        }

        /** Whether rho_d acts on the protected image the surrogate sees (REM-style) rather than on G's input. */
        boolean adversarialOnSurrogateInput() {
            DistortionConfig d = config.distortion();
            return d.adversarialOnSurrogateInput() && d.adversarialRadius() > 0 && d.adversarialSteps() > 0;
        }

        /** {@code images} plus rho_d found by PGD against the (frozen) surrogate, clipped to the valid range. */
        NDArray withAdversarial(NDArray images, int[] y) {
            DistortionConfig d = config.distortion();
            return images.add(adversarial(images, y, d.adversarialRadius(), d.adversarialSteps())).clip(0f, 1f);
        }

        /** PGD that maximises the frozen surrogate's loss within an L-inf ball of {@code radius}. */
        NDArray adversarial(NDArray x, int[] y, float radius, int steps) {
            float stepSize = radius / steps;
            NDArray adv = x.zerosLike();
            for (int s = 0; s < steps; s++) {
                adv.setRequiresGradient(true);
                try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                    NDArray logits = surrogate.forward(surrogateStore, new NDList(x.add(adv).clip(0f, 1f)), true)
                            .singletonOrThrow();
                    gc.backward(Losses.crossEntropy(logits, y));
                }
                NDArray grad = adv.getGradient();
                adv = adv.stopGradient().add(grad.sign().mul(stepSize)).clip(-radius, radius);
            }
            return adv.stopGradient();
        }

        public List<int[]> batches(Random rng) {
            return Batches.shuffled(images.size(), config.batchSize(), rng);
        }

        /**
         * Counts an optimiser step {@link Adam#step skipped} for a non-finite gradient. A lone bad batch is left out;
         * a run of them means the training itself diverged, and it stops as the epoch check would.
         */
        void stepped(boolean applied) {
            if (applied) {
                skippedInARow = 0;
                return;
            }
            skippedSteps++;
            if (++skippedInARow >= MAX_SKIPPED_IN_A_ROW) {
                throw new IllegalStateException(skippedInARow + " optimiser steps in a row had non-finite gradients: "
                        + "training diverged; the checkpoint, if any, holds the last complete epoch. Train again with "
                        + "a lower generator learning rate (generator-lr) and a new checkpoint file");
            }
        }

        /** Steps skipped since the last call. */
        int takeSkippedSteps() {
            int n = skippedSteps;
            skippedSteps = 0;
            return n;
        }

        void report(String phase, int epoch, String message) {
            doneSteps++;
            progress.onProgress(new ProgressListener.Progress(phase, doneSteps, totalSteps, message, seconds(start)));
        }
    }

    private static Map<String, Parameter> named(ai.djl.util.PairList<String, Parameter> params) {
        Map<String, Parameter> map = new LinkedHashMap<>();
        params.forEach(p -> map.put(p.getKey(), p.getValue()));
        return map;
    }

    private void save(Path file, SegueModel model, ResNet18 surrogate, Adam adamG, Adam adamS,
                      List<TrainingResult.EpochStats> history, int numClasses) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        StateDicts.export(model.generator().stateDict()).forEach((k, v) -> tensors.put("G/" + k, v));
        StateDicts.export(named(surrogate.getParameters())).forEach((k, v) -> tensors.put("S/" + k, v));
        adamG.exportState().forEach((k, v) -> tensors.put("adamG/" + k, v));
        adamS.exportState().forEach((k, v) -> tensors.put("adamS/" + k, v));
        Map<String, String> recipe = new TreeMap<>(config.describe());
        recipe.put("classes", Integer.toString(numClasses));
        for (TrainingResult.EpochStats s : history) {
            recipe.put(String.format("history.%04d", s.epoch()), s.toCsv());
        }
        ModelInfo info = new ModelInfo(CHECKPOINT_ARCHITECTURE, config.epsilon(), config.inputSize(),
                config.inputSize(), model.info().codeBits(), recipe);
        ModelFile.write(file, info, tensors);
    }

    private int restore(Path file, SegueModel model, ResNet18 surrogate, Adam adamG, Adam adamS,
                        List<TrainingResult.EpochStats> history, int numClasses) throws IOException {
        ModelFile.Contents c = ModelFile.read(file);
        if (!CHECKPOINT_ARCHITECTURE.equals(c.info().architecture())) {
            throw new ModelFormatException(file + " is not a training checkpoint");
        }
        Map<String, String> saved = c.info().recipe();
        Map<String, String> now = config.describe();
        // what a checkpoint written before a setting existed had instead of it
        Map<String, String> before = Map.of("perturbation.scale", "1", FaceMask.RECIPE_KEY, "none",
                Perturbation.COLOUR_KEY, Perturbation.COLOUR, "visibility.weight", "0.0", "embedding.weight", "0.0");
        for (String key : List.of("input.size", "batch.size", "seed", "distortion", "surrogate.stem",
                "surrogate.every", "lr.generator", "lr.surrogate", "l2.weight", "perturbation.scale",
                FaceMask.RECIPE_KEY, Perturbation.COLOUR_KEY, "visibility.weight", "embedding.weight")) {
            String was = saved.getOrDefault(key, before.get(key));
            if (!now.get(key).equals(was)) {
                throw new ModelFormatException(file + " was written by a run with " + key + "=" + was
                        + ", this run has " + now.get(key) + "; use a new checkpoint file");
            }
        }
        if (!Integer.toString(numClasses).equals(saved.get("classes"))) {
            throw new ModelFormatException(file + " was trained for " + saved.get("classes") + " classes, not " + numClasses);
        }
        StateDicts.load(model.generator().stateDict(), prefixed(c.weights(), "G/"));
        StateDicts.load(named(surrogate.getParameters()), prefixed(c.weights(), "S/"));
        adamG.importState(prefixed(c.weights(), "adamG/"));
        adamS.importState(prefixed(c.weights(), "adamS/"));
        saved.entrySet().stream().filter(e -> e.getKey().startsWith("history."))
                .forEach(e -> history.add(TrainingResult.EpochStats.fromCsv(e.getValue())));
        return history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
    }

    private static Map<String, Tensor> prefixed(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
