package org.segue.engine.generator;

import org.segue.engine.internal.nn.Layers;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Segue generator G(x, code), layer for layer the authors' network (architecture version
 * {@value #ARCHITECTURE}): a x4-downsampling encoder with InstanceNorm, the binary label code
 * broadcast and concatenated at the bottleneck and squeezed back to 32 channels, four
 * reflection-padded residual blocks with BatchNorm, a transposed-convolution decoder and tanh.
 *
 * <p>Input: NDList(images (N,3,H,W) in [0,1], codes (N,bits)). Output: the raw perturbation in
 * (-1,1), to be clamped by {@link org.segue.engine.generator.Perturbation}. H and W must each be a multiple
 * of 4 and at least 16: the encoder maps H to H/4 - 2 and the decoder maps it back exactly
 * (see {@link #checkInputSize}).
 */
public final class SegueGenerator extends AbstractBlock {

    /** Architecture identifier stored in model files. */
    public static final String ARCHITECTURE = "segue-generator-v1";

    private static final int FEATURES = 32;
    private static final int RESIDUAL_BLOCKS = 4;

    private final int codeBits;
    private final Conv2d enc0 = conv(8, 1, 0, true);
    private final Conv2d enc1 = conv(16, 2, 0, true);
    private final Conv2d enc2 = conv(FEATURES, 2, 0, true);
    private final Conv2d squeeze = conv(FEATURES, 1, 1, true);
    private final Conv2d[][] resConv = new Conv2d[RESIDUAL_BLOCKS][2];
    private final BatchNorm[][] resNorm = new BatchNorm[RESIDUAL_BLOCKS][2];
    private final TransposedConv2d dec0 = new TransposedConv2d(16, 3, 2);
    private final TransposedConv2d dec1 = new TransposedConv2d(8, 3, 2);
    private final TransposedConv2d dec2 = new TransposedConv2d(3, 6, 1);

    public SegueGenerator(int codeBits) {
        this.codeBits = codeBits;
        addChildBlock("enc0", enc0);
        addChildBlock("enc1", enc1);
        addChildBlock("enc2", enc2);
        addChildBlock("squeeze", squeeze);
        for (int b = 0; b < RESIDUAL_BLOCKS; b++) {
            for (int j = 0; j < 2; j++) {
                resConv[b][j] = addChildBlock("res" + b + "conv" + j, conv(FEATURES, 1, 0, false));
                resNorm[b][j] = addChildBlock("res" + b + "bn" + j, Layers.batchNorm());
            }
        }
        addChildBlock("dec0", dec0);
        addChildBlock("dec1", dec1);
        addChildBlock("dec2", dec2);
        // The authors initialise every convolution N(0, 0.02).
        setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
    }

    public int codeBits() {
        return codeBits;
    }

    /** Fails with a clear message when the architecture cannot map an input size back onto itself. */
    public static void checkInputSize(long height, long width) {
        if (height < 16 || width < 16 || height % 4 != 0 || width % 4 != 0) {
            throw new IllegalArgumentException("The generator needs height and width that are multiples of 4 and "
                    + "at least 16 (e.g. 112 or 224); got " + height + "x" + width);
        }
    }

    /** Initialises the parameters for inputs of the given image size. */
    public void initialize(NDManager manager, long height, long width) {
        initialize(manager, DataType.FLOAT32, new Shape(1, 3, height, width), new Shape(1, codeBits));
    }

    static Conv2d conv(int filters, int stride, int padding, boolean bias) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(filters)
                .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding))
                .optBias(bias).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray code = inputs.get(1);
        checkInputSize(x.getShape().get(2), x.getShape().get(3));
        if (code.getShape().get(1) != codeBits) {
            throw new IllegalArgumentException("expected a " + codeBits + "-bit code, got " + code.getShape());
        }
        NDArray h = normRelu(apply(enc0, ps, x, training));
        h = normRelu(apply(enc1, ps, h, training));
        h = normRelu(apply(enc2, ps, h, training));
        Shape hs = h.getShape();
        NDArray side = code.reshape(hs.get(0), codeBits, 1, 1).broadcast(hs.get(0), codeBits, hs.get(2), hs.get(3));
        h = NDArrays.concat(new NDList(h, side), 1);
        h = normRelu(apply(squeeze, ps, h, training));
        for (int b = 0; b < RESIDUAL_BLOCKS; b++) {
            NDArray r = apply(resConv[b][0], ps, Layers.reflectionPad1(h), training);
            r = Activation.relu(apply(resNorm[b][0], ps, r, training));
            r = apply(resConv[b][1], ps, Layers.reflectionPad1(r), training);
            r = apply(resNorm[b][1], ps, r, training);
            h = h.add(r);
        }
        h = normRelu(apply(dec0, ps, h, training));
        h = normRelu(apply(dec1, ps, h, training));
        return new NDList(apply(dec2, ps, h, training).tanh());
    }

    /**
     * Floating-point operations of one forward pass for an h x w image (2 per multiply-accumulate,
     * convolutions and transposed convolutions only; normalisation, activations and the residual
     * additions add well under 1%). The transposed convolutions are counted as the operation they
     * define; {@link TransposedConv2d} computes each as a convolution over a zero-dilated input, which
     * does about four times their multiply-accumulates (the zeros included).
     */
    public static long flopsPerImage(int h, int w) {
        checkInputSize(h, w);
        long macs = 0;
        int eh = h - 2;
        int ew = w - 2;
        macs += 8L * 3 * 9 * eh * ew;                           // enc0 3->8, 3x3, stride 1
        int h1 = (eh - 3) / 2 + 1;
        int w1 = (ew - 3) / 2 + 1;
        macs += 16L * 8 * 9 * h1 * w1;                          // enc1 8->16, stride 2
        int h2 = (h1 - 3) / 2 + 1;
        int w2 = (w1 - 3) / 2 + 1;
        macs += (long) FEATURES * 16 * 9 * h2 * w2;             // enc2 16->32, stride 2
        macs += (long) FEATURES * (FEATURES + 16) * 9 * h2 * w2; // squeeze (32 + 16-bit code) -> 32
        macs += 2L * RESIDUAL_BLOCKS * FEATURES * FEATURES * 9 * h2 * w2;
        macs += 16L * FEATURES * 9 * h2 * w2;                    // dec0 32->16, transposed, stride 2
        int h3 = (h2 - 1) * 2 + 3;
        int w3 = (w2 - 1) * 2 + 3;
        macs += 8L * 16 * 9 * h3 * w3;                           // dec1 16->8, transposed, stride 2
        int h4 = (h3 - 1) * 2 + 3;
        int w4 = (w3 - 1) * 2 + 3;
        macs += 3L * 8 * 36 * h4 * w4;                           // dec2 8->3, transposed 6x6, stride 1
        return 2 * macs;
    }

    private static NDArray normRelu(NDArray x) {
        return Activation.relu(Layers.instanceNorm(x));
    }

    private static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        checkInputSize(x.get(2), x.get(3));
        Shape s = init(enc0, manager, dataType, x);
        s = init(enc1, manager, dataType, s);
        s = init(enc2, manager, dataType, s);
        s = init(squeeze, manager, dataType, new Shape(s.get(0), s.get(1) + codeBits, s.get(2), s.get(3)));
        for (int b = 0; b < RESIDUAL_BLOCKS; b++) {
            for (int j = 0; j < 2; j++) {
                Shape padded = new Shape(s.get(0), s.get(1), s.get(2) + 2, s.get(3) + 2);
                Shape conv = init(resConv[b][j], manager, dataType, padded);
                init(resNorm[b][j], manager, dataType, conv);
            }
        }
        s = init(dec0, manager, dataType, s);
        s = init(dec1, manager, dataType, s);
        init(dec2, manager, dataType, s);
    }

    private static Shape init(Block block, NDManager manager, DataType dataType, Shape in) {
        block.initialize(manager, dataType, in);
        return block.getOutputShapes(new Shape[] {in})[0];
    }

    /**
     * Every parameter and running statistic under the name the authors' PyTorch state_dict uses.
     * This naming is the model file's, so official checkpoints and ours load the same way.
     */
    public Map<String, Parameter> stateDict() {
        Map<String, Parameter> map = new LinkedHashMap<>();
        putConv(map, "encoder.0", enc0);
        putConv(map, "encoder.3", enc1);
        putConv(map, "encoder.6", enc2);
        putConv(map, "Csqueeze.0", squeeze);
        for (int b = 0; b < RESIDUAL_BLOCKS; b++) {
            String prefix = "bottle_neck." + b + ".conv_block.";
            map.put(prefix + "1.weight", resConv[b][0].getParameters().get("weight"));
            putNorm(map, prefix + "2", resNorm[b][0]);
            map.put(prefix + "5.weight", resConv[b][1].getParameters().get("weight"));
            putNorm(map, prefix + "6", resNorm[b][1]);
        }
        map.put("decoder.0.weight", dec0.weight());
        map.put("decoder.3.weight", dec1.weight());
        map.put("decoder.6.weight", dec2.weight());
        return map;
    }

    private static void putConv(Map<String, Parameter> map, String prefix, Conv2d conv) {
        map.put(prefix + ".weight", conv.getParameters().get("weight"));
        map.put(prefix + ".bias", conv.getParameters().get("bias"));
    }

    private static void putNorm(Map<String, Parameter> map, String prefix, BatchNorm norm) {
        map.put(prefix + ".weight", norm.getParameters().get("gamma"));
        map.put(prefix + ".bias", norm.getParameters().get("beta"));
        map.put(prefix + ".running_mean", norm.getParameters().get("runningMean"));
        map.put(prefix + ".running_var", norm.getParameters().get("runningVar"));
    }
}
