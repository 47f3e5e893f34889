package org.segue.lab.bench;

import org.segue.engine.training.TinyTrainings;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.training.TrainingConfig;

import java.util.List;
import java.util.Locale;

/**
 * How often the engine's tiny trainer test training diverges (a non-finite loss, which the trainer refuses
 * to save): the 5-epoch shortcut training of {@code SegueTrainerIT} for seeds FROM..TO-1, in one JVM, with
 * the kernels, threads and allocator settings of the environment. Prints each divergence and the count.
 *
 * <p>{@code java -cp training-tool/lab/target/segue-lab.jar org.segue.lab.bench.TrainerDivergence 0 30}
 */
public final class TrainerDivergence {

    private TrainerDivergence() {}

    public static void main(String[] args) throws Exception {
        int from = Integer.parseInt(args[0]);
        int to = Integer.parseInt(args[1]);
        int diverged = 0;
        long start = System.nanoTime();
        for (int seed = from; seed < to; seed++) {
            List<RgbImage> images = TinyTrainings.sameScene(64);
            TrainingConfig tiny = TinyTrainings.tinyConfig(5, seed);
            try {
                TrainerMargins.train(tiny, images, TinyTrainings.roundRobin(64), seed, TinyTrainings.SIZE);
            } catch (IllegalStateException e) {
                diverged++;
                System.out.println("seed " + seed + ": " + e.getMessage());
            }
        }
        System.out.printf(Locale.ROOT, "diverged %d of %d (aten=%s, threads=%s, keep-freed-memory=%s) in %.0f s%n",
                diverged, to - from, System.getenv().getOrDefault("ATEN_CPU_CAPABILITY", "unset"),
                System.getProperty("ai.djl.pytorch.num_threads", "default"),
                System.getProperty("segue.native.keep-freed-memory", "true"), (System.nanoTime() - start) / 1e9);
    }
}
