package org.segue.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;

import java.util.ArrayList;
import java.util.List;

/**
 * EfficientNet-B0-style (no stochastic depth): torchvision's EfficientNet-B0 layer for layer, without
 * stochastic depth and without the classifier's dropout (neither has parameters). A 3x3/2 stem of 32
 * channels, 16 MBConv blocks in the B0 stages (channels 16,24,40,80,112,192,320; repeats 1,2,2,3,3,4,1;
 * strides 1,2,2,2,1,2,1; kernels 3,3,5,3,5,5,3; expansion 1 in the first stage, 6 after), each with
 * squeeze-and-excitation (ratio 0.25 of the block's input channels), SiLU activations, and a 1x1 head of
 * 1280 channels; 4,020,358 parameters for 10 classes (torchvision's 5,288,548 for 1000).
 *
 * <p>With {@code smallInputStem} the stem convolution has stride 1 instead of 2 (same parameters).
 */
public final class EfficientNet extends ConvNetBase {

    /** B0 stages: expansion, kernel, first stride, output channels, repeats. */
    private static final int[][] STAGES = {
        {1, 3, 1, 16, 1},
        {6, 3, 2, 24, 2},
        {6, 5, 2, 40, 2},
        {6, 3, 2, 80, 3},
        {6, 5, 1, 112, 3},
        {6, 5, 2, 192, 4},
        {6, 3, 1, 320, 1},
    };

    private static final int STEM_CHANNELS = 32;
    private static final int HEAD_CHANNELS = 1280;

    private final ConvBn stem;
    private final List<MBConv> blocks = new ArrayList<>();
    private final ConvBn head;
    private final Linear fc;

    public EfficientNet(int numClasses, boolean smallInputStem) {
        super(numClasses, smallInputStem);
        stem = new ConvBn(this, "features.0", STEM_CHANNELS, 3, smallInputStem ? 1 : 2, Act.SILU);
        int in = STEM_CHANNELS;
        for (int stage = 0; stage < STAGES.length; stage++) {
            int[] st = STAGES[stage];
            for (int i = 0; i < st[4]; i++) {
                int stride = i == 0 ? st[2] : 1;
                blocks.add(new MBConv(this, "features." + (stage + 1) + "." + i, in, st[3], st[0], st[1], stride));
                in = st[3];
            }
        }
        head = new ConvBn(this, "features." + (STAGES.length + 1), HEAD_CHANNELS, 1, 1, Act.SILU);
        fc = add("classifier", Linear.builder().setUnits(numClasses).build());
        // torchvision's EfficientNet initialises its classifier U(-1/sqrt(out), 1/sqrt(out)).
        initialiseLikeTorchvision(new UniformInitializer((float) (1 / Math.sqrt(numClasses))));
    }

    /**
     * MBConv: 1x1 expansion (when the ratio is not 1), depthwise kxk, squeeze-and-excitation, linear 1x1
     * projection, identity shortcut where stride is 1 and the channels match.
     */
    private static final class MBConv {
        final ConvBn expand;
        final ConvBn depthwise;
        final Conv2d squeeze;
        final Conv2d excite;
        final ConvBn project;
        final boolean residual;

        MBConv(EfficientNet owner, String name, int in, int out, int expansion, int kernel, int stride) {
            int hidden = in * expansion;
            int squeezed = Math.max(1, in / 4);
            expand = expansion != 1 ? new ConvBn(owner, name + ".expand", hidden, 1, 1, Act.SILU) : null;
            depthwise = new ConvBn(owner, name + ".depthwise", hidden, kernel, stride, hidden, Act.SILU);
            squeeze = owner.add(name + ".se.fc1", conv(squeezed, 1, 1, 1, true));
            excite = owner.add(name + ".se.fc2", conv(hidden, 1, 1, 1, true));
            project = new ConvBn(owner, name + ".project", out, 1, 1, Act.NONE);
            residual = stride == 1 && in == out;
        }

        NDArray forward(ParameterStore ps, NDArray x, boolean training) {
            NDArray h = expand == null ? x : expand.forward(ps, x, training);
            h = depthwise.forward(ps, h, training);
            // Squeeze-and-excitation: global average -> 1x1 -> SiLU -> 1x1 -> sigmoid -> channel scale.
            Shape s = h.getShape();
            NDArray scale = Pool.globalAvgPool2d(h).reshape(s.get(0), s.get(1), 1, 1);
            scale = silu(apply(squeeze, ps, scale, training));
            scale = Activation.sigmoid(apply(excite, ps, scale, training));
            h = project.forward(ps, h.mul(scale), training);
            return residual ? h.add(x) : h;
        }

        Shape init(NDManager m, DataType t, Shape in) {
            Shape s = depthwise.init(m, t, expand == null ? in : expand.init(m, t, in));
            Shape pooled = new Shape(s.get(0), s.get(1), 1, 1);
            initChild(excite, m, t, initChild(squeeze, m, t, pooled));
            return project.init(m, t, s);
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
        for (MBConv b : blocks) {
            h = b.forward(ps, h, training);
        }
        return Pool.globalAvgPool2d(head.forward(ps, h, training));
    }

    @Override
    protected Shape initializeFeatures(NDManager manager, DataType dataType, Shape input) {
        Shape s = stem.init(manager, dataType, input);
        for (MBConv b : blocks) {
            s = b.init(manager, dataType, s);
        }
        return head.init(manager, dataType, s);
    }
}
