package org.segue.lab.bench;

import ai.djl.Device;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.distortion.DistortionConfig;
import org.segue.engine.generator.ModelInfo;
import org.segue.engine.generator.SegueGenerator;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.training.SegueTrainer;
import org.segue.engine.training.TrainingConfig;
import org.segue.engine.training.TrainingResult;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the engine's tiny trainer tests land, seed by seed, so their assertions keep a margin that holds
 * on every CPU: run it once with {@code ATEN_CPU_CAPABILITY=default} and once without, with 1 and 2
 * libtorch threads ({@code -Dai.djl.pytorch.num_threads=1}). Prints one line per seed and training:
 * the ratios the tests assert on ({@code SegueTrainerTest}). {@code -Dmargins.robustOnly=true} runs the robust
 * training alone, {@code -Dmargins.robustEpochs=N} for N epochs (default 10).
 *
 * <p>{@code java -cp training-tool/lab/target/segue-lab.jar org.segue.lab.bench.TrainerMargins 0 1 2 3 4}
 */
public final class TrainerMargins {

    static final int SIZE = 32;
    static final int CLASSES = 4;
    static final float EPS = 16f / 255f;

    private TrainerMargins() {}

    public static void main(String[] args) throws Exception {
        for (String a : args) {
            long seed = Long.parseLong(a);
            List<RgbImage> images = sameScene(64);
            int[] labels = roundRobin(64);
            TrainingConfig tiny = new TrainingConfig(SIZE, 5, 16, 2e-3f, 1e-3f, 1e-3f, 1, 1e-4f, false, EPS,
                    DistortionConfig.authors().withAdversarial(1f / 255f, 1), seed);
            boolean robustOnly = Boolean.getBoolean("margins.robustOnly");
            TrainingResult plain = robustOnly ? null : train(tiny, images, labels, seed, SIZE);
            TrainingResult band = robustOnly ? null : train(tiny.withPerturbationScale(2), images, labels, seed, SIZE / 2);
            int robustEpochs = Integer.getInteger("margins.robustEpochs", 10);
            TrainingConfig robust = new TrainingConfig(SIZE, robustEpochs, 16, 2e-3f, 1e-3f, 1e-3f, 1, 1e-4f, false, EPS,
                    DistortionConfig.authors().withAdversarial(4f / 255f, 2, true), seed);
            TrainingResult r = train(robust, images, labels, seed, SIZE);
            List<TrainingResult.EpochStats> h = r.history();
            int last = h.size() - 1;
            double lastThree = (h.get(last - 2).generatorCe() + h.get(last - 1).generatorCe() + h.get(last).generatorCe()) / 3;
            System.out.printf(Locale.ROOT, "seed %d aten=%s threads=%s | shortcut protected/clean %.3f (clean %.3f) | "
                            + "band-limited %.3f | robust CE epoch1 %.3f last epoch %.3f ratio %.3f, last-three mean ratio %.3f%n",
                    seed, System.getenv().getOrDefault("ATEN_CPU_CAPABILITY", "unset"),
                    System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    robustOnly ? Double.NaN : plain.surrogateLossProtected() / plain.surrogateLossClean(),
                    robustOnly ? Double.NaN : plain.surrogateLossClean(),
                    robustOnly ? Double.NaN : band.surrogateLossProtected() / band.surrogateLossClean(),
                    h.get(0).generatorCe(), h.get(last).generatorCe(), h.get(last).generatorCe() / h.get(0).generatorCe(),
                    lastThree / h.get(0).generatorCe());
            System.out.printf(Locale.ROOT, "seed %d robust surrogate loss protected/clean %.3f (clean %.3f)%n", seed,
                    r.surrogateLossProtected() / r.surrogateLossClean(), r.surrogateLossClean());
            for (TrainingResult t : robustOnly ? List.of(r) : List.of(plain, band, r)) {
                if (t.history().stream().anyMatch(s -> Double.isNaN(s.generatorCe()) || Double.isNaN(s.generatorL2()))
                        || Double.isNaN(t.surrogateLossClean())) {
                    t.history().forEach(s -> System.out.println("seed " + seed + " not finite: " + s));
                }
            }
        }
    }

    static TrainingResult train(TrainingConfig config, List<RgbImage> images, int[] labels, long seed,
                                        int generatorSize) throws Exception {
        DjlRuntime.engine().setRandomSeed((int) seed + 1);
        ModelInfo info = new ModelInfo(SegueGenerator.ARCHITECTURE, EPS, generatorSize, generatorSize, 16, Map.of());
        try (SegueModel model = SegueModel.create(info, Device.cpu())) {
            return new SegueTrainer(config).train(model, images, labels, CLASSES, null, ProgressListener.NONE,
                    Cancellation.none());
        }
    }

    /** One scene repeated: labels cannot be learnt from the clean images, only from what G plants. */
    static List<RgbImage> sameScene(int n) {
        float[] chw = new float[3 * SIZE * SIZE];
        for (int j = 0; j < chw.length; j++) {
            int x = j % SIZE;
            int y = (j / SIZE) % SIZE;
            int c = j / (SIZE * SIZE);
            chw[j] = 0.3f + 0.2f * (float) (Math.sin(x * 0.3) * Math.cos(y * 0.2)) + 0.1f * c;
        }
        return Collections.nCopies(n, new RgbImage(chw, SIZE, SIZE));
    }

    static int[] roundRobin(int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
        }
        return labels;
    }
}
