package org.segue.engine.face;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import org.segue.engine.generator.Tensor;
import org.segue.engine.internal.Batches;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.internal.RgbImage;

import java.util.ArrayList;
import java.util.List;

/**
 * dlib's ResNet face recogniser (the network behind {@code dlib_face_recognition_resnet_model_v1}: 29
 * convolutions, 128-d descriptors, 99.38% on LFW) as face-api ships it in {@code face_recognition_model},
 * layer for layer face-api's {@code FaceRecognitionNet}: a 7x7 stride-2 convolution and a 3x3 max pool, then
 * residual stages of 32, 64, 128 and 256 channels (each downsampling block adds a 2x2 average pool of its
 * input, zero-padded in channels), a global mean and a fully connected 256 -> 128. Every convolution is
 * followed by a per-channel scale and shift (dlib's affine layer, folded into the convolution here).
 *
 * <p>Input: RGB in [0, 1], 150 x 150, minus the per-channel mean (122.782, 117.001, 104.298) / 255, as
 * face-api's {@code (x - mean) / 255} on 0..255 values. {@link #forward} is built from differentiable
 * operations only, so a gradient reaches the input; the weights never ask for one. {@link #embed} gives
 * the descriptors scaled to unit length.
 *
 * <p>Weights: Davis King's dlib model (public domain, CC0) converted by face-api (MIT), see
 * {@code face-api-LICENSE.txt} beside the model. Thread-safe: the weights are read-only tensors and every
 * call works in its own sub-manager.
 */
public final class FaceRecognitionNet implements DifferentiableEmbedder {

    /** Width and height of the network's input. */
    public static final int INPUT_SIZE = 150;

    /** Length of a descriptor. */
    public static final int DIMENSION = 128;

    /**
     * The crop the embedder takes: the framing of dlib's own 150 px chips (its 68-point template with 25%
     * padding) expressed around the canonical template, i.e. tighter than ArcFace's framing and moved up so
     * that the chin is in view. Chosen by k-means accuracy (k = 10, mean of 5 seeds) on aligned faces:
     * celeb10 95.3% and WebFace10 94.7%, against 78.9% and 67.0% for ArcFace's framing (padding 0), 80.1% for
     * celeb10's crops merely resized, 85.2% and 69.3% for paddings -0.1 and 0.1 on celeb10; a tighter variant
     * (padding -0.1, shift -0.15) scored 96.7% and 93.8%, a tie within the seeds' spread.
     */
    public static final CropFraming FRAMING = new CropFraming(INPUT_SIZE, -0.038, -0.144);

    /** Crops per forward pass in {@link #embed}: bounds the activations' memory. */
    static final int BATCH = 16;

    private static final float[] MEAN_RGB = {122.782f / 255, 117.001f / 255, 104.298f / 255};

    private final NDManager manager;
    private final Device device;
    private final NDArray mean;
    private final ConvLayer stem;
    private final List<Residual> blocks = new ArrayList<>();
    private final NDArray fc;
    private final CropFraming framing;

    private record ConvLayer(NDArray weight, NDArray bias) {}

    private record Residual(ConvLayer conv1, ConvLayer conv2, boolean down) {}

    private FaceRecognitionNet(TfjsWeights weights, Device device, CropFraming framing) {
        this.device = device;
        this.framing = framing;
        this.manager = DjlRuntime.engine().newBaseManager(device);
        try {
            mean = manager.create(MEAN_RGB, new Shape(1, 3, 1, 1));
            stem = conv(weights, "conv32_down", 7, 3, 32);
            residual(weights, "conv32_1", 32, 32, false);
            residual(weights, "conv32_2", 32, 32, false);
            residual(weights, "conv32_3", 32, 32, false);
            residual(weights, "conv64_down", 32, 64, true);
            residual(weights, "conv64_1", 64, 64, false);
            residual(weights, "conv64_2", 64, 64, false);
            residual(weights, "conv64_3", 64, 64, false);
            residual(weights, "conv128_down", 64, 128, true);
            residual(weights, "conv128_1", 128, 128, false);
            residual(weights, "conv128_2", 128, 128, false);
            residual(weights, "conv256_down", 128, 256, true);
            residual(weights, "conv256_1", 256, 256, false);
            residual(weights, "conv256_2", 256, 256, false);
            residual(weights, "conv256_down_out", 256, 256, true);
            Tensor f = weights.get("fc", 256, DIMENSION);
            fc = manager.create(f.data(), new Shape(256, DIMENSION));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The shipped network on the engine's default device, taking {@link #FRAMING} crops. */
    public static FaceRecognitionNet load() {
        return load(DjlRuntime.defaultDevice());
    }

    public static FaceRecognitionNet load(Device device) {
        return load(device, FRAMING);
    }

    /** The shipped network taking crops of another framing (its size must be {@link #INPUT_SIZE}). */
    public static FaceRecognitionNet load(Device device, CropFraming framing) {
        if (framing.size() != INPUT_SIZE) {
            throw new IllegalArgumentException("the face recognition network takes " + INPUT_SIZE + " px crops, not "
                    + framing.size());
        }
        DjlRuntime.engine();
        return new FaceRecognitionNet(TfjsWeights.loadResource("face_recognition_model"), device, framing);
    }

    private void residual(TfjsWeights w, String name, int in, int out, boolean down) {
        blocks.add(new Residual(conv(w, name + "/conv1", 3, in, out), conv(w, name + "/conv2", 3, out, out), down));
    }

    /** TensorFlow's [h, w, in, out] filters to PyTorch's [out, in, h, w], with the scale layer folded in. */
    private ConvLayer conv(TfjsWeights w, String name, int k, int in, int out) {
        float[] filters = w.get(name + "/conv/filters", k, k, in, out).data();
        float[] bias = w.get(name + "/conv/bias", out).data();
        float[] scale = w.get(name + "/scale/weights", out).data();
        float[] shift = w.get(name + "/scale/biases", out).data();
        float[] weight = new float[filters.length];
        for (int y = 0; y < k; y++) {
            for (int x = 0; x < k; x++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        weight[((o * in + i) * k + y) * k + x] = filters[((y * k + x) * in + i) * out + o] * scale[o];
                    }
                }
            }
        }
        float[] b = new float[out];
        for (int o = 0; o < out; o++) {
            b[o] = bias[o] * scale[o] + shift[o];
        }
        return new ConvLayer(manager.create(weight, new Shape(out, in, k, k)), manager.create(b, new Shape(out)));
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public CropFraming framing() {
        return framing;
    }

    public Device device() {
        return device;
    }

    /**
     * The raw descriptors (N, 128) of images (N, 3, 150, 150), RGB in [0, 1], exactly as face-api computes
     * them (not normalised; dlib's descriptors have a length near 1 but not exactly 1). Differentiable with
     * respect to {@code images}; the result lives on the images' manager and device.
     */
    @Override
    public NDArray forward(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != INPUT_SIZE || s.get(3) != INPUT_SIZE) {
            throw new IllegalArgumentException("the face recognition network takes (N, 3, " + INPUT_SIZE + ", "
                    + INPUT_SIZE + ") images, got " + s);
        }
        Device from = images.getDevice();
        NDArray x = from.equals(device) ? images : images.toDevice(device, false);
        x = x.sub(mean);
        x = Activation.relu(conv(x, stem, 2, 0));
        x = Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(0, 0), false);
        for (Residual r : blocks) {
            x = r.down ? residualDown(x, r) : residual(x, r);
        }
        // PyTorch's engine reduces over one axis at a time: flatten the plane first
        NDArray pooled = x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2});
        NDArray out = pooled.matMul(fc);
        return from.equals(device) ? out : out.toDevice(from, false);
    }

    private static NDArray conv(NDArray x, ConvLayer layer, int stride, int padding) {
        return Conv2d.conv2d(x, layer.weight, layer.bias, new Shape(stride, stride), new Shape(padding, padding),
                new Shape(1, 1), 1).singletonOrThrow();
    }

    private static NDArray residual(NDArray x, Residual r) {
        NDArray out = Activation.relu(conv(x, r.conv1, 1, 1));
        out = conv(out, r.conv2, 1, 1);
        return Activation.relu(out.add(x));
    }

    /**
     * face-api's residualDown: the convolution path shrinks with 'valid' stride-2 padding and is zero-padded
     * at the bottom and right where it comes out one smaller than the 2x2 average pool of the input, which
     * is zero-padded in channels to match.
     */
    private static NDArray residualDown(NDArray x, Residual r) {
        NDArray out = Activation.relu(conv(x, r.conv1, 2, 0));
        out = conv(out, r.conv2, 1, 1);
        NDArray pooled = Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
        long ph = pooled.getShape().get(2);
        long pw = pooled.getShape().get(3);
        long oh = out.getShape().get(2);
        long ow = out.getShape().get(3);
        if (oh != ph || ow != pw) {
            // face-api adds one zero row and one zero column whenever the sizes differ at all
            out = out.pad(new Shape(0, 1, 0, 1), 0);
        }
        long extra = out.getShape().get(1) - pooled.getShape().get(1);
        if (extra > 0) {
            pooled = pooled.pad(new Shape(0, 0, 0, 0, 0, extra), 0);
        }
        return Activation.relu(pooled.add(out));
    }

    @Override
    public float[][] embed(List<RgbImage> alignedCrops) {
        if (alignedCrops == null) {
            throw new IllegalArgumentException("no face crops to embed");
        }
        for (int i = 0; i < alignedCrops.size(); i++) {
            RgbImage c = alignedCrops.get(i);
            if (c == null || c.width() != INPUT_SIZE || c.height() != INPUT_SIZE) {
                throw new IllegalArgumentException("face crop " + i + " is "
                        + (c == null ? "missing" : c.width() + "x" + c.height()) + "; the embedder takes "
                        + INPUT_SIZE + "x" + INPUT_SIZE + " aligned crops (FaceEmbedder.align(landmarks).warp(photo))");
            }
        }
        float[][] out = new float[alignedCrops.size()][];
        if (alignedCrops.isEmpty()) {
            return out;
        }
        DjlRuntime.noGradientsOnThisThread();
        for (int start = 0; start < out.length; start += BATCH) {
            int n = Math.min(BATCH, out.length - start);
            float[] flat;
            try (NDScope scope = new NDScope(); NDManager call = manager.newSubManager()) {
                NDArray batch = Batches.stack(call, alignedCrops.subList(start, start + n));
                flat = forward(batch).toFloatArray();
            }
            for (int i = 0; i < n; i++) {
                out[start + i] = unit(flat, i * DIMENSION);
            }
        }
        return out;
    }

    private static float[] unit(float[] flat, int offset) {
        double sum = 0;
        for (int d = 0; d < DIMENSION; d++) {
            sum += (double) flat[offset + d] * flat[offset + d];
        }
        float[] v = new float[DIMENSION];
        if (!(sum > 0) || !Double.isFinite(sum)) {
            throw new IllegalStateException("the face recognition network gave a degenerate descriptor");
        }
        float inv = (float) (1 / Math.sqrt(sum));
        for (int d = 0; d < DIMENSION; d++) {
            v[d] = flat[offset + d] * inv;
        }
        return v;
    }

    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "FaceRecognitionNet[dlib ResNet, " + INPUT_SIZE + " px, " + DIMENSION + "-d, " + device + "]";
    }
}
