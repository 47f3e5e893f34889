package org.segue.engine.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.segue.engine.data.Batches;
import org.segue.engine.data.RgbImage;
import org.segue.engine.nn.ResNet18;
import org.segue.engine.progress.Cancellation;
import org.segue.engine.progress.ProgressListener;
import org.segue.engine.runtime.DjlRuntime;
import org.segue.engine.train.Adam;
import org.segue.engine.train.Losses;
import org.segue.engine.train.TrainingConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The attacker of the evaluation protocol: a face classifier (torchvision-equivalent ResNet18)
 * trained from scratch on a (protected) training set and tested on clean images, with the authors'
 * protocol: Adam 5e-4, cosine schedule over a fixed number of epochs, no augmentation.
 */
public final class Attacker implements AutoCloseable {

    /**
     * Attacker training settings.
     *
     * @param epochs         training epochs
     * @param batchSize      images per step
     * @param learningRate   Adam learning rate, cosine-annealed per epoch
     * @param smallInputStem 3x3/1 stem without max-pool instead of torchvision's 7x7/2 + max-pool
     * @param seed           seed of initialisation and shuffling
     */
    public record Config(int epochs, int batchSize, float learningRate, boolean smallInputStem, long seed) {

        public static Config authors(int epochs) {
            return new Config(epochs, 16, 5e-4f, false, 0);
        }
    }

    /** Loss and accuracy of a model on a labelled set. */
    public record Score(double loss, double accuracy, int count) {}

    private final Config config;
    private final NDManager manager;
    private final ResNet18 network;
    private final ParameterStore store;

    private Attacker(Config config, int numClasses, int height, int width, Device device) {
        this.config = config;
        DjlRuntime.noGradientsOnThisThread();
        this.manager = DjlRuntime.engine().newBaseManager(device);
        DjlRuntime.engine().setRandomSeed((int) config.seed());
        this.network = new ResNet18(numClasses, config.smallInputStem());
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
        Random rng = new Random(config.seed());
        int steps = (images.size() + config.batchSize() - 1) / config.batchSize();
        long total = (long) steps * config.epochs();
        long done = 0;
        long start = System.nanoTime();
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            float lr = TrainingConfig.cosine(config.learningRate(), epoch, config.epochs());
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, rng);
            double lossSum = 0;
            int seen = 0;
            for (int i = 0; i < order.size(); i += config.batchSize()) {
                if (cancellation.isCancelled()) {
                    return false;
                }
                int[] batch = order.subList(i, Math.min(order.size(), i + config.batchSize())).stream()
                        .mapToInt(Integer::intValue).toArray();
                int[] y = Batches.select(labels, batch);
                try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
                    NDArray x = Batches.stack(step, images, batch);
                    try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                        NDArray loss = Losses.crossEntropy(network.forward(store, new NDList(x), true).singletonOrThrow(), y);
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

    /** Mean loss and accuracy on a labelled set (inference mode: BatchNorm running statistics). */
    public Score score(List<RgbImage> images, int[] labels) {
        DjlRuntime.noGradientsOnThisThread();
        double lossSum = 0;
        int correct = 0;
        int batchSize = 64;
        for (int i = 0; i < images.size(); i += batchSize) {
            int[] batch = new int[Math.min(batchSize, images.size() - i)];
            for (int j = 0; j < batch.length; j++) {
                batch[j] = i + j;
            }
            int[] y = Batches.select(labels, batch);
            try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
                NDArray logits = network.forward(store, new NDList(Batches.stack(step, images, batch)), false)
                        .singletonOrThrow();
                lossSum += Losses.crossEntropy(logits, y).getFloat() * batch.length;
                correct += Losses.correct(logits, y);
            }
        }
        return new Score(lossSum / images.size(), (double) correct / images.size(), images.size());
    }

    @Override
    public void close() {
        manager.close();
    }
}
