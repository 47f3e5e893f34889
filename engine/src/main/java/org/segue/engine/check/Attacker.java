package org.segue.engine.check;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.segue.engine.internal.Batches;
import org.segue.engine.internal.RgbImage;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.ParameterList;
import org.segue.engine.internal.nn.Trainability;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.training.Adam;
import org.segue.engine.training.Losses;
import org.segue.engine.training.TrainingConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The attacker of the evaluation protocol: a face classifier trained from scratch on a (protected)
 * training set and tested on clean images, with the authors' protocol (Adam 5e-4, cosine schedule
 * over a fixed number of epochs, no augmentation) and, on request, the counter-measures an attacker
 * can take: another architecture, data augmentation ({@link AttackerAugmentation}) and adversarial
 * training (PGD with radius rho_a on every batch).
 */
public final class Attacker implements AutoCloseable {

    /**
     * Attacker training settings.
     *
     * @param epochs            training epochs
     * @param batchSize         images per step
     * @param learningRate      Adam learning rate, cosine-annealed per epoch
     * @param smallInputStem    3x3/1 stem without down-sampling instead of the architecture's ImageNet stem
     * @param seed              the attacker's seed: its initial weights, batch order, augmentation and PGD
     *                          starts all come from {@link #streamSeed()}, derived from it
     * @param network           the network trained from scratch
     * @param augmentation      augmentation applied to every training batch
     * @param adversarialRadius rho_a of adversarial training (L-inf); 0 trains on the images as they are
     * @param adversarialSteps  PGD steps per batch (random start, step 2.5 rho_a / steps, as Madry et al.)
     */
    public record Config(int epochs, int batchSize, float learningRate, boolean smallInputStem, long seed,
                         AttackerNetwork network, AttackerAugmentation augmentation, float adversarialRadius,
                         int adversarialSteps) {

        public Config {
            if (epochs < 1 || batchSize < 1) {
                throw new IllegalArgumentException("epochs and batch size must be positive");
            }
            if (network == null || augmentation == null) {
                throw new IllegalArgumentException("an attacker needs a network and an augmentation (NONE for none)");
            }
            if (adversarialRadius < 0 || adversarialSteps < 0 || (adversarialRadius > 0 && adversarialSteps == 0)) {
                throw new IllegalArgumentException("adversarial training needs a radius >= 0 and, with a radius, steps > 0");
            }
        }

        /** ResNet18 without counter-measures. */
        public Config(int epochs, int batchSize, float learningRate, boolean smallInputStem, long seed) {
            this(epochs, batchSize, learningRate, smallInputStem, seed, AttackerNetwork.RESNET18, AttackerAugmentation.NONE, 0f, 0);
        }

        /** The network's name, as results record it. */
        public String architecture() {
            return network.name();
        }

        public static Config authors(int epochs) {
            return new Config(epochs, 16, 5e-4f, false, 0);
        }

        /**
         * The seed the attacker's random streams start from: {@link #seed()} mixed with a constant of its
         * own. The protection methods seed their own networks with small seeds too (the UE noise-finder
         * is a ResNet18 seeded like this attacker once was); an attacker seeded straight from the same
         * number starts from that network's weights and batch order, retraces it and reads a protection
         * that another start does not see (class-wise UE: 10.5% with the seed it was found with, 80.5%
         * with the next).
         */
        public long streamSeed() {
            return new SplittableRandom(seed ^ ATTACKER_STREAMS).nextLong();
        }
    }

    /** "attacker" in ASCII: sets the attacker's streams apart from any other seeded with the same number. */
    private static final long ATTACKER_STREAMS = 0x61747461636B6572L;

    /** Loss and accuracy of a model on a labelled set. */
    public record Score(double loss, double accuracy, int count) {}

    private final Config config;
    private final NDManager manager;
    private final AbstractBlock network;
    private final ParameterStore store;

    /** An untrained attacker (package-private for the test that compares its first weights). */
    Attacker(Config config, int numClasses, int height, int width, Device device) {
        this.config = config;
        DjlRuntime.noGradientsOnThisThread();
        this.manager = DjlRuntime.engine().newBaseManager(device);
        DjlRuntime.engine().setRandomSeed((int) config.streamSeed());
        this.network = config.network().create(numClasses, config.smallInputStem());
        network.initialize(manager, DataType.FLOAT32, new Shape(1, 3, height, width));
        this.store = new ParameterStore(manager, false);
    }

    /** Trains a fresh attacker on {@code images}/{@code labels}. Returns null when cancelled. */
    public static Attacker train(Config config, List<RgbImage> images, int[] labels, int numClasses,
                                 ProgressListener progress, Cancellation cancellation) {
        RgbImage first = images.get(0);
        Attacker a = new Attacker(config, numClasses, first.height(), first.width(), DjlRuntime.defaultDevice());
        if (!a.fit(images, labels, progress, cancellation)) {
            a.close();
            return null;
        }
        return a;
    }

    private boolean fit(List<RgbImage> images, int[] labels, ProgressListener progress, Cancellation cancellation) {
        Adam adam = new Adam(network.getParameters());
        Random rng = new Random(config.streamSeed());
        int steps = (images.size() + config.batchSize() - 1) / config.batchSize();
        long total = (long) steps * config.epochs();
        long done = 0;
        long start = System.nanoTime();
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            float lr = TrainingConfig.cosine(config.learningRate(), epoch, config.epochs());
            double lossSum = 0;
            int seen = 0;
            for (int[] batch : Batches.shuffled(images.size(), config.batchSize(), rng)) {
                if (cancellation.isCancelled()) {
                    return false;
                }
                int[] y = Batches.select(labels, batch);
                AttackerAugmentation.Batch augmented = config.augmentation().apply(pick(images, batch), y, rng);
                try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
                    NDArray x = Batches.stack(step, augmented.images());
                    if (config.adversarialRadius() > 0) {
                        x = x.add(adversarial(x, augmented, rng)).clip(0f, 1f);
                    }
                    try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                        NDArray loss = loss(network.forward(store, new NDList(x), true).singletonOrThrow(), augmented);
                        gc.backward(loss);
                        lossSum += loss.getFloat() * batch.length;
                        seen += batch.length;
                    }
                    adam.step(lr);
                }
                done++;
                progress.onProgress(new ProgressListener.Progress("attacker", done, total,
                        String.format("attacker epoch %d/%d loss %.4f", epoch + 1, config.epochs(), lossSum / seen),
                        (System.nanoTime() - start) / 1e9));
            }
        }
        return true;
    }

    private static List<RgbImage> pick(List<RgbImage> images, int[] indices) {
        List<RgbImage> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(images.get(i));
        }
        return out;
    }

    /** Cross-entropy, weighted between the two labels of a mixed batch. */
    private static NDArray loss(NDArray logits, AttackerAugmentation.Batch batch) {
        NDArray ce = Losses.crossEntropy(logits, batch.labels());
        if (batch.weight() >= 1f) {
            return ce;
        }
        return ce.mul(batch.weight()).add(Losses.crossEntropy(logits, batch.otherLabels()).mul(1f - batch.weight()));
    }

    /**
     * PGD from a random start that maximises the attacker's own loss within rho_a: training on these
     * images is the adversarial-training counter-measure. The weights are frozen meanwhile, so only
     * the input collects gradients.
     */
    private NDArray adversarial(NDArray x, AttackerAugmentation.Batch batch, Random rng) {
        float radius = config.adversarialRadius();
        float stepSize = 2.5f * radius / config.adversarialSteps();
        float[] start = new float[(int) x.getShape().size()];
        for (int i = 0; i < start.length; i++) {
            start[i] = (2 * rng.nextFloat() - 1) * radius;
        }
        NDArray delta = x.getManager().create(start, x.getShape()).toDevice(x.getDevice(), false);
        Trainability.freeze(network, true);
        try {
            for (int s = 0; s < config.adversarialSteps(); s++) {
                delta.setRequiresGradient(true);
                try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                    NDArray logits = network.forward(store, new NDList(x.add(delta).clip(0f, 1f)), true).singletonOrThrow();
                    gc.backward(loss(logits, batch));
                }
                NDArray grad = delta.getGradient();
                delta = delta.stopGradient().add(grad.sign().mul(stepSize)).clip(-radius, radius);
            }
        } finally {
            Trainability.freeze(network, false);
        }
        return delta.stopGradient();
    }

    /** Mean loss and accuracy on a labelled set (inference mode: BatchNorm running statistics). */
    public Score score(List<RgbImage> images, int[] labels) {
        double[] lossSum = {0};
        int[] correct = {0};
        inBatches(images, (batch, logits) -> {
            int[] y = Batches.select(labels, batch);
            lossSum[0] += Losses.crossEntropy(logits, y).getFloat() * batch.length;
            correct[0] += Losses.correct(logits, y);
        });
        return new Score(lossSum[0] / images.size(), (double) correct[0] / images.size(), images.size());
    }

    /** The network's logits for each image (inference mode), in input order. */
    public float[][] logits(List<RgbImage> images) {
        float[][] out = new float[images.size()][];
        inBatches(images, (batch, logits) -> {
            float[] flat = logits.toFloatArray();
            int classes = flat.length / batch.length;
            for (int j = 0; j < batch.length; j++) {
                out[batch[j]] = java.util.Arrays.copyOfRange(flat, j * classes, (j + 1) * classes);
            }
        });
        return out;
    }

    /** The network's logits for {@code images} in batches of 64 (inference mode), each batch's given with its indices. */
    private void inBatches(List<RgbImage> images, java.util.function.BiConsumer<int[], NDArray> onLogits) {
        DjlRuntime.noGradientsOnThisThread();
        int batchSize = 64;
        for (int i = 0; i < images.size(); i += batchSize) {
            int[] batch = new int[Math.min(batchSize, images.size() - i)];
            for (int j = 0; j < batch.length; j++) {
                batch[j] = i + j;
            }
            try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
                onLogits.accept(batch, network.forward(store, new NDList(Batches.stack(step, images, batch)), false)
                        .singletonOrThrow());
            }
        }
    }

    /** The network's parameters, first layer first (for tests). */
    ParameterList parameters() {
        return network.getParameters();
    }

    @Override
    public void close() {
        manager.close();
    }
}
