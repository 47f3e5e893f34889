package org.segue.lab.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;

import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's ResNet50: Bottleneck units x [3,4,6,3] with expansion 4 (256-512-1024-2048 output
 * channels), the stride on the 3x3 convolution (ResNet v1.5), a 1x1 projection shortcut where the shape
 * changes; 23,528,522 parameters for 10 classes (torchvision's 25,557,032 for 1000).
 *
 * <p>Stem: torchvision's 7x7/2 convolution and 3x3/2 max-pool, or, for small inputs, a 3x3/1
 * convolution without max-pool ({@code smallInputStem}), as in {@link ResNet18}.
 */
public final class ResNet50 extends ConvNetBase {

    private static final int EXPANSION = 4;

    private final ConvBn stem;
    private final List<Unit> units = new ArrayList<>();
    private final Linear fc;

    public ResNet50(int numClasses, boolean smallInputStem) {
        super(numClasses, smallInputStem);
        stem = smallInputStem
                ? new ConvBn(this, "stem", 64, 3, 1, Act.RELU)
                : new ConvBn(this, "stem", 64, 7, 2, Act.RELU);
        int[] widths = {64, 128, 256, 512};
        int[] blocks = {3, 4, 6, 3};
        int in = 64;
        for (int stage = 0; stage < 4; stage++) {
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                units.add(new Unit(this, "layer" + (stage + 1) + "." + b, in, widths[stage], stride));
                in = widths[stage] * EXPANSION;
            }
        }
        fc = add("fc", Linear.builder().setUnits(numClasses).build());
        // torchvision's Linear default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
        initialiseLikeTorchvision(new UniformInitializer((float) (1 / Math.sqrt(512 * EXPANSION))));
    }

    /** One Bottleneck: 1x1 reduce, 3x3 (strided), 1x1 expand, and a (projected) shortcut. */
    private static final class Unit {
        final ConvBn conv1;
        final ConvBn conv2;
        final ConvBn conv3;
        final ConvBn down;

        Unit(ResNet50 owner, String name, int in, int width, int stride) {
            conv1 = new ConvBn(owner, name + ".conv1", width, 1, 1, Act.RELU);
            conv2 = new ConvBn(owner, name + ".conv2", width, 3, stride, Act.RELU);
            conv3 = new ConvBn(owner, name + ".conv3", width * EXPANSION, 1, 1, Act.NONE);
            down = stride != 1 || in != width * EXPANSION
                    ? new ConvBn(owner, name + ".downsample", width * EXPANSION, 1, stride, Act.NONE) : null;
        }

        NDArray forward(ParameterStore ps, NDArray x, boolean training) {
            NDArray h = conv3.forward(ps, conv2.forward(ps, conv1.forward(ps, x, training), training), training);
            NDArray shortcut = down == null ? x : down.forward(ps, x, training);
            return Activation.relu(h.add(shortcut));
        }

        Shape init(NDManager m, DataType t, Shape in) {
            Shape s = conv3.init(m, t, conv2.init(m, t, conv1.init(m, t, in)));
            if (down != null) {
                down.init(m, t, in);
            }
            return s;
        }
    }

    @Override
    protected Linear classifier() {
        return fc;
    }

    /** Penultimate features (N, 2048). */
    @Override
    public NDArray features(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = stem.forward(ps, x, training);
        if (!smallInputStem) {
            h = maxPoolStride2(h);
        }
        for (Unit u : units) {
            h = u.forward(ps, h, training);
        }
        return Pool.globalAvgPool2d(h);
    }

    @Override
    protected Shape initializeFeatures(NDManager manager, DataType dataType, Shape input) {
        Shape s = stem.init(manager, dataType, input);
        if (!smallInputStem) {
            s = pooledStride2(s);
        }
        for (Unit u : units) {
            s = u.init(manager, dataType, s);
        }
        return s;
    }
}
