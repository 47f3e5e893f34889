package org.segue.lab.nn;

import org.segue.engine.internal.nn.Layers;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * What the attacker classifiers ({@link ResNet50}, {@link MobileNetV2}, {@link InceptionNet},
 * {@link EfficientNet}) share, in {@link ResNet18}'s style: every layer is a child block of the network
 * itself, {@link #initializeChildBlocks} walks the shapes through the layers, and the logits are a
 * {@link Linear} classifier over globally average-pooled {@link #features penultimate features}.
 *
 * <p>Input (N,3,H,W) in [0,1], output logits (N,numClasses). Every convolution pads by
 * {@code (kernel - 1) / 2} and every pooling by 1, so any input size works (odd sizes included).
 */
abstract class ConvNetBase extends AbstractBlock {

    /** The activations these networks use, each as in PyTorch. */
    enum Act {
        NONE, RELU, RELU6, SILU;

        NDArray apply(NDArray x) {
            switch (this) {
                case RELU:
                    return Activation.relu(x);
                case RELU6:
                    return Activation.relu6(x);
                case SILU:
                    return silu(x);
                default:
                    return x;
            }
        }
    }

    protected final int numClasses;
    protected final boolean smallInputStem;
    /** Dropout rate on the pooled features while training (torchvision's classifier dropout); 0 for none. */
    private float classifierDropout;

    ConvNetBase(int numClasses, boolean smallInputStem) {
        this.numClasses = numClasses;
        this.smallInputStem = smallInputStem;
    }

    public boolean smallInputStem() {
        return smallInputStem;
    }

    /** Drops this fraction of the pooled features before the classifier in training, as torchvision does. */
    final void setClassifierDropout(float rate) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), was " + rate);
        }
        classifierDropout = rate;
    }

    public float classifierDropout() {
        return classifierDropout;
    }

    /** The classifier on top of {@link #features}. */
    protected abstract Linear classifier();

    /** Penultimate features (N, C): globally average-pooled, before the classifier. */
    public abstract NDArray features(ParameterStore ps, NDArray x, boolean training);

    /** Initialises every layer before the classifier; returns the shape of the last feature map. */
    protected abstract Shape initializeFeatures(NDManager manager, DataType dataType, Shape input);

    final <B extends Block> B add(String name, B block) {
        return addChildBlock(name, block);
    }

    /**
     * torchvision's initialisation: Kaiming-normal (fan-out, ReLU gain) for every convolution, zero
     * biases, BatchNorm weight 1 and bias 0, and the given initialiser for the classifier's weight. Call
     * once all children are added.
     */
    final void initialiseLikeTorchvision(Initializer classifierWeight) {
        setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.OUT, 2), Parameter.Type.WEIGHT);
        classifier().setInitializer(classifierWeight, Parameter.Type.WEIGHT);
    }

    /** SiLU (swish with beta 1): x * sigmoid(x). */
    static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** A convolution padded by (kernel - 1) / 2, without bias unless asked. */
    static Conv2d conv(int filters, int kernel, int stride, int groups, boolean bias) {
        int padding = (kernel - 1) / 2;
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters)
                .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding))
                .optGroups(groups).optBias(bias).build();
    }

    /** 3x3 max-pool, stride 2, padding 1 (torchvision's ResNet stem pool). */
    static NDArray maxPoolStride2(NDArray x) {
        return Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
    }

    /** The output shape of {@link #maxPoolStride2}. */
    static Shape pooledStride2(Shape s) {
        return new Shape(s.get(0), s.get(1), (s.get(2) - 1) / 2 + 1, (s.get(3) - 1) / 2 + 1);
    }

    static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    static Shape initChild(Block block, NDManager m, DataType t, Shape in) {
        block.initialize(m, t, in);
        return block.getOutputShapes(new Shape[] {in})[0];
    }

    /** Convolution, BatchNorm (PyTorch momentum semantics) and an activation. */
    static final class ConvBn {
        final Conv2d conv;
        final BatchNorm bn;
        final Act act;

        ConvBn(ConvNetBase owner, String name, int filters, int kernel, int stride, int groups, Act act) {
            this.conv = owner.add(name + ".conv", conv(filters, kernel, stride, groups, false));
            this.bn = owner.add(name + ".bn", Layers.batchNorm());
            this.act = act;
        }

        ConvBn(ConvNetBase owner, String name, int filters, int kernel, int stride, Act act) {
            this(owner, name, filters, kernel, stride, 1, act);
        }

        NDArray forward(ParameterStore ps, NDArray x, boolean training) {
            return act.apply(apply(bn, ps, apply(conv, ps, x, training), training));
        }

        Shape init(NDManager m, DataType t, Shape in) {
            Shape s = initChild(conv, m, t, in);
            initChild(bn, m, t, s);
            return s;
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray features = features(ps, inputs.singletonOrThrow(), training);
        if (training && classifierDropout > 0f) {
            features = Dropout.dropout(features, classifierDropout, true).singletonOrThrow();
        }
        return new NDList(apply(classifier(), ps, features, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = initializeFeatures(manager, dataType, inputShapes[0]);
        initChild(classifier(), manager, dataType, new Shape(s.get(0), s.get(1)));
    }
}
