package org.segue.lab.recognisers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.face.CropFraming;
import org.segue.engine.internal.RgbImage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The graph interpreter against TensorFlow's semantics computed by hand: a fused convolution (bias, ReLU) with SAME
 * padding, then a depthwise convolution of stride 2 whose SAME padding is asymmetric (TensorFlow pads the extra row
 * and column after, not before), then a mean over height and width; pixels fed as {@code scale * x + offset}.
 */
class TfjsGraphEmbedderTest {

    private static final int SIZE = 8; // stride 2 on 8 pixels with a 3x3 kernel: 0 before, 1 after
    private static final float SCALE = 2f;
    private static final float OFFSET = -0.5f;

    private final Random rng = new Random(5);
    private final float[] conv = random(3 * 3 * 3 * 2); // [h, w, in, out]
    private final float[] bias = random(2);
    private final float[] depthwise = random(3 * 3 * 2); // [h, w, in, multiplier 1]

    @Test
    void itComputesWhatTensorFlowWould(@TempDir Path dir) throws IOException {
        Path model = writeModel(dir, "Mean");
        RgbImage face = randomFace();
        float[][] expected = reference(face);
        try (TfjsGraphEmbedder features = new TfjsGraphEmbedder(model, "depthwise", CropFraming.of(SIZE, 0), SCALE, OFFSET);
             TfjsGraphEmbedder pooled = new TfjsGraphEmbedder(model, "pooled", CropFraming.of(SIZE, 0), SCALE, OFFSET)) {
            assertEquals(4 * 4 * 2, features.dimension());
            assertArrayEquals(unit(expected[0]), features.embed(List.of(face))[0], 1e-5f, "NHWC order, asymmetric SAME");
            assertEquals(2, pooled.dimension());
            assertArrayEquals(unit(expected[1]), pooled.embed(List.of(face, face))[1], 1e-5f, "the mean over H and W");
        }
    }

    /**
     * As a surrogate: forward gives the raw pooled values of a batch, and its gradient with respect to the pixels
     * matches a central finite difference of the hand-computed reference.
     */
    @Test
    void itsGradientReachesThePixels(@TempDir Path dir) throws IOException {
        Path model = writeModel(dir, "Mean");
        RgbImage face = randomFace();
        float[] pixels = face.chw();
        int probe = SIZE * SIZE + 3 * SIZE + 4; // green, row 3, column 4
        float h = 1e-2f;
        float[] up = pixels.clone();
        float[] down = pixels.clone();
        up[probe] += h;
        down[probe] -= h;
        float numeric = (reference(new RgbImage(up, SIZE, SIZE))[1][0]
                - reference(new RgbImage(down, SIZE, SIZE))[1][0]) / (2 * h);
        try (TfjsGraphEmbedder pooled = new TfjsGraphEmbedder(model, "pooled", CropFraming.of(SIZE, 0), SCALE, OFFSET);
             NDManager manager = NDManager.newBaseManager()) {
            NDArray crops = manager.create(face.chw(), new Shape(1, 3, SIZE, SIZE));
            crops.setRequiresGradient(true);
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray out = pooled.forward(crops);
                assertArrayEquals(reference(face)[1], out.toFloatArray(), 1e-5f, "raw, not normalised");
                gc.backward(out.get(":, 0").sum());
            }
            float analytic = crops.getGradient().toFloatArray()[probe];
            assertTrue(Math.abs(numeric) > 1e-3, "the probed pixel matters: " + numeric);
            assertEquals(numeric, analytic, 2e-3f + 0.02f * Math.abs(numeric));
            assertThrows(IllegalArgumentException.class,
                    () -> pooled.forward(manager.zeros(new Shape(1, 3, SIZE + 1, SIZE + 1))));
        }
    }

    @Test
    void anOperationItDoesNotKnowStopsTheLoadWithItsName(@TempDir Path dir) throws IOException {
        Path model = writeModel(dir, "Erf");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new TfjsGraphEmbedder(model, "pooled", CropFraming.of(SIZE, 0), SCALE, OFFSET));
        assertTrue(e.getMessage().contains("Erf") && e.getMessage().contains("pooled"), e.getMessage());
    }

    /** {depthwise output flattened NHWC, its mean over height and width}. */
    private float[][] reference(RgbImage face) {
        float[] x = face.chw();
        float[][][] in = new float[SIZE][SIZE][3];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIZE; y++) {
                for (int z = 0; z < SIZE; z++) {
                    in[y][z][c] = SCALE * x[(c * SIZE + y) * SIZE + z] + OFFSET;
                }
            }
        }
        float[][][] hidden = new float[SIZE][SIZE][2];
        int cut = 0;
        for (int y = 0; y < SIZE; y++) {
            for (int z = 0; z < SIZE; z++) {
                for (int o = 0; o < 2; o++) {
                    float s = bias[o];
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kz = 0; kz < 3; kz++) {
                            int sy = y + ky - 1; // stride 1, SAME: one row and column each side
                            int sz = z + kz - 1;
                            if (sy < 0 || sz < 0 || sy >= SIZE || sz >= SIZE) {
                                continue;
                            }
                            for (int c = 0; c < 3; c++) {
                                s += in[sy][sz][c] * conv[((ky * 3 + kz) * 3 + c) * 2 + o];
                            }
                        }
                    }
                    hidden[y][z][o] = Math.max(0, s);
                    cut += s < 0 ? 1 : 0;
                }
            }
        }
        assertTrue(cut > 0 && cut < SIZE * SIZE * 2, "the ReLU cuts some values and keeps others: " + cut);
        int out = SIZE / 2;
        float[] flat = new float[out * out * 2];
        float[] mean = new float[2];
        for (int y = 0; y < out; y++) {
            for (int z = 0; z < out; z++) {
                for (int c = 0; c < 2; c++) {
                    float s = 0;
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kz = 0; kz < 3; kz++) {
                            int sy = 2 * y + ky; // no padding before; the row after the last is zero
                            int sz = 2 * z + kz;
                            if (sy < SIZE && sz < SIZE) {
                                s += hidden[sy][sz][c] * depthwise[(ky * 3 + kz) * 2 + c];
                            }
                        }
                    }
                    flat[(y * out + z) * 2 + c] = s;
                    mean[c] += s / (out * out);
                }
            }
        }
        return new float[][] {flat, mean};
    }

    private Path writeModel(Path dir, String poolingOp) throws IOException {
        ByteBuffer weights = ByteBuffer.allocate(4 * (conv.length + bias.length + depthwise.length + 2))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (float[] t : new float[][] {conv, bias, depthwise}) {
            for (float v : t) {
                weights.putFloat(v);
            }
        }
        weights.putInt(1).putInt(2); // the axes to reduce
        Files.write(dir.resolve("group1-shard1of1.bin"), weights.array());
        String json = """
                {"format": "graph-model", "modelTopology": {"node": [
                  {"name": "input", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"}}},
                  {"name": "conv", "op": "_FusedConv2D", "input": ["input", "conv/w", "conv/b"], "attr": {
                    "strides": {"list": {"i": ["1", "1", "1", "1"]}}, "padding": {"s": "%s"},
                    "fused_ops": {"list": {"s": ["%s", "%s"]}}}},
                  {"name": "depthwise", "op": "DepthwiseConv2dNative", "input": ["conv", "depthwise/w", "^conv"], "attr": {
                    "strides": {"list": {"i": ["1", "2", "2", "1"]}}, "padding": {"s": "%s"}}},
                  {"name": "pooled", "op": "%s", "input": ["depthwise:0", "axes"], "attr": {"keep_dims": {"b": false}}}
                ]},
                "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": [
                  {"name": "conv/w", "shape": [3, 3, 3, 2], "dtype": "float32"},
                  {"name": "conv/b", "shape": [2], "dtype": "float32"},
                  {"name": "depthwise/w", "shape": [3, 3, 2, 1], "dtype": "float32"},
                  {"name": "axes", "shape": [2], "dtype": "int32"}]}]}
                """.formatted(b64("SAME"), b64("BiasAdd"), b64("Relu"), b64("SAME"), poolingOp);
        Path model = dir.resolve("tiny.json");
        Files.writeString(model, json, StandardCharsets.UTF_8);
        return model;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private RgbImage randomFace() {
        float[] pixels = new float[3 * SIZE * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rng.nextFloat();
        }
        return new RgbImage(pixels, SIZE, SIZE);
    }

    private float[] random(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextFloat() - 0.5f;
        }
        return v;
    }

    private static float[] unit(float[] v) {
        double norm = 0;
        for (float f : v) {
            norm += f * f;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return out;
    }
}
