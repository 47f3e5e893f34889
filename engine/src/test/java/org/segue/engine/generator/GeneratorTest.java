package org.segue.engine.generator;

import org.segue.engine.sideinfo.LabelCode;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.generator.ModelInfo;
import org.segue.engine.internal.nn.Layers;
import org.segue.engine.generator.SegueGenerator;
import org.segue.engine.internal.DjlRuntime;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shapes, the L-inf clamp and the transposed convolution of the generator. */
class GeneratorTest {

    static SegueModel model(int size) {
        return SegueModel.create(new ModelInfo(SegueGenerator.ARCHITECTURE, Perturbation.DEFAULT_EPSILON, size, size,
                16, Map.of()), Device.cpu());
    }

    @Test
    void mapsEveryMultipleOf4BackOntoItsOwnSize() {
        try (SegueModel m = model(64); NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            for (int[] hw : new int[][] {{16, 16}, {64, 64}, {112, 112}, {96, 128}, {224, 224}}) {
                NDArray x = nd.randomUniform(0, 1, new Shape(2, 3, hw[0], hw[1]));
                NDArray raw = m.rawOutput(x, LabelCode.batch(nd, new int[] {0, 65535}, 16), false);
                assertEquals(new Shape(2, 3, hw[0], hw[1]), raw.getShape());
            }
        }
    }

    @Test
    void refusesSizesTheArchitectureCannotReproduce() {
        assertThrows(IllegalArgumentException.class, () -> SegueGenerator.checkInputSize(110, 112));
        assertThrows(IllegalArgumentException.class, () -> SegueGenerator.checkInputSize(12, 12));
    }

    @Test
    void perturbationStaysWithinEpsilonAndImagesWithinRange() {
        try (SegueModel m = model(32); NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            NDArray x = nd.randomUniform(0, 1, new Shape(4, 3, 32, 32));
            int[] labels = {0, 1, 2, 3};
            float[] delta = m.perturbation(x, labels).toFloatArray();
            float eps = Perturbation.DEFAULT_EPSILON;
            for (float d : delta) {
                assertTrue(Math.abs(d) <= eps + 1e-7f);
            }
            float[] p = m.protect(x, labels).toFloatArray();
            float[] orig = x.toFloatArray();
            for (int i = 0; i < p.length; i++) {
                assertTrue(p[i] >= 0f && p[i] <= 1f);
                assertTrue(Math.abs(p[i] - orig[i]) <= eps + 1e-6f);
            }
        }
    }

    @Test
    void wholeImagesOfAnySizeChangeByAtMostEightLevels() {
        Random r = new Random(3);
        float[] chw = new float[3 * 50 * 70];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = r.nextInt(256) / 255f;
        }
        RgbImage img = new RgbImage(chw, 50, 70);
        try (SegueModel m = model(32)) {
            RgbImage out = m.protectImages(List.of(img), new int[] {7}).get(0);
            assertEquals(50, out.height());
            assertEquals(70, out.width());
            int maxChange = 0;
            for (int i = 0; i < chw.length; i++) {
                maxChange = Math.max(maxChange, Math.abs(Math.round(out.chw()[i] * 255) - Math.round(chw[i] * 255)));
            }
            assertTrue(maxChange <= 8, "max change " + maxChange);
            assertTrue(maxChange > 0, "the image must change");
        }
    }

    @Test
    void protectingInBatchesKeepsEachImageWithItsOwnCode() {
        Random r = new Random(4);
        List<RgbImage> images = new java.util.ArrayList<>();
        for (int k = 0; k < 5; k++) {
            float[] chw = new float[3 * 32 * 32];
            for (int i = 0; i < chw.length; i++) {
                chw[i] = r.nextInt(256) / 255f;
            }
            images.add(new RgbImage(chw, 32, 32));
        }
        int[] codes = {3, 7, 11, 7, 19};
        try (SegueModel m = model(32)) {
            List<RgbImage> batched = m.protectImages(images, codes, 4 / 255f, 2);
            assertEquals(5, batched.size());
            for (int k = 0; k < 5; k++) {
                RgbImage alone = m.protectImages(List.of(images.get(k)), new int[] {codes[k]}, 4 / 255f).get(0);
                for (int i = 0; i < alone.chw().length; i++) {
                    assertEquals(alone.chw()[i], batched.get(k).chw()[i], 1e-5f, "image " + k);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> m.protectImages(images, new int[] {1, 2}, 4 / 255f, 2));
        }
    }

    @Test
    void dilationInsertsZerosBetweenPixels() {
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            NDArray x = nd.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
            float[] d = Layers.dilateWithZeros(x, 2).toFloatArray();
            assertEquals(9, d.length);
            float[] expected = {1, 0, 2, 0, 0, 0, 3, 0, 4};
            for (int i = 0; i < 9; i++) {
                assertEquals(expected[i], d[i]);
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"3,2", "6,1", "3,1", "4,3", "2,2", "5,2", "1,3"})
    void transposedConvolutionMatchesItsDefinition(int k, int s) {
        // out[o, y*s + i, x*s + j] += in[c, y, x] * w[c, o, i, j]: computed by hand with loops.
        int c = 2;
        int o = 3;
        int h = 4;
        Random r = new Random(5 + 7L * k + s);
        float[] in = new float[c * h * h];
        float[] w = new float[c * o * k * k];
        for (int i = 0; i < in.length; i++) {
            in[i] = r.nextFloat() - 0.5f;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextFloat() - 0.5f;
        }
        int oh = (h - 1) * s + k;
        float[] expected = new float[o * oh * oh];
        for (int ci = 0; ci < c; ci++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < h; x++) {
                    for (int oi = 0; oi < o; oi++) {
                        for (int i = 0; i < k; i++) {
                            for (int j = 0; j < k; j++) {
                                expected[(oi * oh + y * s + i) * oh + x * s + j] +=
                                        in[(ci * h + y) * h + x] * w[((ci * o + oi) * k + i) * k + j];
                            }
                        }
                    }
                }
            }
        }
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            org.segue.engine.generator.TransposedConv2d block = new org.segue.engine.generator.TransposedConv2d(o, k, s);
            block.initialize(nd, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, c, h, h));
            block.weight().getArray().set(w);
            float[] got = block.forward(new ai.djl.training.ParameterStore(nd, false),
                    new ai.djl.ndarray.NDList(nd.create(in, new Shape(1, c, h, h))), false).singletonOrThrow().toFloatArray();
            assertEquals(expected.length, got.length);
            for (int i = 0; i < got.length; i++) {
                assertEquals(expected[i], got[i], 1e-5);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void countsItsFloatingPointOperations() {
        // about 0.72 GFLOP per 224x224 face (issue 8's reference figure), a quarter of that at 112
        long f224 = org.segue.engine.generator.SegueGenerator.flopsPerImage(224, 224);
        long f112 = org.segue.engine.generator.SegueGenerator.flopsPerImage(112, 112);
        org.junit.jupiter.api.Assertions.assertEquals(0.724e9, f224, 0.005e9);
        org.junit.jupiter.api.Assertions.assertEquals(0.25, (double) f112 / f224, 0.02);
    }
}
