package org.segue.engine.training;

import java.util.List;

/**
 * How a training run ended.
 *
 * @param epochsCompleted last fully completed epoch (1-based; 0 when none)
 * @param stoppedEarly    the surrogate's loss fell below the early-stop threshold
 * @param cancelled       the caller cancelled; the checkpoint holds the last completed epoch
 * @param history         one entry per completed epoch
 * @param seconds         wall-clock seconds of this run (a resumed run counts its own time)
 * @param surrogateLossProtected final surrogate's mean CE on the protected training images (NaN if cancelled)
 * @param surrogateLossClean     its mean CE on the same images without protection: the gap between the
 *                               two shows how much of what the surrogate learned is the planted shortcut
 */
public record TrainingResult(int epochsCompleted, boolean stoppedEarly, boolean cancelled,
        List<EpochStats> history, double seconds, double surrogateLossProtected, double surrogateLossClean) {

    /**
     * Figures of one epoch.
     *
     * @param surrogateLoss     mean CE of the surrogate on protected images (NaN in epochs it did not train)
     * @param surrogateAccuracy its training accuracy on protected images (NaN likewise)
     * @param generatorCe       mean CE of the frozen surrogate on distorted protected images while G trained
     * @param lastBatchCe       that CE on the epoch's last batch (the early-stop criterion)
     * @param generatorL2       mean L2 norm of G's raw output
     * @param seconds           duration of the epoch
     * @param skippedSteps      optimiser steps of the epoch (either network) skipped for non-finite gradients
     * @param recogniserSimilarity mean similarity of the protected training faces to their originals, as the
     *                          embedding term's recogniser saw them (with its input diversity); NaN without the term
     */
    public record EpochStats(int epoch, double surrogateLoss, double surrogateAccuracy, double generatorCe,
            double lastBatchCe, double generatorL2, double seconds, int skippedSteps, double recogniserSimilarity) {

        public String toCsv() {
            return epoch + "," + surrogateLoss + "," + surrogateAccuracy + "," + generatorCe + "," + lastBatchCe
                    + "," + generatorL2 + "," + seconds + "," + skippedSteps + "," + recogniserSimilarity;
        }

        /**
         * Reads {@link #toCsv}; checkpoints written before steps could be skipped have 7 fields and skipped none, those
         * written before the similarity was kept have 8 and no similarity (NaN).
         */
        public static EpochStats fromCsv(String csv) {
            String[] f = csv.split(",");
            return new EpochStats(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]), f.length > 7 ? Integer.parseInt(f[7]) : 0,
                    f.length > 8 ? Double.parseDouble(f[8]) : Double.NaN);
        }
    }
}
