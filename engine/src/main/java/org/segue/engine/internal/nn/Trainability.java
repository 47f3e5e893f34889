package org.segue.engine.internal.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Switching a network's weights between trainable and frozen. Freezing matters wherever only input
 * gradients are wanted (PGD against a network): unfrozen weights would collect gradients that the
 * next optimiser step would then apply.
 */
public final class Trainability {

    private Trainability() {}

    /** Freezes or unfreezes every weight of {@code net}; BatchNorm running statistics are not weights. */
    public static void freeze(Block net, boolean frozen) {
        for (Pair<String, Parameter> p : net.getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type != Parameter.Type.RUNNING_MEAN && type != Parameter.Type.RUNNING_VAR) {
                p.getValue().freeze(frozen);
            }
        }
    }
}
