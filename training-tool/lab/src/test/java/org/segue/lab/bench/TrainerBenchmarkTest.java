package org.segue.lab.bench;

import org.segue.engine.training.TrainingConfig;
import ai.djl.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer benchmark on a tiny setting: timed steps of both kinds and the derived epoch figures. */
class TrainerBenchmarkTest {

    @Test
    void timesBothStepsAndDerivesTheEpochCost() {
        TrainingConfig config = TrainingConfig.cpu().withInputSize(16).withBatchSize(2);
        TrainerBenchmark.Result r = TrainerBenchmark.measure(config, 2, 3, 0, 2, Device.cpu());
        assertEquals(2, r.generatorSeconds().length);
        assertEquals(2, r.surrogateSeconds().length);
        assertEquals(4, r.images());
        assertTrue(r.generatorMedian() > 0 && r.surrogateMedian() > 0);
        // WebFace10: ceil(1300 / 2) steps; the surrogate trains in epochs 1, 6, 11, 16 of 20
        assertEquals(650, r.stepsPerEpoch(1300));
        assertEquals(4, r.surrogateEpochs());
        double g = r.generatorMedian();
        double s = r.surrogateMedian();
        assertEquals(650 * (g + s / 5), r.meanEpochSeconds(1300), 1e-9);
        assertEquals(650 * (20 * g + 4 * s), r.runSeconds(1300), 1e-9);
    }
}
