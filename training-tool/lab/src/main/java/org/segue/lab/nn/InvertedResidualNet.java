package org.segue.lab.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape {@link MobileNetV2} and {@link EfficientNet} share: a 3x3 stem convolution (stride 2, or 1
 * with {@code smallInputStem}), a chain of inverted residual blocks, a 1x1 head convolution, global
 * average pooling and a linear classifier. A subclass's constructor adds its blocks with
 * {@link #addBlock} and ends with {@link #addHead}; layers are added (and so initialised) in that order.
 */
abstract class InvertedResidualNet extends ConvNetBase {

    private final Act activation;
    private final ConvBn stem;
    private final List<InvertedResidual> blocks = new ArrayList<>();
    private ConvBn head;
    private Linear fc;

    InvertedResidualNet(int numClasses, boolean smallInputStem, int stemChannels, Act activation) {
        super(numClasses, smallInputStem);
        this.activation = activation;
        stem = new ConvBn(this, "features.0", stemChannels, 3, smallInputStem ? 1 : 2, activation);
    }

    /**
     * Adds an inverted residual block: 1x1 expansion (when the ratio is not 1), depthwise
     * {@code kernel x kernel}, squeeze-and-excitation if asked (its bottleneck a quarter of the block's
     * input channels, SiLU then sigmoid, as EfficientNet), linear 1x1 projection, and an identity
     * shortcut where the stride is 1 and the channels match.
     */
    final void addBlock(String name, int in, int out, int expansion, int kernel, int stride, boolean squeezeExcite) {
        blocks.add(new InvertedResidual(name, in, out, expansion, kernel, stride, squeezeExcite));
    }

    /**
     * Adds the 1x1 head convolution and the classifier with dropout {@code dropout} on its input in
     * training, and sets torchvision's initialisation.
     */
    final void addHead(String name, int channels, Initializer classifierWeight, float dropout) {
        setClassifierDropout(dropout);
        head = new ConvBn(this, name, channels, 1, 1, activation);
        fc = add("classifier", Linear.builder().setUnits(numClasses).build());
        initialiseLikeTorchvision(classifierWeight);
    }

    /** One block; its layers are children of the enclosing network, in the order they are created. */
    private final class InvertedResidual {
        final ConvBn expand;
        final ConvBn depthwise;
        final Conv2d squeeze;
        final Conv2d excite;
        final ConvBn project;
        final boolean residual;

        InvertedResidual(String name, int in, int out, int expansion, int kernel, int stride, boolean squeezeExcite) {
            InvertedResidualNet owner = InvertedResidualNet.this;
            int hidden = in * expansion;
            expand = expansion != 1 ? new ConvBn(owner, name + ".expand", hidden, 1, 1, activation) : null;
            depthwise = new ConvBn(owner, name + ".depthwise", hidden, kernel, stride, hidden, activation);
            squeeze = squeezeExcite ? owner.add(name + ".se.fc1", conv(Math.max(1, in / 4), 1, 1, 1, true)) : null;
            excite = squeezeExcite ? owner.add(name + ".se.fc2", conv(hidden, 1, 1, 1, true)) : null;
            project = new ConvBn(owner, name + ".project", out, 1, 1, Act.NONE);
            residual = stride == 1 && in == out;
        }

        NDArray forward(ParameterStore ps, NDArray x, boolean training) {
            NDArray h = expand == null ? x : expand.forward(ps, x, training);
            h = depthwise.forward(ps, h, training);
            if (squeeze != null) {
                // Squeeze-and-excitation: global average -> 1x1 -> SiLU -> 1x1 -> sigmoid -> channel scale.
                Shape s = h.getShape();
                NDArray scale = Pool.globalAvgPool2d(h).reshape(s.get(0), s.get(1), 1, 1);
                scale = silu(apply(squeeze, ps, scale, training));
                h = h.mul(Activation.sigmoid(apply(excite, ps, scale, training)));
            }
            h = project.forward(ps, h, training);
            return residual ? h.add(x) : h;
        }

        Shape init(NDManager m, DataType t, Shape in) {
            Shape s = depthwise.init(m, t, expand == null ? in : expand.init(m, t, in));
            if (squeeze != null) {
                initChild(excite, m, t, initChild(squeeze, m, t, new Shape(s.get(0), s.get(1), 1, 1)));
            }
            return project.init(m, t, s);
        }
    }

    @Override
    protected Linear classifier() {
        return fc;
    }

    /** Penultimate features (N, head channels). */
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
