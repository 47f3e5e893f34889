package org.segue.engine.internal.nn;

import org.segue.engine.generator.SegueGenerator;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.segue.engine.internal.DjlRuntime;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The surrogate is torchvision's ResNet18, not DJL's 0.9M-parameter bottleneck variant. */
public class ResNet18Test {

    public static long trainableParameters(ai.djl.nn.Block block) {
        return block.getParameters().values().stream()
                .filter(p -> p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR)
                .mapToLong(p -> p.getArray().size()).sum();
    }

    @Test
    void hasTorchvisionsParameterCountAndOutputShapes() {
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            ResNet18 net = new ResNet18(10, false);
            net.initialize(nd, DataType.FLOAT32, new Shape(1, 3, 112, 112));
            // torchvision.models.resnet18(num_classes=10): 11,181,642 parameters.
            assertEquals(11_181_642L, trainableParameters(net));
            NDArray logits = net.forward(new ParameterStore(nd, false),
                    new NDList(nd.randomUniform(0, 1, new Shape(2, 3, 112, 112))), false).singletonOrThrow();
            assertEquals(new Shape(2, 10), logits.getShape());
            // The small-input stem changes no parameter count except the first convolution (3x3 instead of 7x7).
            ResNet18 small = new ResNet18(10, true);
            small.initialize(nd, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            assertEquals(11_181_642L - 64 * 3 * (49 - 9), trainableParameters(small));
        }
    }

    @Test
    void generatorHasTheAuthorsParameterCount() {
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            SegueGenerator g = new SegueGenerator(16);
            g.initialize(nd, 64, 64);
            // encoder 6,032 + squeeze 13,856 + residual blocks 74,240 (incl. BatchNorm affine) + decoder 6,624
            assertEquals(100_752L, trainableParameters(g));
        }
    }
}
