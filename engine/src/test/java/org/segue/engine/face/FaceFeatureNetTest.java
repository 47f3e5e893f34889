package org.segue.engine.face;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.internal.DjlRuntime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaceFeatureNetTest {

    @Test
    void aBatchGivesEachFaceItsOwnFeaturesAndTheGradientReachesThePixels(@TempDir Path dir) throws IOException {
        DjlRuntime.noGradientsOnThisThread();
        for (String file : new String[] {"face_landmark_68_model-weights_manifest.json", "face_landmark_68_model.bin"}) {
            try (InputStream in = FaceFeatureNet.class.getResourceAsStream("/org/segue/engine/face/" + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
        int side = FaceFeatureNet.INPUT_SIZE;
        float[] pixels = new float[2 * 3 * side * side];
        Random rng = new Random(2);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rng.nextFloat();
        }
        try (FaceFeatureNet net = FaceFeatureNet.loadResource("face_landmark_68_model", Device.cpu());
             FaceFeatureNet fromFolder = FaceFeatureNet.load(dir, "face_landmark_68_model", Device.cpu());
             NDManager m = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            NDArray faces = m.create(pixels, new Shape(2, 3, side, side));
            float[] both = net.features(faces).toFloatArray();
            assertEquals(2 * FaceFeatureNet.FEATURES, both.length);
            float[] second = net.features(faces.get("1:2")).toFloatArray();
            float[] secondInBatch = java.util.Arrays.copyOfRange(both, FaceFeatureNet.FEATURES, 2 * FaceFeatureNet.FEATURES);
            assertArrayEquals(second, secondInBatch, 1e-4f, "a face's features do not depend on its batch");
            assertArrayEquals(both, fromFolder.features(faces).toFloatArray(), 0f, "the same weights from a folder");
            assertTrue(!java.util.Arrays.equals(java.util.Arrays.copyOf(both, FaceFeatureNet.FEATURES), secondInBatch),
                    "two faces, two feature vectors");
            faces.setRequiresGradient(true);
            try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                gc.backward(net.features(faces).sum());
            }
            NDArray g = faces.getGradient();
            assertTrue(g.abs().sum().getFloat() > 0 && !g.isNaN().any().getBoolean(), "a finite, non-zero gradient");
        }
    }

    @Test
    void theBlocksFeatureMapsHalveTheSideAndTheLastPoolsToTheFeatures() {
        DjlRuntime.noGradientsOnThisThread();
        int side = FaceFeatureNet.INPUT_SIZE;
        float[] pixels = new float[3 * side * side];
        Random rng = new Random(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rng.nextFloat();
        }
        try (FaceFeatureNet net = FaceFeatureNet.loadResource("face_landmark_68_model", Device.cpu());
             NDManager m = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            NDArray face = m.create(pixels, new Shape(1, 3, side, side));
            int[] channels = {32, 64, 128, 256};
            for (int blocks = 1; blocks <= 4; blocks++) {
                long s = side >> blocks;
                assertEquals(new Shape(1, channels[blocks - 1], s, s), net.featureMap(face, blocks).getShape(),
                        "block " + blocks);
            }
            NDArray last = net.featureMap(face, 4);
            assertArrayEquals(net.features(face).toFloatArray(), last.reshape(1, 256, -1).mean(new int[] {2}).toFloatArray(),
                    1e-5f, "the pooled features are the last map's mean");
            assertThrows(IllegalArgumentException.class, () -> net.featureMap(face, 0));
            assertThrows(IllegalArgumentException.class, () -> net.featureMap(face, 5));
        }
    }
}
