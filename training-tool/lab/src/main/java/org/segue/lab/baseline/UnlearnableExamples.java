package org.segue.lab.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.segue.engine.internal.Batches;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.training.ImageFolder;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.internal.nn.ResNet18;
import org.segue.engine.internal.nn.Trainability;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.training.Adam;
import org.segue.engine.training.Losses;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The "Unlearnable Examples" baseline: error-minimising noise (Huang, Ma, Erfani, Bailey, Wang,
 * <i>Unlearnable Examples: Making Personal Data Unexploitable</i>, ICLR 2021), in its sample-wise and
 * class-wise variants, with {@code |delta|_inf <= eps}.
 *
 * <p>The noise is found by the paper's min-min bi-level optimisation (Algorithm 1), repeated in rounds
 * until a model trained on the noisy data fits it:
 * <ol>
 *   <li>train a ResNet18 (torchvision stem) for {@code trainStepsPerRound} (the paper's M) steps on
 *       batches of {@code clamp(x + delta, 0, 1)};
 *   <li>for the whole training set, batch by batch, run {@code pgdSteps} of sign-gradient
 *       <em>descent</em> on the cross-entropy with respect to the noise, projecting onto
 *       {@code [-eps, eps]} and keeping {@code x + delta} in {@code [0, 1]};
 *   <li>stop when the model's accuracy on {@code clamp(x + delta, 0, 1)} over the training set reaches
 *       {@code stopAccuracy}, or after {@code maxRounds} rounds.
 * </ol>
 *
 * <p>Choices, following the authors' code (github.com/HanxunH/Unlearnable-Examples, {@code
 * perturbation.py} and {@code toolbox.py}) where the paper leaves them open:
 * <ul>
 *   <li>the noise starts at zero (their commands do not pass {@code --random_start});
 *   <li>the noise search and the stopping accuracy use the model in inference mode (BatchNorm with
 *       running statistics, {@code model.eval()} in their code); training steps use batch statistics;
 *   <li><b>class-wise update</b>: every sample of the batch runs its own {@code pgdSteps} of descent
 *       starting from its class's noise, and the class noise becomes the mean of the results of the
 *       batch's samples of that class, clipped to {@code [-eps, eps]} ({@code universal_perturbation}).
 *       With the authors' one step per round this moves the class noise by {@code stepSize} times
 *       the mean of the samples' gradient signs. We keep this rather than taking the sign of the
 *       summed gradient, so that the baseline is the one the paper measured;
 *   <li>per-variant defaults ({@link Config#defaults}) are those of the authors' README for CIFAR-10:
 *       sample-wise 20 steps of eps/10, stop at 99% accuracy; class-wise one step of eps/10 per round,
 *       stop at 90% accuracy;
 *   <li>training uses this project's {@link Adam} at 5e-4 with batches of 32 instead of the authors'
 *       SGD (lr 0.1, momentum 0.9, batches of 512): with a few thousand face images and ten steps
 *       per round, SGD at 0.1 on small batches oscillates, while Adam fits the noise steadily;
 *   <li>batches are drawn from a seeded shuffle (ImageFolder order is sorted by identity, so
 *       unshuffled batches would hold a single class), and the training stream continues across
 *       rounds as the authors' data iterator does; there is no data augmentation (their
 *       {@code no_train_augments=True}).
 * </ul>
 *
 * <p>Every step runs inside its own {@link NDScope} and sub-manager, so native memory stays bounded.
 * Cancellation is polled between steps and ends the work with a
 * {@link java.util.concurrent.CancellationException}.
 */
public final class UnlearnableExamples {

    /**
     * Settings of one noise generation.
     *
     * @param inputSize          side of the square images the noise is found at
     * @param eps                L-inf bound of the noise, in [0,1] pixel units
     * @param trainStepsPerRound model training steps per round (the paper's M = 10)
     * @param pgdSteps           sign-gradient descent steps on the noise per round
     * @param stepSize           size of one descent step
     * @param stopAccuracy       stop once the model's accuracy on the noisy training set reaches this
     * @param maxRounds          upper bound on the rounds
     * @param batchSize          batch size of training and noise search
     * @param learningRate       learning rate of the model's Adam optimiser
     * @param classWise          one noise per class (true) or one per sample (false)
     * @param seed               seed of the weights' initialisation and the batch order
     */
    public record Config(int inputSize, float eps, int trainStepsPerRound, int pgdSteps, float stepSize,
                         float stopAccuracy, int maxRounds, int batchSize, float learningRate, boolean classWise,
                         long seed) {

        public Config {
            if (inputSize < 8) {
                throw new IllegalArgumentException("input size must be at least 8, was " + inputSize);
            }
            if (!(eps > 0 && eps < 1)) {
                throw new IllegalArgumentException("eps must be in (0, 1), was " + eps);
            }
            if (trainStepsPerRound < 1 || pgdSteps < 1 || maxRounds < 1 || batchSize < 2) {
                throw new IllegalArgumentException("need at least one training step, descent step and round, "
                        + "and batches of at least 2");
            }
            if (!(stepSize > 0) || !(learningRate > 0)) {
                throw new IllegalArgumentException("step size and learning rate must be positive");
            }
            if (!(stopAccuracy > 0 && stopAccuracy <= 1)) {
                throw new IllegalArgumentException("stop accuracy must be in (0, 1], was " + stopAccuracy);
            }
        }

        /**
         * The authors' CIFAR-10 settings (eps 8/255, step eps/10, M = 10; sample-wise 20 descent steps
         * and 99% stop accuracy, class-wise 1 step and 90%), at 112 px, with Adam 5e-4 on batches of
         * 32. Round limits (20 sample-wise, 50 class-wise, whose rounds are about 20 times cheaper)
         * are ours: the authors loop until the accuracy is reached.
         */
        public static Config defaults(boolean classWise) {
            float eps = 8f / 255f;
            return new Config(112, eps, 10, classWise ? 1 : 20, eps / 10, classWise ? 0.90f : 0.99f,
                    classWise ? 50 : 20, 32, 5e-4f, classWise, 0);
        }

        public Config withInputSize(int size) {
            return new Config(size, eps, trainStepsPerRound, pgdSteps, stepSize, stopAccuracy, maxRounds,
                    batchSize, learningRate, classWise, seed);
        }

        public Config withMaxRounds(int rounds) {
            return new Config(inputSize, eps, trainStepsPerRound, pgdSteps, stepSize, stopAccuracy, rounds,
                    batchSize, learningRate, classWise, seed);
        }

        /** The settings as text, for logs and result tables. */
        public Map<String, String> describe() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("variant", classWise ? "class-wise" : "sample-wise");
            m.put("input.size", Integer.toString(inputSize));
            m.put("eps", Float.toString(eps));
            m.put("train.steps.per.round", Integer.toString(trainStepsPerRound));
            m.put("pgd.steps", Integer.toString(pgdSteps));
            m.put("step.size", Float.toString(stepSize));
            m.put("stop.accuracy", Float.toString(stopAccuracy));
            m.put("max.rounds", Integer.toString(maxRounds));
            m.put("batch.size", Integer.toString(batchSize));
            m.put("lr", Float.toString(learningRate));
            m.put("seed", Long.toString(seed));
            return m;
        }
    }

    /** Statistics of one round, measured after its noise update. */
    public record Round(int round, double accuracy, double loss, double seconds) {}

    /**
     * The generated noise and how it was found.
     *
     * @param noise         per-sample noise (CHW planes, {@code size} x {@code size}, within
     *                      [-eps, eps]), in the order of the input images; for class-wise noise, each
     *                      sample's entry is its class's noise (the same array for a whole class).
     *                      Protect an image with {@code clamp(x + noise, 0, 1)}
     * @param classNoise    per-class noise for the class-wise variant, null for the sample-wise one
     * @param size          side of the noise planes
     * @param rounds        rounds run
     * @param converged     whether the stop accuracy was reached
     * @param accuracy      final model's accuracy on {@code clamp(x + noise)} over the training set
     * @param loss          its mean cross-entropy there
     * @param cleanAccuracy final model's accuracy on the clean training images
     * @param cleanLoss     its mean cross-entropy there
     * @param seconds       wall time of the generation
     * @param history       one entry per round
     */
    public record Result(float[][] noise, float[][] classNoise, int size, int rounds, boolean converged,
                         double accuracy, double loss, double cleanAccuracy, double cleanLoss, double seconds,
                         List<Round> history) {

        /** {@code clamp(image + noise[index], 0, 1)} for an image at the noise's size. */
        public RgbImage apply(RgbImage image, int index) {
            if (image.height() != size || image.width() != size) {
                throw new IllegalArgumentException("noise is " + size + "x" + size + ", image "
                        + image.width() + "x" + image.height());
            }
            return image.plusClamped(noise[index]);
        }
    }

    private final Config config;

    public UnlearnableExamples(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /**
     * Finds error-minimising noise for a training set.
     *
     * @param images     training images, {@code inputSize} x {@code inputSize}
     * @param labels     their class labels, 0..numClasses-1
     * @param numClasses number of classes of the model
     */
    public Result generate(List<RgbImage> images, int[] labels, int numClasses, ProgressListener progress,
                           Cancellation cancellation) {
        if (images.size() != labels.length || images.size() < 2) {
            throw new IllegalArgumentException("need one label per image and at least two images");
        }
        for (RgbImage img : images) {
            if (img.height() != config.inputSize() || img.width() != config.inputSize()) {
                throw new IllegalArgumentException("images must be " + config.inputSize() + "x" + config.inputSize()
                        + ", got " + img.width() + "x" + img.height());
            }
        }
        for (int l : labels) {
            if (l < 0 || l >= numClasses) {
                throw new IllegalArgumentException("label " + l + " outside 0.." + (numClasses - 1));
            }
        }
        DjlRuntime.noGradientsOnThisThread(); // parameters and noise are updated outside gradient scopes
        long start = System.nanoTime();
        try (NDManager manager = DjlRuntime.engine().newBaseManager(DjlRuntime.defaultDevice())) {
            DjlRuntime.engine().setRandomSeed((int) config.seed());
            ResNet18 net = new ResNet18(numClasses, false);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, config.inputSize(), config.inputSize()));
            Run run = new Run(manager, net, images, labels, numClasses, progress, cancellation, start);
            return run.execute();
        }
    }

    /**
     * Protects an ImageFolder dataset with Unlearnable Examples noise, as
     * {@link org.segue.lab.dataset.DatasetProtector} does with Segue: {@code out/<identity>/<name>.png}.
     * The noise is found on the images resized to {@code inputSize} x {@code inputSize}, then resized
     * to each file's original resolution (bilinear when enlarging, area-averaged when shrinking: both
     * take weighted means, so the bound holds), added to the original image and clamped to [0,1].
     *
     * @return how the noise was found; its {@code seconds} are those of generating the noise (not
     *         loading or writing), for speed tables
     */
    public static Result protectFolder(Path in, Path out, Config config, ProgressListener progress,
                                       Cancellation cancellation) throws IOException {
        ImageFolder dataset = ImageFolder.scan(in);
        Result result = new UnlearnableExamples(config).generate(dataset.load(config.inputSize(), config.inputSize()),
                dataset.labels(), dataset.classes().size(), progress, cancellation);
        List<ImageFolder.Sample> samples = dataset.samples();
        int s = config.inputSize();
        long start = System.nanoTime();
        for (int i = 0; i < samples.size(); i++) {
            cancellation.throwIfCancelled();
            ImageFolder.Sample sample = samples.get(i);
            RgbImage original = ImageCodec.read(sample.file());
            int h = original.height();
            int w = original.width();
            float[] noise = ImageOps.resizePlanes(result.noise()[i], 3, s, s, h, w);
            for (int j = 0; j < noise.length; j++) {
                noise[j] = Math.max(-config.eps(), Math.min(config.eps(), noise[j])); // rounding only
            }
            ImageCodec.writePng(original.plusClamped(noise),
                    out.resolve(dataset.classes().get(sample.label())).resolve(org.segue.lab.dataset.DatasetProtector.pngName(sample.file())));
            progress.onProgress(new ProgressListener.Progress("ue-write", i + 1, samples.size(),
                    (i + 1) + " images protected", (System.nanoTime() - start) / 1e9));
        }
        return result;
    }

    /** State of one generation, so the round's phases stay short. */
    private final class Run {
        final NDManager manager;
        final ResNet18 net;
        final ParameterStore store;
        final Adam adam;
        final List<RgbImage> images;
        final int[] labels;
        final ProgressListener progress;
        final Cancellation cancellation;
        final long start;
        final int planeSize;
        /** Sample-wise: one array per sample; class-wise: one per class. */
        final float[][] noise;
        final Random rng;
        final List<Integer> trainOrder = new ArrayList<>();
        int trainCursor;
        final long totalUnits;
        long doneUnits;

        Run(NDManager manager, ResNet18 net, List<RgbImage> images, int[] labels, int numClasses,
            ProgressListener progress, Cancellation cancellation, long start) {
            this.manager = manager;
            this.net = net;
            this.store = new ParameterStore(manager, false);
            this.adam = new Adam(net.getParameters());
            this.images = images;
            this.labels = labels;
            this.progress = progress;
            this.cancellation = cancellation;
            this.start = start;
            this.planeSize = 3 * config.inputSize() * config.inputSize();
            this.noise = new float[config.classWise() ? numClasses : images.size()][planeSize];
            this.rng = new Random(config.seed());
            int passBatches = (images.size() + config.batchSize() - 1) / config.batchSize();
            this.totalUnits = (long) config.maxRounds() * (config.trainStepsPerRound() + 2L * passBatches);
        }

        Result execute() {
            List<Round> history = new ArrayList<>();
            double[] stats = {0, Double.NaN};
            boolean converged = false;
            int round = 0;
            while (!converged && round < config.maxRounds()) {
                round++;
                long roundStart = System.nanoTime();
                train(round);
                searchNoise(round);
                stats = evaluate(true, round);
                history.add(new Round(round, stats[0], stats[1], seconds(roundStart)));
                converged = stats[0] >= config.stopAccuracy();
            }
            double[] clean = evaluate(false, round);
            float[][] perSample = new float[images.size()][];
            for (int i = 0; i < perSample.length; i++) {
                perSample[i] = noiseOf(i);
            }
            return new Result(perSample, config.classWise() ? noise : null, config.inputSize(), round, converged,
                    stats[0], stats[1], clean[0], clean[1], seconds(start), List.copyOf(history));
        }

        float[] noiseOf(int sample) {
            return noise[config.classWise() ? labels[sample] : sample];
        }

        NDArray noiseBatch(NDManager step, int[] batch) {
            float[] data = new float[batch.length * planeSize];
            for (int i = 0; i < batch.length; i++) {
                System.arraycopy(noiseOf(batch[i]), 0, data, i * planeSize, planeSize);
            }
            return step.create(data, new Shape(batch.length, 3, config.inputSize(), config.inputSize()));
        }

        /** Phase 1: M optimiser steps of the model on noisy images, in training mode. */
        void train(int round) {
            Trainability.freeze(net, false);
            for (int s = 0; s < config.trainStepsPerRound(); s++) {
                cancellation.throwIfCancelled();
                int[] batch = nextTrainingBatch();
                int[] y = Batches.select(labels, batch);
                float loss;
                try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
                    NDArray x = Batches.stack(step, images, batch).add(noiseBatch(step, batch)).clip(0f, 1f);
                    try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                        NDArray ce = Losses.crossEntropy(net.forward(store, new NDList(x), true).singletonOrThrow(), y);
                        gc.backward(ce);
                        loss = ce.getFloat();
                    }
                    adam.step(config.learningRate());
                }
                report("ue-train", String.format("round %d model loss %.4f", round, loss));
            }
            Trainability.freeze(net, true);
        }

        /**
         * The next training batch from a shuffled stream that continues across rounds; a pass's
         * incomplete tail is dropped (the authors' drop_last), unless the data set is smaller than
         * one batch.
         */
        int[] nextTrainingBatch() {
            int size = Math.min(config.batchSize(), images.size());
            if (trainCursor + size > trainOrder.size()) {
                trainOrder.clear();
                for (int i = 0; i < images.size(); i++) {
                    trainOrder.add(i);
                }
                Collections.shuffle(trainOrder, rng);
                trainCursor = 0;
            }
            int[] batch = trainOrder.subList(trainCursor, trainCursor + size).stream().mapToInt(Integer::intValue)
                    .toArray();
            trainCursor += size;
            return batch;
        }

        /** Phase 2: error-minimising descent on the noise of every sample, batch by batch. */
        void searchNoise(int round) {
            Trainability.freeze(net, true);
            for (int[] batch : shuffledBatches()) {
                cancellation.throwIfCancelled();
                int[] y = Batches.select(labels, batch);
                float[] found;
                try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
                    NDArray x = Batches.stack(step, images, batch);
                    found = minMin(x, noiseBatch(step, batch), y).toFloatArray();
                }
                if (config.classWise()) {
                    updateClassNoise(batch, found);
                } else {
                    for (int i = 0; i < batch.length; i++) {
                        System.arraycopy(found, i * planeSize, noise[batch[i]], 0, planeSize);
                    }
                }
                report("ue-noise", "round " + round + " noise search");
            }
        }

        /**
         * Sign-gradient descent on the model's cross-entropy with respect to {@code delta}, inference-
         * mode model with frozen weights; after each step the noise is projected onto [-eps, eps] with
         * {@code x + delta} kept in [0, 1].
         */
        NDArray minMin(NDArray x, NDArray start, int[] y) {
            float eps = config.eps();
            NDArray delta = project(x, start);
            for (int s = 0; s < config.pgdSteps(); s++) {
                delta.setRequiresGradient(true);
                try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                    NDArray logits = net.forward(store, new NDList(x.add(delta)), false).singletonOrThrow();
                    gc.backward(Losses.crossEntropy(logits, y));
                }
                NDArray grad = delta.getGradient();
                delta = project(x, delta.stopGradient().sub(grad.sign().mul(config.stepSize())).clip(-eps, eps));
            }
            return delta.stopGradient();
        }

        /** Keeps x + delta in [0,1]; the last clip guards the bound against rounding. */
        NDArray project(NDArray x, NDArray delta) {
            return x.add(delta).clip(0f, 1f).sub(x).clip(-config.eps(), config.eps());
        }

        /** The authors' class-wise update: each class's noise becomes the mean of its samples' results. */
        void updateClassNoise(int[] batch, float[] found) {
            Map<Integer, double[]> sums = new LinkedHashMap<>();
            Map<Integer, Integer> counts = new LinkedHashMap<>();
            for (int i = 0; i < batch.length; i++) {
                int c = labels[batch[i]];
                double[] sum = sums.computeIfAbsent(c, k -> new double[planeSize]);
                for (int j = 0; j < planeSize; j++) {
                    sum[j] += found[i * planeSize + j];
                }
                counts.merge(c, 1, Integer::sum);
            }
            float eps = config.eps();
            sums.forEach((c, sum) -> {
                float[] target = noise[c];
                int n = counts.get(c);
                for (int j = 0; j < planeSize; j++) {
                    target[j] = (float) Math.max(-eps, Math.min(eps, sum[j] / n));
                }
            });
        }

        /** Phase 3: accuracy and mean CE of the inference-mode model on noisy or clean images. */
        double[] evaluate(boolean noisy, int round) {
            int correct = 0;
            double lossSum = 0;
            for (int from = 0; from < images.size(); from += config.batchSize()) {
                cancellation.throwIfCancelled();
                int[] batch = range(from, Math.min(images.size(), from + config.batchSize()));
                int[] y = Batches.select(labels, batch);
                try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
                    NDArray x = Batches.stack(step, images, batch);
                    if (noisy) {
                        x = x.add(noiseBatch(step, batch)).clip(0f, 1f);
                    }
                    NDArray logits = net.forward(store, new NDList(x), false).singletonOrThrow();
                    correct += Losses.correct(logits, y);
                    lossSum += Losses.crossEntropy(logits, y).getFloat() * batch.length;
                }
                if (noisy) {
                    report("ue-eval", String.format("round %d accuracy so far %d/%d", round, correct, from + batch.length));
                }
            }
            return new double[] {(double) correct / images.size(), lossSum / images.size()};
        }

        List<int[]> shuffledBatches() {
            return Batches.shuffled(images.size(), config.batchSize(), rng);
        }

        void report(String phase, String message) {
            doneUnits++;
            progress.onProgress(new ProgressListener.Progress(phase, doneUnits, totalUnits, message, seconds(start)));
        }
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
