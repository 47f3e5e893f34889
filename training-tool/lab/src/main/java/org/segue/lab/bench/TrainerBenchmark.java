package org.segue.lab.bench;

import org.segue.engine.training.SegueTrainer;
import org.segue.engine.training.TrainingConfig;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.segue.engine.sideinfo.LabelCode;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.generator.ModelInfo;
import org.segue.engine.generator.SegueGenerator;
import org.segue.engine.internal.DjlRuntime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The trainer's cost: times single surrogate and generator steps of {@link SegueTrainer} (its own
 * step code, {@code Run.surrogateStep} and {@code Run.generatorStep}) on synthetic random images,
 * with a fresh generator and surrogate, and derives the cost of an epoch.
 *
 * <p>As in epoch 1 of a training run, the surrogate steps come first (surrogate unfrozen), then the
 * generator steps (surrogate frozen). Each kind gets {@code warmUp} untimed steps, then
 * {@code steps} timed ones; the steps cycle through the synthetic batches.
 */
public final class TrainerBenchmark {

    private TrainerBenchmark() {
    }

    /**
     * Seconds of every timed step (in the order they ran).
     *
     * @param config the recipe measured (input size, batch size, distortion with its PGD steps...)
     */
    public record Result(TrainingConfig config, int images, int classes, double[] generatorSeconds,
                         double[] surrogateSeconds) {

        public double generatorMedian() {
            return median(generatorSeconds);
        }

        public double surrogateMedian() {
            return median(surrogateSeconds);
        }

        /** Optimiser steps in one pass over {@code n} images: ceil(n / batch), the last batch counted as full. */
        public int stepsPerEpoch(int n) {
            return (n + config.batchSize() - 1) / config.batchSize();
        }

        /** Seconds of the generator's pass over {@code n} images (every epoch): steps x median generator step. */
        public double generatorEpochSeconds(int n) {
            return stepsPerEpoch(n) * generatorMedian();
        }

        /** Seconds of the surrogate's pass over {@code n} images (epochs 1, 1+k, 1+2k...): steps x median surrogate step. */
        public double surrogateEpochSeconds(int n) {
            return stepsPerEpoch(n) * surrogateMedian();
        }

        /** Mean seconds per epoch: steps x (generator step + surrogate step / k), k = the surrogate interval. */
        public double meanEpochSeconds(int n) {
            return generatorEpochSeconds(n) + surrogateEpochSeconds(n) / config.surrogateEvery();
        }

        /** Seconds of the config's whole run (no early stop): E generator passes + the epochs the surrogate trains in. */
        public double runSeconds(int n) {
            return config.epochs() * generatorEpochSeconds(n) + surrogateEpochs() * surrogateEpochSeconds(n);
        }

        /** Epochs of the config's run in which the surrogate trains. */
        public int surrogateEpochs() {
            int count = 0;
            for (int e = 1; e <= config.epochs(); e++) {
                count += config.surrogateTrainsIn(e) ? 1 : 0;
            }
            return count;
        }
    }

    /**
     * Measures {@code config} on {@code batches x batchSize} random images of {@code classes}
     * labels (round-robin), on {@code device}.
     */
    public static Result measure(TrainingConfig config, int batches, int classes, int warmUp, int steps, Device device) {
        if (batches < 1 || classes < 1 || warmUp < 0 || steps < 1) {
            throw new IllegalArgumentException("need at least one batch, one class and one timed step");
        }
        int n = batches * config.batchSize();
        Random random = new Random(config.seed());
        List<RgbImage> images = new ArrayList<>(n);
        int[] labels = new int[n];
        int size = config.inputSize();
        for (int i = 0; i < n; i++) {
            float[] chw = new float[3 * size * size];
            for (int j = 0; j < chw.length; j++) {
                chw[j] = random.nextFloat();
            }
            images.add(new RgbImage(chw, size, size));
            labels[i] = i % classes;
        }
        DjlRuntime.engine().setRandomSeed((int) config.seed());
        ModelInfo info = new ModelInfo(SegueGenerator.ARCHITECTURE, config.epsilon(), config.generatorSize(),
                config.generatorSize(), LabelCode.DEFAULT_BITS, Map.of());
        try (SegueModel model = SegueModel.create(info, device);
             NDManager surrogateManager = DjlRuntime.engine().newBaseManager(device)) {
            SegueTrainer.Run run = new SegueTrainer(config).benchmarkRun(model, images, labels, classes, surrogateManager);
            Random rng = new Random(config.seed());
            List<int[]> order = run.batches(rng);
            double[] surrogate = new double[steps];
            run.surrogateTrainable(true);
            for (int i = 0; i < warmUp + steps; i++) {
                long t0 = System.nanoTime();
                run.surrogateStep(order.get(i % order.size()), config.surrogateLr(), rng);
                if (i >= warmUp) {
                    surrogate[i - warmUp] = (System.nanoTime() - t0) / 1e9;
                }
            }
            double[] generator = new double[steps];
            run.surrogateTrainable(false);
            for (int i = 0; i < warmUp + steps; i++) {
                long t0 = System.nanoTime();
                run.generatorStep(order.get(i % order.size()), config.generatorLr(), rng);
                if (i >= warmUp) {
                    generator[i - warmUp] = (System.nanoTime() - t0) / 1e9;
                }
            }
            return new Result(config, n, classes, generator, surrogate);
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
