package org.segue.engine.training;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingResultTest {

    @Test
    void anEpochsFiguresSurviveTheCheckpointsTextAndOlderCheckpointsStillRead() {
        TrainingResult.EpochStats with = new TrainingResult.EpochStats(3, Double.NaN, Double.NaN, 1.25, 0.5, 4.5,
                61.0, 2, 0.934);
        assertEquals(with, TrainingResult.EpochStats.fromCsv(with.toCsv()));
        TrainingResult.EpochStats without = new TrainingResult.EpochStats(4, 0.75, 0.5, 1.0, 0.25, 4.0, 60.0, 0,
                Double.NaN);
        assertEquals(without, TrainingResult.EpochStats.fromCsv(without.toCsv()), "no embedding term: NaN");
        TrainingResult.EpochStats eight = TrainingResult.EpochStats.fromCsv("5,NaN,NaN,1.0,0.5,4.0,60.0,1");
        assertEquals(1, eight.skippedSteps());
        assertTrue(Double.isNaN(eight.recogniserSimilarity()), "a checkpoint from before the similarity was kept");
        TrainingResult.EpochStats seven = TrainingResult.EpochStats.fromCsv("6,0.5,0.75,1.0,0.5,4.0,60.0");
        assertEquals(0, seven.skippedSteps(), "a checkpoint from before steps could be skipped");
        assertTrue(Double.isNaN(seven.recogniserSimilarity()));
    }
}
