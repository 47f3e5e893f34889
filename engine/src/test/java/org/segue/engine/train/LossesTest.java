package org.segue.engine.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.segue.engine.runtime.DjlRuntime;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LossesTest {

    @Test
    void binaryCrossEntropyMatchesItsDefinitionAndSurvivesLargeLogits() {
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            float[] z = {-2f, 0f, 0.5f, 3f};
            float[] t = {0f, 1f, 1f, 0f};
            double expected = 0;
            for (int i = 0; i < z.length; i++) {
                double p = 1 / (1 + Math.exp(-z[i]));
                expected -= t[i] * Math.log(p) + (1 - t[i]) * Math.log(1 - p);
            }
            expected /= z.length;
            assertEquals(expected, Losses.binaryCrossEntropyWithLogits(nd.create(z), nd.create(t)).getFloat(), 1e-5);
            // |z| = 200: exp(200) overflows a float, the loss must not: 200 for each wrong sign, 0 for each right one
            float big = Losses.binaryCrossEntropyWithLogits(nd.create(new float[] {200f, -200f, 200f, -200f}),
                    nd.create(new float[] {0f, 1f, 1f, 0f})).getFloat();
            assertEquals(100f, big, 1e-3);
        }
    }
}
