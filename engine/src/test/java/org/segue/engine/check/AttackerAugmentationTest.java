package org.segue.engine.check;

import org.junit.jupiter.api.Test;
import org.segue.engine.internal.RgbImage;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttackerAugmentationTest {

    static RgbImage constant(float v, int size) {
        float[] chw = new float[3 * size * size];
        java.util.Arrays.fill(chw, v);
        return new RgbImage(chw, size, size);
    }

    static RgbImage gradient(int size) {
        float[] chw = new float[3 * size * size];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (i % size) / (float) size;
        }
        return new RgbImage(chw, size, size);
    }

    @Test
    void noneKeepsTheBatch() {
        List<RgbImage> batch = List.of(gradient(8));
        AttackerAugmentation.Batch b = AttackerAugmentation.NONE.apply(batch, new int[] {3}, new Random(0));
        assertEquals(batch, b.images());
        assertEquals(1f, b.weight());
    }

    @Test
    void cutoutBlacksOutAtMostTwoHalfSideSquares() {
        RgbImage img = constant(1f, 32);
        RgbImage cut = AttackerAugmentation.cutout(img, 2, 0.5, new Random(4));
        int black = 0;
        for (float v : cut.chw()) {
            black += v == 0f ? 1 : 0;
        }
        assertTrue(black > 0 && black <= 3 * 2 * 16 * 16, "black values " + black);
        assertEquals(1f, img.chw()[0], "the input is not modified");
    }

    @Test
    void mixupAndCutmixWeighTheirLabelsByWhatTheyMixed() {
        List<RgbImage> batch = List.of(constant(0f, 16), constant(1f, 16));
        int[] labels = {0, 1};
        AttackerAugmentation.Batch mix = AttackerAugmentation.MIXUP.apply(batch, labels, new Random(7));
        for (int i = 0; i < 2; i++) {
            float own = batch.get(i).chw()[0];
            float other = labels[i] == mix.otherLabels()[i] ? own : 1 - own;
            assertEquals(mix.weight() * own + (1 - mix.weight()) * other, mix.images().get(i).chw()[5], 1e-6);
        }
        AttackerAugmentation.Batch cut = AttackerAugmentation.CUTMIX.apply(batch, labels, new Random(3));
        for (int i = 0; i < 2; i++) {
            if (cut.otherLabels()[i] != labels[i]) {
                float own = batch.get(i).chw()[0];
                long kept = 0;
                for (float v : cut.images().get(i).chw()) {
                    kept += v == own ? 1 : 0;
                }
                assertEquals(cut.weight(), kept / (float) (3 * 16 * 16), 1e-6, "label weight = area kept");
            }
        }
    }

    @Test
    void blurKeepsFlatRegionsAndSoftensEdges() {
        RgbImage flat = constant(0.4f, 12);
        for (float v : AttackerAugmentation.gaussianBlur5(flat, 1).chw()) {
            assertEquals(0.4f, v, 1e-6);
        }
        float[] step = new float[3 * 12 * 12];
        for (int i = 0; i < step.length; i++) {
            step[i] = (i % 12) < 6 ? 0f : 1f;
        }
        RgbImage blurred = AttackerAugmentation.gaussianBlur5(new RgbImage(step, 12, 12), 1);
        float nearEdge = blurred.get(0, 5, 5);
        assertTrue(nearEdge > 0.1f && nearEdge < 0.5f, "left of the edge " + nearEdge);
    }

    @Test
    void reframeIsIdentityWithoutMotionAndMovesOtherwise() {
        RgbImage img = gradient(20);
        RgbImage same = AttackerAugmentation.reframe(img, 1.0, 0, 0, new Random(1));
        for (int i = 0; i < img.chw().length; i++) {
            assertEquals(img.chw()[i], same.chw()[i], 1e-5);
        }
        RgbImage moved = AttackerAugmentation.reframe(img, 0.8, 0.08, 10, new Random(1));
        assertNotEquals(img.get(0, 10, 3), moved.get(0, 10, 3), 1e-4f);
    }
}
