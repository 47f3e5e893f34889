package org.segue.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * PyTorch's ConvTranspose2d (no padding, no bias, no output padding), which DJL's PyTorch engine
 * does not implement. It is computed exactly as its definition: insert stride-1 zeros between the
 * input pixels, pad by kernel-1 on every side, and correlate with the kernel flipped in both spatial
 * axes and with input/output channels swapped. The weight keeps PyTorch's layout
 * (in_channels, out_channels, kH, kW) so PyTorch checkpoints load unchanged.
 * Output size: (H - 1) * stride + kernel.
 */
public final class TransposedConv2d extends AbstractBlock {

    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final Parameter weight;

    public TransposedConv2d(int outChannels, int kernel, int stride) {
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(inputShapes[0].get(1), outChannels, kernel, kernel));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), outChannels,
                (in.get(2) - 1) * stride + kernel, (in.get(3) - 1) * stride + kernel)};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        // Derived weights are attached to the caller's manager so they are freed with the step,
        // not kept for the model's lifetime.
        NDArray swapped = w.transpose(1, 0, 2, 3);
        swapped.attach(x.getManager());
        NDArray flipped = swapped.flip(2, 3);
        NDArray spread = Layers.dilateWithZeros(x, stride);
        return Conv2d.conv2d(spread, flipped, null, new Shape(1, 1),
                new Shape(kernel - 1, kernel - 1), new Shape(1, 1), 1);
    }
}
