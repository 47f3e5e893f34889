package org.segue.lab.bench;

import org.segue.engine.training.TinyTrainings;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.training.SegueTrainer;
import org.segue.engine.training.TrainingConfig;
import org.segue.engine.training.TrainingResult;

import java.util.List;
import java.util.Locale;

/**
 * Margins of {@code SegueTrainerIT.trainsWithCodesOtherThanTheLabelNumbers}: after the 5-epoch tiny training
 * with four given codes, how far apart the perturbations of the four codes are (the side information telling
 * the classes apart), and how far each code's is from its label number's. Mean absolute differences, per seed.
 *
 * <p>{@code java -cp training-tool/lab/target/segue-lab.jar org.segue.lab.bench.TrainerCodes 0 1 2 3 4}
 */
public final class TrainerCodes {

    private TrainerCodes() {}

    public static void main(String[] args) throws Exception {
        int[] codes = {40000, 123, 65535, 7777};
        for (String a : args) {
            long seed = Long.parseLong(a);
            List<RgbImage> images = TinyTrainings.sameScene(64);
            TrainingConfig tiny = TinyTrainings.tinyConfig(5, seed);
            try (SegueModel model = TinyTrainings.freshModel(seed + 1, TinyTrainings.SIZE)) {
                TrainingResult r = new SegueTrainer(tiny).train(model, images, TinyTrainings.roundRobin(64),
                        TinyTrainings.CLASSES, codes, null, ProgressListener.NONE, Cancellation.none());
                float[][] byCode = new float[4][];
                float[][] byNumber = new float[4][];
                for (int c = 0; c < 4; c++) {
                    byCode[c] = model.perturbationsAtFullSize(images.subList(0, 1), new int[] {codes[c]},
                            TinyTrainings.EPS).get(0);
                    byNumber[c] = model.perturbationsAtFullSize(images.subList(0, 1), new int[] {c},
                            TinyTrainings.EPS).get(0);
                }
                double minBetweenCodes = Double.MAX_VALUE;
                for (int i = 0; i < 4; i++) {
                    for (int j = i + 1; j < 4; j++) {
                        minBetweenCodes = Math.min(minBetweenCodes, meanAbs(byCode[i], byCode[j]));
                    }
                }
                StringBuilder codeVsNumber = new StringBuilder();
                double maxCodeVsNumber = 0;
                for (int c = 0; c < 4; c++) {
                    double d = meanAbs(byCode[c], byNumber[c]);
                    maxCodeVsNumber = Math.max(maxCodeVsNumber, d);
                    codeVsNumber.append(String.format(Locale.ROOT, " %.4f", d));
                }
                System.out.printf(Locale.ROOT, "seed %d aten=%s | shortcut %.3f | min between codes %.4f | code vs "
                                + "number%s (max %.4f) | budget %.4f%n", seed,
                        System.getenv().getOrDefault("ATEN_CPU_CAPABILITY", "unset"),
                        r.surrogateLossProtected() / r.surrogateLossClean(), minBetweenCodes, codeVsNumber,
                        maxCodeVsNumber, TinyTrainings.EPS);
            }
        }
    }

    private static double meanAbs(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.abs(a[i] - b[i]);
        }
        return d / a.length;
    }
}
