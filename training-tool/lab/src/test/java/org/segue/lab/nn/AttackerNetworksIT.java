package org.segue.lab.nn;

import org.segue.engine.internal.nn.ResNet18;
import org.segue.engine.internal.nn.ResNet18Test;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.training.Losses;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The five attacker architectures: torchvision's parameter counts, logits, and trainability. */
class AttackerNetworksIT {

    /** Parameters for 10 classes with the standard stem (torchvision's models with num_classes=10). */
    private static final Map<String, Long> PARAMETERS = Map.of(
            "resnet18", 11_181_642L,
            "resnet50", 23_528_522L,
            "mobilenetv2", 2_236_682L,
            "inception", 1_001_394L,
            "efficientnet", 4_020_358L);

    /** What the small-input stem saves: ResNet's 7x7 first convolution becomes 3x3. */
    private static final Map<String, Long> SMALL_STEM_SAVING = Map.of(
            "resnet18", 64L * 3 * (49 - 9),
            "resnet50", 64L * 3 * (49 - 9),
            "mobilenetv2", 0L,
            "inception", 0L,
            "efficientnet", 0L);

    static List<String> names() {
        return AttackerNetworks.names();
    }

    @ParameterizedTest
    @MethodSource("names")
    void hasTheArchitecturesParameterCountAndTrains(String name) {
        // one fixed draw of weights and input per network: a non-finite gradient then reproduces
        DjlRuntime.engine().setRandomSeed(name.hashCode());
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            AbstractBlock net = AttackerNetworks.create(name, 10, false);
            net.initialize(nd, DataType.FLOAT32, new Shape(2, 3, 64, 64));
            long count = ResNet18Test.trainableParameters(net);
            System.out.printf("%s: %,d parameters%n", name, count);
            assertEquals(PARAMETERS.get(name), count, name);

            NDArray firstConv = firstConvolutionWeight(net);
            ParameterStore ps = new ParameterStore(nd, false);
            NDArray x = nd.randomUniform(0, 1, new Shape(2, 3, 64, 64));
            NDArray logits;
            try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                logits = net.forward(ps, new NDList(x), true).singletonOrThrow();
                gc.backward(Losses.crossEntropy(logits, new int[] {3, 7}));
            }
            assertEquals(new Shape(2, 10), logits.getShape(), name);
            assertAllFinite(logits, name);
            NDArray gradient = firstConv.getGradient();
            assertNotNull(gradient, name);
            assertAllFinite(gradient, name);
            assertTrue(gradient.abs().sum().getFloat() > 0, name + ": zero gradient on the first convolution");
        }
    }

    /** torchvision's MobileNetV2 and EfficientNet-B0 drop 0.2 of the pooled features in training. */
    @Test
    void torchvisionCopiesDropTheClassifiersInputInTrainingOnly() {
        Map<String, Float> dropout = Map.of("resnet18", 0f, "resnet50", 0f, "mobilenetv2", 0.2f, "inception", 0f,
                "efficientnet", 0.2f);
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            for (String name : names()) {
                AbstractBlock net = AttackerNetworks.create(name, 10, false);
                net.initialize(nd, DataType.FLOAT32, new Shape(4, 3, 64, 64));
                float rate = net instanceof ConvNetBase c ? c.classifierDropout() : 0f;
                assertEquals(dropout.get(name), rate, name);
                ParameterStore ps = new ParameterStore(nd, false);
                NDArray x = nd.randomUniform(0, 1, new Shape(4, 3, 64, 64));
                // The same batch twice: training-mode BatchNorm normalises both passes alike, so only
                // dropout can make them differ; inference passes never differ.
                float[] inference1 = net.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
                float[] inference2 = net.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
                assertEquals(java.util.Arrays.toString(inference1), java.util.Arrays.toString(inference2), name);
                float[] training1 = net.forward(ps, new NDList(x), true).singletonOrThrow().toFloatArray();
                float[] training2 = net.forward(ps, new NDList(x), true).singletonOrThrow().toFloatArray();
                double diff = 0;
                for (int i = 0; i < training1.length; i++) {
                    diff += Math.abs(training1[i] - training2[i]);
                }
                if (rate > 0f) {
                    assertTrue(diff > 1e-4, name + ": two training passes over the same batch gave the same logits");
                } else {
                    assertEquals(0.0, diff, 1e-4, name + ": a network without dropout changed between passes");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void smallInputStemWorksOnOddSizes(String name) {
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            AbstractBlock net = AttackerNetworks.create(name, 10, true);
            net.initialize(nd, DataType.FLOAT32, new Shape(1, 3, 67, 67));
            assertEquals(PARAMETERS.get(name) - SMALL_STEM_SAVING.get(name), ResNet18Test.trainableParameters(net), name);
            NDArray logits = net.forward(new ParameterStore(nd, false),
                    new NDList(nd.randomUniform(0, 1, new Shape(1, 3, 67, 67))), false).singletonOrThrow();
            assertEquals(new Shape(1, 10), logits.getShape(), name);
            assertAllFinite(logits, name);
        }
    }

    @Test
    void standardStemWorksOnOddSizes() {
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            for (String name : AttackerNetworks.names()) {
                AbstractBlock net = AttackerNetworks.create(name, 5, false);
                Shape shape = new Shape(1, 3, 99, 81);
                net.initialize(nd, DataType.FLOAT32, shape);
                NDArray logits = net.forward(new ParameterStore(nd, false),
                        new NDList(nd.randomUniform(0, 1, shape)), false).singletonOrThrow();
                assertEquals(new Shape(1, 5), logits.getShape(), name);
                assertAllFinite(logits, name);
            }
        }
    }

    @Test
    void namesAndUnknownNames() {
        assertEquals(List.of("resnet18", "resnet50", "mobilenetv2", "inception", "efficientnet"), AttackerNetworks.names());
        assertInstanceOf(ResNet18.class, AttackerNetworks.create("resnet18", 10, false));
        assertInstanceOf(ResNet50.class, AttackerNetworks.create("ResNet50", 10, false));
        assertInstanceOf(MobileNetV2.class, AttackerNetworks.create("mobilenetv2", 10, true));
        assertInstanceOf(InceptionNet.class, AttackerNetworks.create("inception", 10, false));
        assertInstanceOf(EfficientNet.class, AttackerNetworks.create("efficientnet", 10, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttackerNetworks.create("vgg16", 10, false));
        for (String name : AttackerNetworks.names()) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> AttackerNetworks.create("resnet18", 0, false));
    }

    /** The first 4-D weight: every network adds its stem convolution first. */
    private static NDArray firstConvolutionWeight(AbstractBlock net) {
        for (Parameter p : net.getParameters().values()) {
            if (p.getType() == Parameter.Type.WEIGHT && p.getArray().getShape().dimension() == 4) {
                assertEquals(3, p.getArray().getShape().get(1), "the first convolution reads RGB: " + p.getName());
                return p.getArray();
            }
        }
        throw new AssertionError("no convolution weight");
    }

    private static void assertAllFinite(NDArray a, String name) {
        for (float v : a.toFloatArray()) {
            assertTrue(Float.isFinite(v), name + ": non-finite value " + v);
        }
    }
}
