package org.segue.lab.bench;

import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.distortion.DistortionConfig;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.training.SegueTrainer;
import org.segue.engine.training.TinyTrainings;
import org.segue.engine.training.TrainingConfig;
import org.segue.engine.training.TrainingResult;

import java.util.List;
import java.util.Locale;

/**
 * Where the engine's tiny trainer tests land, seed by seed, so their assertions keep a margin that holds
 * on every CPU: run it once with {@code ATEN_CPU_CAPABILITY=default} and once without, with 1 and 2
 * libtorch threads ({@code -Dai.djl.pytorch.num_threads=1}). Prints one line per seed and training:
 * the ratios the tests assert on ({@code SegueTrainerIT}). {@code -Dmargins.robustOnly=true} runs the robust
 * training alone, {@code -Dmargins.robustEpochs=N} for N epochs (default 10).
 *
 * <p>{@code java -cp training-tool/lab/target/segue-lab.jar org.segue.lab.bench.TrainerMargins 0 1 2 3 4}
 */
public final class TrainerMargins {

    private TrainerMargins() {}

    public static void main(String[] args) throws Exception {
        for (String a : args) {
            long seed = Long.parseLong(a);
            List<RgbImage> images = TinyTrainings.sameScene(64);
            int[] labels = TinyTrainings.roundRobin(64);
            TrainingConfig tiny = TinyTrainings.tinyConfig(5, seed);
            boolean robustOnly = Boolean.getBoolean("margins.robustOnly");
            TrainingResult plain = robustOnly ? null : train(tiny, images, labels, seed, TinyTrainings.SIZE);
            TrainingResult band = robustOnly ? null : train(tiny.withPerturbationScale(2), images, labels, seed, TinyTrainings.SIZE / 2);
            int robustEpochs = Integer.getInteger("margins.robustEpochs", 10);
            TrainingConfig robust = new TrainingConfig(TinyTrainings.SIZE, robustEpochs, 16, 2e-3f, 1e-3f, 1e-3f, 1, 1e-4f, false,
                    TinyTrainings.EPS, DistortionConfig.authors().withAdversarial(4f / 255f, 2, true), seed);
            TrainingResult r = train(robust, images, labels, seed, TinyTrainings.SIZE);
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
        try (SegueModel model = TinyTrainings.freshModel(seed + 1, generatorSize)) {
            return new SegueTrainer(config).train(model, images, labels, TinyTrainings.CLASSES, null, ProgressListener.NONE,
                    Cancellation.none());
        }
    }
}
