package org.segue.engine.generator;

import ai.djl.nn.Parameter;

import java.util.Arrays;
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
    public static void load(Map<String, Parameter> params, Map<String, Tensor> tensors) {
        for (String name : tensors.keySet()) {
            if (!params.containsKey(name)) {
                throw new IllegalArgumentException("weights hold unknown tensor '" + name + "'");
            }
        }
        // Check everything before writing anything, so a mismatched file cannot load half-way.
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("weights lack tensor '" + e.getKey() + "'");
            }
            long[] expected = e.getValue().getArray().getShape().getShape();
            if (!Arrays.equals(expected, t.shape())) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has shape "
                        + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(expected));
            }
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            boolean grad = e.getValue().requiresGradient();
            // In-place writes into a leaf that requires grad are refused by autograd: detach first.
            e.getValue().freeze(true);
            e.getValue().getArray().set(tensors.get(e.getKey()).data());
            e.getValue().freeze(!grad);
        }
    }
}
