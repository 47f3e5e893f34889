package org.segue.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import org.junit.jupiter.api.Test;
import org.segue.engine.internal.DjlRuntime;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamTest {

    private static final float LR = 0.01f;

    @Test
    void aStepWithANonFiniteGradientChangesNothingAndLeavesTheNextStepAsIfItHadNotHappened() {
        DjlRuntime.noGradientsOnThisThread();
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            PairList<String, Parameter> params = parameter(manager, new float[] {1f, -2f, 3f});
            NDArray w = params.get(0).getValue().getArray();
            Adam adam = new Adam(params);

            backward(w, x -> x.mul(Float.NaN).sum());
            assertFalse(adam.step(LR), "a NaN gradient is not applied");
            assertArrayEquals(new float[] {1f, -2f, 3f}, w.toFloatArray(), "weights untouched");
            assertEquals(0, adam.steps(), "a skipped step does not count");

            backward(w, x -> x.square().sum());
            assertTrue(adam.step(LR));
            // Adam's first step moves each weight by lr in the gradient's sign: the NaN left nothing behind
            assertArrayEquals(new float[] {1f - LR, -2f + LR, 3f - LR}, w.toFloatArray(), 1e-6f);
            assertEquals(1, adam.steps());
        }
    }

    @Test
    void anInfiniteGradientIsSkippedToo() {
        DjlRuntime.noGradientsOnThisThread();
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            PairList<String, Parameter> params = parameter(manager, new float[] {0f, 1f});
            NDArray w = params.get(0).getValue().getArray();
            Adam adam = new Adam(params);
            backward(w, x -> x.sqrt().sum()); // d sqrt(x)/dx at 0 is infinite
            assertFalse(adam.step(LR));
            assertArrayEquals(new float[] {0f, 1f}, w.toFloatArray());
        }
    }

    private static PairList<String, Parameter> parameter(NDManager manager, float[] values) {
        Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
        NDArray array = manager.create(values);
        array.setRequiresGradient(true);
        p.setArray(array);
        PairList<String, Parameter> params = new PairList<>();
        params.add("w", p);
        return params;
    }

    private static void backward(NDArray w, Function<NDArray, NDArray> loss) {
        try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
            gc.backward(loss.apply(w));
        }
    }
}
