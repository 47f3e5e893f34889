package org.segue.engine.api;

import java.nio.file.Path;
import java.util.List;

/**
 * How a training job ended.
 *
 * @param model                  the model file written; null when the job was cancelled (its checkpoint stays:
 *                               running the same job again resumes)
 * @param epochs                 the figures of each epoch of the stage that ran last
 * @param surrogateLossProtected the final surrogate's loss on the protected training faces (low: the shortcut holds)
 * @param surrogateLossClean     its loss on the same faces clean (high: the shortcut is all it learnt)
 */
public record TrainingOutcome(Path model, List<Epoch> epochs, double surrogateLossProtected, double surrogateLossClean) {

    /**
     * Figures of one epoch (NaN where the surrogate did not train that epoch); {@code skippedSteps} counts the
     * optimiser steps left out because a batch gave a non-finite gradient; {@code recogniserSimilarity} is the mean
     * similarity of the protected training faces to their originals as the embedding term's recogniser saw them (NaN
     * without the term).
     */
    public record Epoch(int epoch, double surrogateLoss, double surrogateAccuracy, double generatorCe,
                        double lastBatchCe, double generatorL2, double seconds, int skippedSteps,
                        double recogniserSimilarity) {

        /** Whether the surrogate trained in this epoch (it trains every few epochs only). */
        public boolean surrogateTrained() {
            return !Double.isNaN(surrogateLoss);
        }
    }

    public boolean cancelled() {
        return model == null;
    }
}
