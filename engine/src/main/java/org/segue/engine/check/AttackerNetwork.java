package org.segue.engine.check;

import ai.djl.nn.AbstractBlock;
import org.segue.engine.internal.nn.ResNet18;

/**
 * The network an {@link Attacker} trains from scratch, by name. The product's check needs one, ResNet18
 * (the paper's main attacker); other architectures are supplied by whoever measures against them.
 *
 * @param name    recorded with every result ("resnet18", ...)
 * @param factory a new, uninitialised network taking (N,3,H,W) in [0,1] and returning logits
 */
public record AttackerNetwork(String name, Factory factory) {

    /** Builds an uninitialised network. */
    @FunctionalInterface
    public interface Factory {
        /**
         * @param smallInputStem keep the full resolution in the stem (stride-1 first convolution, no stem
         *                       max-pool), for small inputs
         */
        AbstractBlock create(int numClasses, boolean smallInputStem);
    }

    /** ResNet18 (11.2 M parameters for 10 classes). */
    public static final AttackerNetwork RESNET18 = new AttackerNetwork("resnet18", ResNet18::new);

    public AttackerNetwork {
        if (name == null || name.isBlank() || factory == null) {
            throw new IllegalArgumentException("an attacker network needs a name and a factory");
        }
    }

    /** A new, uninitialised network with {@code numClasses} logits. */
    public AbstractBlock create(int numClasses, boolean smallInputStem) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be positive, got " + numClasses);
        }
        return factory.create(numClasses, smallInputStem);
    }
}
