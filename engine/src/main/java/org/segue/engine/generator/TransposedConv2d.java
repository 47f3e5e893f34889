package org.segue.engine.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * PyTorch's ConvTranspose2d (no padding, no bias, no output padding), which DJL's PyTorch engine
 * does not implement. The weight keeps PyTorch's layout (in_channels, out_channels, kH, kW) so
 * PyTorch checkpoints load unchanged. Output size: (H - 1) * stride + kernel.
 *
 * <p>Computed exactly, in sub-pixel (polyphase) form: output pixel {@code y*s + r} only receives the
 * kernel taps {@code r, r + s, r + 2s, ...}, so each of the s x s output phases is an ordinary
 * convolution of the (padded) input with a ceil(k/s)-sized slice of the flipped kernel. All phases
 * run as one convolution with s*s*out channels, then a pixel shuffle interleaves them. The textbook
 * form (insert s-1 zeros between input pixels, then convolve) does about s*s times the work, nearly
 * all of it multiplying zeros: for the generator's two stride-2 layers this form needs 2.25x fewer
 * multiply-accumulates.
 */
public final class TransposedConv2d extends AbstractBlock {

    private final int outChannels;
    private final int kernel;
    private final int stride;
    /** Taps per phase and axis: ceil(kernel / stride). */
    private final int taps;
    private final Parameter weight;
    /**
     * 0/1 matrix (k*k, s*s*taps*taps) that picks, for phase (ry, rx) and window position (a, b), the
     * kernel tap (ry + s*(taps-1-a), rx + s*(taps-1-b)), or nothing past the kernel's edge. A matrix
     * product keeps the derived weight differentiable.
     */
    private final float[] phaseSelection;

    public TransposedConv2d(int outChannels, int kernel, int stride) {
        if (outChannels < 1 || kernel < 1 || stride < 1) {
            throw new IllegalArgumentException("channels, kernel and stride must be positive");
        }
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.taps = (kernel + stride - 1) / stride;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        int columns = stride * stride * taps * taps;
        phaseSelection = new float[kernel * kernel * columns];
        for (int ry = 0; ry < stride; ry++) {
            for (int rx = 0; rx < stride; rx++) {
                for (int a = 0; a < taps; a++) {
                    for (int b = 0; b < taps; b++) {
                        int ty = ry + stride * (taps - 1 - a);
                        int tx = rx + stride * (taps - 1 - b);
                        if (ty < kernel && tx < kernel) {
                            int column = ((ry * stride + rx) * taps + a) * taps + b;
                            phaseSelection[(ty * kernel + tx) * columns + column] = 1f;
                        }
                    }
                }
            }
        }
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
        long n = x.getShape().get(0);
        long in = x.getShape().get(1);
        long h = x.getShape().get(2);
        long wd = x.getShape().get(3);
        NDManager step = x.getManager();
        // Derived arrays belong to the caller's manager so they are freed with the step, not kept
        // for the model's lifetime.
        NDArray select = step.create(phaseSelection, new Shape(kernel * kernel, (long) stride * stride * taps * taps))
                .toDevice(x.getDevice(), false);
        NDArray flat = w.reshape(in * outChannels, (long) kernel * kernel);
        flat.attach(step);
        // (in, out, s, s, taps, taps) -> (s, s, out, in, taps, taps): phase-major output channels
        NDArray phases = flat.matMul(select).reshape(in, outChannels, stride, stride, taps, taps)
                .transpose(2, 3, 1, 0, 4, 5).reshape((long) stride * stride * outChannels, in, taps, taps);
        long oh = h + taps - 1;
        long ow = wd + taps - 1;
        NDArray y = Conv2d.conv2d(x, phases, null, new Shape(1, 1), new Shape(taps - 1, taps - 1),
                new Shape(1, 1), 1).singletonOrThrow();
        if (stride > 1) {
            // pixel shuffle: (n, s, s, out, oh, ow) -> (n, out, oh, s, ow, s)
            y = y.reshape(n, stride, stride, outChannels, oh, ow).transpose(0, 3, 4, 1, 5, 2)
                    .reshape(n, outChannels, oh * stride, ow * stride);
        }
        long fullH = (h - 1) * stride + kernel;
        long fullW = (wd - 1) * stride + kernel;
        if (y.getShape().get(2) != fullH || y.getShape().get(3) != fullW) {
            y = y.get(new NDIndex(":, :, :{}, :{}", fullH, fullW));
        }
        return new NDList(y);
    }
}
