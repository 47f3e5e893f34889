package org.segue.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import org.segue.engine.generator.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with PyTorch's semantics (bias-corrected moments, eps added after the square root, no weight
 * decay). Implemented here rather than DJL's so that its state can be checkpointed and restored,
 * which makes a resumed training continue exactly where it stopped. Gradients are cleared after
 * each update because libtorch accumulates them.
 */
public final class Adam {

    private final PairList<String, Parameter> parameters;
    private final float beta1 = 0.9f;
    private final float beta2 = 0.999f;
    private final float epsilon = 1e-8f;
    private final Map<String, NDArray> first = new HashMap<>();
    private final Map<String, NDArray> second = new HashMap<>();
    private long steps;

    public Adam(PairList<String, Parameter> parameters) {
        this.parameters = parameters;
    }

    public long steps() {
        return steps;
    }

    /**
     * One update of every trainable parameter that has a gradient, then gradients are zeroed. A step whose
     * gradients hold a NaN or an infinity is skipped whole (no weight, moment or step count changes), as mixed-
     * precision trainers skip overflowed steps: one bad batch must not turn every weight into NaN.
     *
     * @return whether the update was made
     */
    public boolean step(float learningRate) {
        if (!gradientsFinite()) {
            clearGradients();
            return false;
        }
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        float stepSize = (float) (learningRate / correction1);
        float sqrtCorrection2 = (float) Math.sqrt(correction2);
        try (NDScope scope = new NDScope()) {
            for (Pair<String, Parameter> p : parameters) {
                Parameter param = p.getValue();
                if (!param.requiresGradient()) {
                    continue;
                }
                NDArray w = param.getArray();
                if (!w.hasGradient()) {
                    continue;
                }
                NDArray g = w.getGradient();
                NDArray m = state(first, p.getKey(), w);
                NDArray v = state(second, p.getKey(), w);
                m.muli(beta1).addi(g.mul(1 - beta1));
                v.muli(beta2).addi(g.square().mul(1 - beta2));
                NDArray denominator = v.sqrt().div(sqrtCorrection2).add(epsilon);
                w.subi(m.div(denominator).mul(stepSize));
                g.subi(g);
            }
        }
        return true;
    }

    private boolean gradientsFinite() {
        try (NDScope scope = new NDScope()) {
            NDArray total = null;
            for (NDArray g : gradients()) {
                // a sum is NaN or infinite when any of its terms is, so one host read checks them all
                NDArray s = g.sum();
                total = total == null ? s : total.add(s);
            }
            return total == null || Float.isFinite(total.getFloat());
        }
    }

    /** Sets every gradient to 0; g - g would keep a NaN, so non-finite entries are overwritten first. */
    private void clearGradients() {
        try (NDScope scope = new NDScope()) {
            for (NDArray g : gradients()) {
                g.set(g.isNaN().logicalOr(g.isInfinite()), 0f);
                g.subi(g);
            }
        }
    }

    private List<NDArray> gradients() {
        List<NDArray> out = new ArrayList<>();
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            if (p.getValue().requiresGradient() && w.hasGradient()) {
                out.add(w.getGradient());
            }
        }
        return out;
    }

    private static NDArray state(Map<String, NDArray> states, String key, NDArray like) {
        NDArray s = states.get(key);
        if (s == null) {
            s = like.zerosLike();
            // Optimiser state outlives the step scope that created it.
            NDScope.unregister(s);
            s.attach(like.getManager());
            states.put(key, s);
        }
        return s;
    }

    /** Moments and step count as named tensors, for checkpoints. */
    public Map<String, Tensor> exportState() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("steps", new Tensor(new long[] {1}, new float[] {steps}));
        first.forEach((k, v) -> out.put("m/" + k, new Tensor(v.getShape().getShape(), v.toFloatArray())));
        second.forEach((k, v) -> out.put("v/" + k, new Tensor(v.getShape().getShape(), v.toFloatArray())));
        return out;
    }

    public void importState(Map<String, Tensor> state) {
        steps = (long) state.get("steps").data()[0];
        for (Pair<String, Parameter> p : parameters) {
            Tensor m = state.get("m/" + p.getKey());
            Tensor v = state.get("v/" + p.getKey());
            if (m != null && v != null) {
                NDArray w = p.getValue().getArray();
                state(first, p.getKey(), w).set(m.data());
                state(second, p.getKey(), w).set(v.data());
            }
        }
    }
}
