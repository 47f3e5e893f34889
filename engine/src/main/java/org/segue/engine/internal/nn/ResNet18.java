package org.segue.engine.internal.nn;

import org.segue.engine.generator.SegueGenerator;
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
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's ResNet18 (BasicBlock x [2,2,2,2], 64-128-256-512 channels, about 11.2M parameters),
 * built from residual units because DJL's ResNetV1 with 18 layers uses bottleneck units and is a
 * different, 0.9M-parameter network. Used as the surrogate while training the generator and as the
 * attacker in evaluations.
 *
 * <p>Stem: torchvision's 7x7/2 convolution and 3x3/2 max-pool, or, as the authors do for small inputs,
 * a 3x3/1 convolution without max-pool ({@code smallInputStem}).
 */
public final class ResNet18 extends AbstractBlock {

    private final int numClasses;
    private final boolean smallInputStem;
    private final Conv2d stem;
    private final BatchNorm stemNorm;
    private final List<Unit> units = new ArrayList<>();
    private final Linear fc;

    public ResNet18(int numClasses, boolean smallInputStem) {
        this.numClasses = numClasses;
        this.smallInputStem = smallInputStem;
        stem = addChildBlock("stem", smallInputStem ? conv(64, 3, 1, 1) : conv(64, 7, 2, 3));
        stemNorm = addChildBlock("stemNorm", Layers.batchNorm());
        int[] widths = {64, 128, 256, 512};
        int in = 64;
        for (int stage = 0; stage < 4; stage++) {
            for (int b = 0; b < 2; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                Unit u = new Unit(this, "layer" + (stage + 1) + "." + b, in, widths[stage], stride);
                units.add(u);
                in = widths[stage];
            }
        }
        fc = addChildBlock("fc", Linear.builder().setUnits(numClasses).build());
        // torchvision: kaiming-normal (fan-out, ReLU gain) for convolutions.
        setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.OUT, 2), Parameter.Type.WEIGHT);
        // torchvision's Linear default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)); a fan-out Kaiming init on a
        // 10-unit layer would give logits in the tens and a first-epoch loss far above chance.
        fc.setInitializer(new UniformInitializer((float) (1 / Math.sqrt(512))), Parameter.Type.WEIGHT);
    }

    public boolean smallInputStem() {
        return smallInputStem;
    }

    private static Conv2d conv(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters)
                .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding)).optBias(false).build();
    }

    /** One BasicBlock: two 3x3 convolutions with BatchNorm and a (projected) shortcut. */
    private static final class Unit {
        final Conv2d conv1;
        final BatchNorm bn1;
        final Conv2d conv2;
        final BatchNorm bn2;
        final Conv2d down;
        final BatchNorm downNorm;

        Unit(ResNet18 owner, String name, int in, int out, int stride) {
            conv1 = owner.addChildBlock(name + ".conv1", conv(out, 3, stride, 1));
            bn1 = owner.addChildBlock(name + ".bn1", Layers.batchNorm());
            conv2 = owner.addChildBlock(name + ".conv2", conv(out, 3, 1, 1));
            bn2 = owner.addChildBlock(name + ".bn2", Layers.batchNorm());
            if (stride != 1 || in != out) {
                down = owner.addChildBlock(name + ".downsample", conv(out, 1, stride, 0));
                downNorm = owner.addChildBlock(name + ".downsampleNorm", Layers.batchNorm());
            } else {
                down = null;
                downNorm = null;
            }
        }

        NDArray forward(ParameterStore ps, NDArray x, boolean training) {
            NDArray h = Activation.relu(apply(bn1, ps, apply(conv1, ps, x, training), training));
            h = apply(bn2, ps, apply(conv2, ps, h, training), training);
            NDArray shortcut = down == null ? x : apply(downNorm, ps, apply(down, ps, x, training), training);
            return Activation.relu(h.add(shortcut));
        }

        Shape init(NDManager m, DataType t, Shape in) {
            Shape s = initChild(conv1, m, t, in);
            initChild(bn1, m, t, s);
            s = initChild(conv2, m, t, s);
            initChild(bn2, m, t, s);
            if (down != null) {
                initChild(downNorm, m, t, initChild(down, m, t, in));
            }
            return s;
        }
    }

    private static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    private static Shape initChild(Block block, NDManager m, DataType t, Shape in) {
        block.initialize(m, t, in);
        return block.getOutputShapes(new Shape[] {in})[0];
    }

    /** Penultimate features (N, 512): the embedding used by feature extractors. */
    public NDArray features(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = Activation.relu(apply(stemNorm, ps, apply(stem, ps, x, training), training));
        if (!smallInputStem) {
            h = Pool.maxPool2d(h, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
        }
        for (Unit u : units) {
            h = u.forward(ps, h, training);
        }
        return Pool.globalAvgPool2d(h);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(fc, ps, features(ps, inputs.singletonOrThrow(), training), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = initChild(stem, manager, dataType, inputShapes[0]);
        initChild(stemNorm, manager, dataType, s);
        if (!smallInputStem) {
            s = new Shape(s.get(0), s.get(1), (s.get(2) - 1) / 2 + 1, (s.get(3) - 1) / 2 + 1);
        }
        for (Unit u : units) {
            s = u.init(manager, dataType, s);
        }
        initChild(fc, manager, dataType, new Shape(s.get(0), s.get(1)));
    }
}
