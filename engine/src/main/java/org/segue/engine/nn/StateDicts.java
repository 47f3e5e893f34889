package org.segue.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.Map;

/** Copying named tensors into and out of a model's parameters (checked by name and shape). */
public final class StateDicts {

    private StateDicts() {}

    /** Snapshot of every parameter as a host float array. */
    public static Map<String, Tensor> export(Map<String, Parameter> params) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        params.forEach((name, p) -> out.put(name, new Tensor(p.getArray().getShape().getShape(), p.getArray().toFloatArray())));
        return out;
    }

    /**
     * Loads tensors into parameters. Every parameter must be present with the right shape; extra
     * tensors are refused too, so a file for another architecture cannot load half-way.
     */
    public static void load(Map<String, Parameter> params, Map<String, Tensor> tensors, boolean ignoreUnknown) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("weights lack tensor '" + e.getKey() + "'");
            }
            NDArray target = e.getValue().getArray();
            long[] expected = target.getShape().getShape();
            if (!java.util.Arrays.equals(expected, t.shape())) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has shape "
                        + java.util.Arrays.toString(t.shape()) + ", expected " + java.util.Arrays.toString(expected));
            }
            boolean grad = e.getValue().requiresGradient();
            // In-place writes into a leaf that requires grad are refused by autograd: detach first.
            e.getValue().freeze(true);
            target.set(t.data());
            e.getValue().freeze(!grad);
        }
        if (!ignoreUnknown) {
            for (String name : tensors.keySet()) {
                if (!params.containsKey(name)) {
                    throw new IllegalArgumentException("weights hold unknown tensor '" + name + "'");
                }
            }
        }
    }
}
