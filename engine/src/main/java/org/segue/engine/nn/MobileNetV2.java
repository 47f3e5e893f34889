package org.segue.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's MobileNetV2 (width multiplier 1.0): a 3x3/2 stem of 32 channels, 17 inverted residual
 * blocks (1x1 expansion, 3x3 depthwise, linear 1x1 projection; ReLU6) and a 1x1 head of 1280 channels;
 * 2,236,682 parameters for 10 classes (torchvision's 3,504,872 for 1000). The classifier's dropout is
 * left out (it has no parameters).
 *
 * <p>With {@code smallInputStem} the stem convolution has stride 1 instead of 2 (same parameters).
 */
public final class MobileNetV2 extends ConvNetBase {

    /** torchvision's inverted residual settings: expansion t, channels c, repeats n, first stride s. */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1},
        {6, 24, 2, 2},
        {6, 32, 3, 2},
        {6, 64, 4, 2},
        {6, 96, 3, 1},
        {6, 160, 3, 2},
        {6, 320, 1, 1},
    };

    private static final int STEM_CHANNELS = 32;
    private static final int LAST_CHANNELS = 1280;

    private final ConvBn stem;
    private final List<InvertedResidual> blocks = new ArrayList<>();
    private final ConvBn head;
    private final Linear fc;

    public MobileNetV2(int numClasses, boolean smallInputStem) {
        super(numClasses, smallInputStem);
        stem = new ConvBn(this, "features.0", STEM_CHANNELS, 3, smallInputStem ? 1 : 2, Act.RELU6);
        int in = STEM_CHANNELS;
        int index = 1;
        for (int[] setting : SETTINGS) {
            for (int i = 0; i < setting[2]; i++) {
                int stride = i == 0 ? setting[3] : 1;
                blocks.add(new InvertedResidual(this, "features." + index++, in, setting[1], stride, setting[0]));
                in = setting[1];
            }
        }
        head = new ConvBn(this, "features." + index, LAST_CHANNELS, 1, 1, Act.RELU6);
        fc = add("classifier", Linear.builder().setUnits(numClasses).build());
        // torchvision's MobileNetV2 initialises its classifier N(0, 0.01).
        initialiseLikeTorchvision(new NormalInitializer(0.01f));
    }

    /** Expansion (when t > 1), depthwise 3x3 and linear projection, with identity shortcut where shapes match. */
    private static final class InvertedResidual {
        final ConvBn expand;
        final ConvBn depthwise;
        final ConvBn project;
        final boolean residual;

        InvertedResidual(MobileNetV2 owner, String name, int in, int out, int stride, int expansion) {
            int hidden = in * expansion;
            expand = expansion != 1 ? new ConvBn(owner, name + ".expand", hidden, 1, 1, Act.RELU6) : null;
            depthwise = new ConvBn(owner, name + ".depthwise", hidden, 3, stride, hidden, Act.RELU6);
            project = new ConvBn(owner, name + ".project", out, 1, 1, Act.NONE);
            residual = stride == 1 && in == out;
        }

        NDArray forward(ParameterStore ps, NDArray x, boolean training) {
            NDArray h = expand == null ? x : expand.forward(ps, x, training);
            h = project.forward(ps, depthwise.forward(ps, h, training), training);
            return residual ? h.add(x) : h;
        }

        Shape init(NDManager m, DataType t, Shape in) {
            Shape s = expand == null ? in : expand.init(m, t, in);
            return project.init(m, t, depthwise.init(m, t, s));
        }
    }

    @Override
    protected Linear classifier() {
        return fc;
    }

    /** Penultimate features (N, 1280). */
    @Override
    public NDArray features(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = stem.forward(ps, x, training);
        for (InvertedResidual b : blocks) {
            h = b.forward(ps, h, training);
        }
        return Pool.globalAvgPool2d(head.forward(ps, h, training));
    }

    @Override
    protected Shape initializeFeatures(NDManager manager, DataType dataType, Shape input) {
        Shape s = stem.init(manager, dataType, input);
        for (InvertedResidual b : blocks) {
            s = b.init(manager, dataType, s);
        }
        return head.init(manager, dataType, s);
    }
}
