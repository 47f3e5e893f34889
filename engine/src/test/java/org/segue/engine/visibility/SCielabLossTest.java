package org.segue.engine.visibility;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.internal.RgbImage;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SCielabLossTest {

    private static float[] photoLike(int h, int w, long seed) {
        Random r = new Random(seed);
        float[] chw = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = 0.45 + 0.3 * Math.sin(x / (5.0 + c)) * Math.cos(y / 7.0) + 0.1 * r.nextGaussian();
                    chw[(c * h + y) * w + x] = (float) Math.min(1, Math.max(0, v));
                }
            }
        }
        return chw;
    }

    @Test
    void itIsTheMeasuresPipelineWithTheEuclideanDifference() {
        int h = 48;
        int w = 40;
        float[] a = photoLike(h, w, 1);
        float[] b = a.clone();
        Random r = new Random(2);
        for (int i = 0; i < b.length; i++) {
            b[i] = Math.min(1, Math.max(0, b[i] + (r.nextInt(17) - 8) / 255f + (i < h * w ? 4 / 255f : 0)));
        }
        for (double ppd : new double[] {20, 40}) {
            SCielab reference = new SCielab(ppd);
            double[][] la = reference.seenLab(new RgbImage(a, h, w));
            double[][] lb = reference.seenLab(new RgbImage(b, h, w));
            try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
                float[] map = new SCielabLoss(ppd).differenceMap(nd.create(a, new Shape(1, 3, h, w)),
                        nd.create(b, new Shape(1, 3, h, w))).toFloatArray();
                double largest = 0;
                for (int i = 0; i < h * w; i++) {
                    double expected = Math.sqrt(Math.pow(la[0][i] - lb[0][i], 2) + Math.pow(la[1][i] - lb[1][i], 2)
                            + Math.pow(la[2][i] - lb[2][i], 2));
                    largest = Math.max(largest, expected);
                    assertEquals(expected, map[i], 2e-3 + 2e-3 * expected, "pixel " + i + " at " + ppd + " px/degree");
                }
                assertTrue(largest > 1, "the change is visible somewhere: " + largest);
            }
        }
    }

    @Test
    void aColourCastCostsFarMoreThanFineColourNoiseOfTheSameAmplitude() {
        int h = 64;
        int w = 64;
        float[] grey = new float[3 * h * w];
        java.util.Arrays.fill(grey, 0.5f);
        float[] cast = grey.clone();
        float[] checker = grey.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = (h + y) * w + x;
                cast[g] += 8 / 255f;
                checker[g] += ((x + y) % 2 == 0 ? 8 : -8) / 255f;
                checker[(y * w) + x] -= ((x + y) % 2 == 0 ? 8 : -8) / 255f;
            }
        }
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            SCielabLoss loss = new SCielabLoss(40);
            NDArray base = nd.create(grey, new Shape(1, 3, h, w));
            float castCost = loss.mean(base, nd.create(cast, new Shape(1, 3, h, w))).getFloat();
            float checkerCost = loss.mean(base, nd.create(checker, new Shape(1, 3, h, w))).getFloat();
            assertTrue(castCost > 2, "a +8 green cast reads " + castCost);
            assertTrue(checkerCost < castCost / 10, "a one-pixel red-green checkerboard reads " + checkerCost
                    + " against the cast's " + castCost);
        }
    }

    @Test
    void itsGradientIsFiniteAndLowersTheDifference() {
        int h = 40;
        int w = 40;
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            NDArray x = nd.create(photoLike(h, w, 3), new Shape(2, 3, h, w / 2));
            NDArray delta = nd.randomUniform(-8 / 255f, 8 / 255f, x.getShape());
            delta.setRequiresGradient(true);
            SCielabLoss loss = new SCielabLoss(20);
            float before;
            float[] grad;
            try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                NDArray cost = loss.mean(x, x.add(delta));
                before = cost.getFloat();
                gc.backward(cost);
            }
            grad = delta.getGradient().toFloatArray();
            for (float g : grad) {
                assertTrue(Float.isFinite(g));
            }
            NDArray stepped = delta.sub(delta.getGradient().sign().mul(1 / 255f));
            float after = loss.mean(x, x.add(stepped)).getFloat();
            assertTrue(after < before, "one signed gradient step: " + before + " -> " + after);
        }
    }

    @Test
    void imagesSmallerThanTheFiltersAreRefused() {
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            NDArray tiny = nd.zeros(new Shape(1, 3, 16, 16));
            assertThrows(IllegalArgumentException.class, () -> new SCielabLoss(40).differenceMap(tiny, tiny));
        }
    }
}
