package org.segue.lab.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;

import java.util.ArrayList;
import java.util.List;

/**
 * Inception-style (smaller than GoogLeNet/Inception-v3): GoogLeNet-style inception modules at about half
 * of GoogLeNet's widths, two per stage in three stages; 1,001,394 parameters for 10 classes
 * (GoogLeNet has about 6.6M, Inception-v3 about 24M; both differ in depth and widths, so this is not
 * either network).
 *
 * <p>Each module concatenates, on channels, four branches: 1x1; 1x1 then 3x3; 1x1 then two 3x3 (the
 * factorised 5x5 of Inception-v2/v3); 3x3/1 max-pool then 1x1. Every convolution is followed by
 * BatchNorm and ReLU. Layout:
 * <pre>
 *   stem    3x3/2 conv 32, 3x3 conv 32, 3x3 conv 64, 3x3/2 max-pool       (small input: stride 1, no pool)
 *   stage 1 inception 64-&gt;128, 128-&gt;240, then 3x3/2 max-pool
 *   stage 2 inception 240-&gt;256, 256-&gt;256, then 3x3/2 max-pool
 *   stage 3 inception 256-&gt;416, 416-&gt;512
 *   global average pool, linear 512 -&gt; classes
 * </pre>
 * Convolutions are initialised Kaiming-normal (fan-out) and the classifier as torchvision's Linear, as
 * in {@link ResNet18}.
 */
public final class InceptionNet extends ConvNetBase {

    /**
     * Modules: input channels, 1x1, 3x3 reduce, 3x3, double-3x3 reduce, double-3x3, pool projection.
     * A row of nulls marks a stride-2 reduction.
     */
    private static final int[][] MODULES = {
        {64, 32, 48, 64, 8, 16, 16},
        {128, 64, 64, 96, 16, 48, 32},
        null,
        {240, 96, 48, 104, 8, 24, 32},
        {256, 80, 56, 112, 12, 32, 32},
        null,
        {256, 128, 80, 160, 16, 64, 64},
        {416, 192, 96, 192, 24, 64, 64},
    };

    private static final int FEATURES = 512;

    private final List<ConvBn> stem = new ArrayList<>();
    /** Inception modules, null for a stride-2 max-pool reduction. */
    private final List<Module> modules = new ArrayList<>();
    private final Linear fc;

    public InceptionNet(int numClasses, boolean smallInputStem) {
        super(numClasses, smallInputStem);
        stem.add(new ConvBn(this, "stem.0", 32, 3, smallInputStem ? 1 : 2, Act.RELU));
        stem.add(new ConvBn(this, "stem.1", 32, 3, 1, Act.RELU));
        stem.add(new ConvBn(this, "stem.2", 64, 3, 1, Act.RELU));
        int stage = 1;
        int index = 0;
        for (int[] m : MODULES) {
            if (m == null) {
                modules.add(null);
                stage++;
                index = 0;
            } else {
                modules.add(new Module(this, "stage" + stage + "." + index++, m));
            }
        }
        fc = add("fc", Linear.builder().setUnits(numClasses).build());
        // torchvision's Linear default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
        initialiseLikeTorchvision(new UniformInitializer((float) (1 / Math.sqrt(FEATURES))));
    }

    /** One inception module: four branches concatenated on channels. */
    private static final class Module {
        final ConvBn b1;
        final ConvBn b2Reduce;
        final ConvBn b2;
        final ConvBn b3Reduce;
        final ConvBn b3a;
        final ConvBn b3b;
        final ConvBn b4;

        Module(InceptionNet owner, String name, int[] c) {
            b1 = new ConvBn(owner, name + ".branch1", c[1], 1, 1, Act.RELU);
            b2Reduce = new ConvBn(owner, name + ".branch2.0", c[2], 1, 1, Act.RELU);
            b2 = new ConvBn(owner, name + ".branch2.1", c[3], 3, 1, Act.RELU);
            b3Reduce = new ConvBn(owner, name + ".branch3.0", c[4], 1, 1, Act.RELU);
            b3a = new ConvBn(owner, name + ".branch3.1", c[5], 3, 1, Act.RELU);
            b3b = new ConvBn(owner, name + ".branch3.2", c[5], 3, 1, Act.RELU);
            b4 = new ConvBn(owner, name + ".branch4", c[6], 1, 1, Act.RELU);
        }

        NDArray forward(ParameterStore ps, NDArray x, boolean training) {
            NDArray y1 = b1.forward(ps, x, training);
            NDArray y2 = b2.forward(ps, b2Reduce.forward(ps, x, training), training);
            NDArray y3 = b3b.forward(ps, b3a.forward(ps, b3Reduce.forward(ps, x, training), training), training);
            NDArray pooled = Pool.maxPool2d(x, new Shape(3, 3), new Shape(1, 1), new Shape(1, 1), false);
            NDArray y4 = b4.forward(ps, pooled, training);
            return NDArrays.concat(new NDList(y1, y2, y3, y4), 1);
        }

        Shape init(NDManager m, DataType t, Shape in) {
            Shape s1 = b1.init(m, t, in);
            Shape s2 = b2.init(m, t, b2Reduce.init(m, t, in));
            Shape s3 = b3b.init(m, t, b3a.init(m, t, b3Reduce.init(m, t, in)));
            Shape s4 = b4.init(m, t, in);
            return new Shape(in.get(0), s1.get(1) + s2.get(1) + s3.get(1) + s4.get(1), in.get(2), in.get(3));
        }
    }

    @Override
    protected Linear classifier() {
        return fc;
    }

    /** Penultimate features (N, 512). */
    @Override
    public NDArray features(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = x;
        for (ConvBn c : stem) {
            h = c.forward(ps, h, training);
        }
        if (!smallInputStem) {
            h = maxPoolStride2(h);
        }
        for (Module m : modules) {
            h = m == null ? maxPoolStride2(h) : m.forward(ps, h, training);
        }
        return Pool.globalAvgPool2d(h);
    }

    @Override
    protected Shape initializeFeatures(NDManager manager, DataType dataType, Shape input) {
        Shape s = input;
        for (ConvBn c : stem) {
            s = c.init(manager, dataType, s);
        }
        if (!smallInputStem) {
            s = pooledStride2(s);
        }
        for (Module m : modules) {
            s = m == null ? pooledStride2(s) : m.init(manager, dataType, s);
        }
        return s;
    }
}
