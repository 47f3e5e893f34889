package org.segue.engine.internal.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.segue.engine.internal.DjlRuntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LayersTest {

    @Test
    void fusedInstanceNormEqualsItsDefinitionWithGradients() {
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            NDArray x = nd.randomNormal(0.3f, 2f, new Shape(2, 3, 7, 5), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray weights = nd.randomUniform(-1, 1, new Shape(2, 3, 7, 5));
            float[][] out = new float[2][];
            float[][] grad = new float[2][];
            for (int k = 0; k < 2; k++) {
                NDArray input = x.duplicate();
                input.setRequiresGradient(true);
                try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                    NDArray y = k == 0 ? Layers.instanceNorm(input) : Layers.instanceNormReference(input);
                    gc.backward(y.mul(weights).sum());
                    out[k] = y.toFloatArray();
                }
                grad[k] = input.getGradient().toFloatArray();
            }
            assertArrayEquals(out[1], out[0], 1e-5f);
            assertArrayEquals(grad[1], grad[0], 1e-4f);
            assertEquals(0f, Layers.instanceNorm(x).get("0, 1").mean().getFloat(), 1e-5);
        }
    }
}
