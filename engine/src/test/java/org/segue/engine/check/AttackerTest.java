package org.segue.engine.check;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import org.junit.jupiter.api.Test;
import org.segue.engine.internal.DjlRuntime;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The attacker's seed must not reproduce a network a protection method seeded with the same number:
 * the UE noise-finder is a ResNet18 built right after {@code setRandomSeed(seed)}, and an attacker
 * that started from its weights measured the noise-finder, not the noise.
 */
class AttackerTest {

    private static final int CLASSES = 10;
    private static final int SIZE = 32;

    @Test
    void anAttackerSeededSDoesNotStartFromTheWeightsOfANetworkSeededS() {
        for (long seed : new long[] {0, 1, 2}) {
            Attacker.Config config = new Attacker.Config(1, 16, 5e-4f, false, seed);
            float[] attacker = firstWeights(config);
            assertArrayEquals(attacker, firstWeights(config), "the same seed gives the same attacker (seed " + seed + ")");
            float[] protectionNetwork = firstWeightsSeededLikeAProtectionMethod(seed);
            assertFalse(Arrays.equals(attacker, protectionNetwork),
                    "attacker seed " + seed + " starts from the weights of a ResNet18 seeded " + seed);
        }
        assertNotEquals(new Attacker.Config(1, 16, 5e-4f, false, 0).streamSeed(),
                new Attacker.Config(1, 16, 5e-4f, false, 1).streamSeed(), "seeds 0 and 1 share their streams");
    }

    private static float[] firstWeights(Attacker.Config config) {
        try (Attacker attacker = new Attacker(config, CLASSES, SIZE, SIZE, DjlRuntime.defaultDevice())) {
            return attacker.parameters().get(0).getValue().getArray().toFloatArray();
        }
    }

    /** As {@code UnlearnableExamples} builds its noise-finder: the engine's seed set, then the network. */
    private static float[] firstWeightsSeededLikeAProtectionMethod(long seed) {
        try (NDManager manager = DjlRuntime.engine().newBaseManager(DjlRuntime.defaultDevice())) {
            DjlRuntime.engine().setRandomSeed((int) seed);
            AbstractBlock net = AttackerNetwork.RESNET18.create(CLASSES, false);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, SIZE, SIZE));
            return net.getParameters().get(0).getValue().getArray().toFloatArray();
        }
    }
}
