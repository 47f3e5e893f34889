package org.segue.engine.check;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import org.junit.jupiter.api.Test;
import org.segue.engine.internal.DjlRuntime;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void logitsAreGivenPerImageInInputOrderAndAgreeWithTheScore() {
        java.util.Random rng = new java.util.Random(5);
        java.util.List<org.segue.engine.internal.RgbImage> images = new java.util.ArrayList<>();
        int[] labels = new int[70]; // more than one batch of 64
        for (int i = 0; i < labels.length; i++) {
            float[] chw = new float[3 * SIZE * SIZE];
            for (int k = 0; k < chw.length; k++) {
                chw[k] = rng.nextFloat();
            }
            images.add(new org.segue.engine.internal.RgbImage(chw, SIZE, SIZE));
            labels[i] = i % CLASSES;
        }
        try (Attacker attacker = new Attacker(new Attacker.Config(1, 16, 5e-4f, false, 0), CLASSES, SIZE, SIZE,
                DjlRuntime.defaultDevice())) {
            float[][] logits = attacker.logits(images);
            assertEquals(images.size(), logits.length);
            int correct = 0;
            for (int i = 0; i < logits.length; i++) {
                assertEquals(CLASSES, logits[i].length);
                int best = 0;
                for (int c = 1; c < CLASSES; c++) {
                    best = logits[i][c] > logits[i][best] ? c : best;
                }
                correct += best == labels[i] ? 1 : 0;
            }
            assertEquals(correct / (double) images.size(), attacker.score(images, labels).accuracy(), 1e-12);
            float[][] last = attacker.logits(images.subList(69, 70));
            assertArrayEquals(logits[69], last[0], 1e-4f, "the last image's logits do not depend on its batch");
        }
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
