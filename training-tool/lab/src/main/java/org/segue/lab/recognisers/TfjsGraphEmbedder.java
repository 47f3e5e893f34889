package org.segue.lab.recognisers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.segue.engine.face.CropFraming;
import org.segue.engine.face.DifferentiableEmbedder;
import org.segue.engine.face.TfjsWeights;
import org.segue.engine.generator.Tensor;
import org.segue.engine.internal.Batches;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.sideinfo.Embeddings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A face recogniser that comes as a TensorFlow.js graph model ({@code model.json} and its weight shards), run by
 * interpreting its graph with DJL operations. It plays a held-out recogniser in the lab: one the product never
 * trains against, of another architecture and training set, so that protection is measured black-box. Only the
 * operations such models use are known (convolutions with their fused bias and activation, depthwise convolutions,
 * matrix products, element-wise arithmetic, reductions, reshapes, padding); any other stops the load with its name.
 *
 * <p>Tensors keep TensorFlow's NHWC layout between operations, so shapes, axes and reshapes mean what the graph
 * says; convolutions transpose to DJL's NCHW and back. The models' weights are not the project's: they stay
 * outside the repository and are passed by path (their licences are for the user to check).
 */
public final class TfjsGraphEmbedder implements DifferentiableEmbedder {

    /** Crops per forward pass. */
    private static final int BATCH = 32;

    private record Node(String name, String op, List<String> inputs, JsonObject attr) {}

    private final String name;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final String input;
    private final String output;
    private final NDManager manager;
    private final Map<String, NDArray> constants = new HashMap<>();
    /** The same weights by identity: NDArray.equals compares contents, which is slow and can match a result. */
    private final Set<NDArray> constantArrays = Collections.newSetFromMap(new IdentityHashMap<>());
    private final CropFraming framing;
    private final float inputScale;
    private final float inputOffset;
    private final int dimension;

    /**
     * @param modelJson   the graph model's {@code model.json}; its weight shards lie beside it
     * @param output      the node whose value is the embedding (graph models of multi-task networks name several)
     * @param framing     the aligned crop the network takes (its size is the network's input size)
     * @param inputScale  pixel values in [0, 1] are multiplied by this ...
     * @param inputOffset ... and this is added, giving what the network was trained on
     */
    public TfjsGraphEmbedder(Path modelJson, String output, CropFraming framing, float inputScale, float inputOffset)
            throws IOException {
        this.name = modelJson.getFileName().toString().replaceFirst("\\.json$", "");
        this.framing = framing;
        this.inputScale = inputScale;
        this.inputOffset = inputOffset;
        JsonObject model;
        try (Reader r = Files.newBufferedReader(modelJson, StandardCharsets.UTF_8)) {
            model = JsonParser.parseReader(r).getAsJsonObject();
        }
        String placeholder = null;
        for (JsonElement e : model.getAsJsonObject("modelTopology").getAsJsonArray("node")) {
            JsonObject n = e.getAsJsonObject();
            List<String> inputs = new ArrayList<>();
            if (n.has("input")) {
                for (JsonElement i : n.getAsJsonArray("input")) {
                    String ref = i.getAsString();
                    if (!ref.startsWith("^")) { // control dependencies carry no value
                        inputs.add(ref.replaceFirst(":0$", ""));
                    }
                }
            }
            Node node = new Node(n.get("name").getAsString(), n.get("op").getAsString(), inputs,
                    n.has("attr") ? n.getAsJsonObject("attr") : new JsonObject());
            nodes.put(node.name(), node);
            if (node.op().equals("Placeholder")) {
                placeholder = node.name();
            }
        }
        if (placeholder == null || !nodes.containsKey(output)) {
            throw new IOException(modelJson + ": no input placeholder or no node named " + output);
        }
        this.input = placeholder;
        this.output = output;
        DjlRuntime.noGradientsOnThisThread();
        this.manager = DjlRuntime.engine().newBaseManager(DjlRuntime.defaultDevice());
        try {
            TfjsWeights weights = TfjsWeights.load(name, model.getAsJsonArray("weightsManifest"), modelJson.getParent());
            for (Map.Entry<String, Tensor> w : weights.tensors().entrySet()) {
                NDArray constant = DjlRuntime.constant(manager, w.getValue().data(), new Shape(w.getValue().shape()));
                constants.put(w.getKey(), constant);
                constantArrays.add(constant);
            }
            this.dimension = Math.toIntExact(embedRaw(List.of(new RgbImage(new float[3 * framing.size() * framing.size()],
                    framing.size(), framing.size())))[0].length);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The model's file name without {@code .json}. */
    public String name() {
        return name;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public CropFraming framing() {
        return framing;
    }

    @Override
    public float[][] embed(List<RgbImage> alignedCrops) {
        float[][] raw = embedRaw(alignedCrops);
        float[][] out = new float[raw.length][];
        for (int i = 0; i < raw.length; i++) {
            out[i] = Embeddings.unitLength(raw[i]);
        }
        return out;
    }

    private float[][] embedRaw(List<RgbImage> crops) {
        for (int i = 0; i < crops.size(); i++) {
            RgbImage c = crops.get(i);
            if (c.height() != framing.size() || c.width() != framing.size()) {
                throw new IllegalArgumentException("crop " + i + " is " + c.width() + "x" + c.height() + ", "
                        + name + " takes " + framing.size() + "x" + framing.size());
            }
        }
        DjlRuntime.noGradientsOnThisThread();
        float[][] out = new float[crops.size()][];
        for (int start = 0; start < crops.size(); start += BATCH) {
            List<RgbImage> batch = crops.subList(start, Math.min(crops.size(), start + BATCH));
            try (NDManager step = manager.newSubManager()) {
                float[] all = run(Batches.stack(step, batch), step).toFloatArray();
                int d = all.length / batch.size();
                for (int i = 0; i < batch.size(); i++) {
                    out[start + i] = java.util.Arrays.copyOfRange(all, i * d, (i + 1) * d);
                }
            }
        }
        return out;
    }

    /**
     * The raw embeddings of aligned crops (N, 3, S, S) in [0, 1]; differentiable with respect to {@code crops}, so
     * that the lab can optimise against this network (a surrogate whose weights never ship).
     */
    @Override
    public NDArray forward(NDArray crops) {
        long[] s = crops.getShape().getShape();
        if (s.length != 4 || s[1] != 3 || s[2] != framing.size() || s[3] != framing.size()) {
            throw new IllegalArgumentException(name + " takes (N, 3, " + framing.size() + ", " + framing.size()
                    + ") crops, got " + crops.getShape());
        }
        return run(crops, crops.getManager());
    }

    /** The graph's output for a batch, flattened to one row per crop; intermediate values belong to {@code step}. */
    private NDArray run(NDArray nchw, NDManager step) {
        NDArray nhwc = nchw.transpose(0, 2, 3, 1).mul(inputScale).add(inputOffset);
        Map<String, NDArray> values = new HashMap<>();
        values.put(input, nhwc);
        return value(output, values, step).reshape(nchw.getShape().get(0), -1);
    }

    /**
     * The value of node {@code name}, computing what it needs first (memoised in {@code values}); what is computed
     * belongs to {@code step}, also where an operation's first operand is a weight.
     */
    private NDArray value(String name, Map<String, NDArray> values, NDManager step) {
        NDArray known = values.get(name);
        if (known != null) {
            return known;
        }
        NDArray constant = constants.get(name);
        if (constant != null) {
            return constant;
        }
        Node node = nodes.get(name);
        if (node == null) {
            throw new IllegalStateException(this.name + ": no node or weight named " + name);
        }
        List<NDArray> in = new ArrayList<>();
        for (String i : node.inputs()) {
            in.add(value(i, values, step));
        }
        NDArray v = apply(node, in);
        if (v.getManager() != step && !constantArrays.contains(v)) {
            v.attach(step);
        }
        values.put(name, v);
        return v;
    }

    private NDArray apply(Node node, List<NDArray> in) {
        NDArray x = in.isEmpty() ? null : in.get(0);
        return switch (node.op()) {
            case "Identity", "Cast" -> x;
            case "Add", "AddV2", "BiasAdd" -> x.add(in.get(1));
            case "Sub" -> x.sub(in.get(1));
            case "Mul" -> x.mul(in.get(1));
            case "RealDiv" -> x.div(in.get(1));
            case "Maximum" -> x.maximum(in.get(1));
            case "Minimum" -> x.minimum(in.get(1));
            case "Abs" -> x.abs();
            case "Neg" -> x.neg();
            case "Square" -> x.square();
            case "Sqrt" -> x.sqrt();
            case "Rsqrt" -> x.sqrt().pow(-1f);
            case "Relu" -> x.maximum(0f);
            case "Relu6" -> x.clip(0f, 6f);
            case "Sigmoid" -> ai.djl.nn.Activation.sigmoid(x);
            case "Tanh" -> x.tanh();
            case "Softmax" -> x.softmax(-1);
            case "Sum" -> reduce(x, axes(in.get(1), x), bool(node, "keep_dims"), false);
            case "Mean" -> reduce(x, axes(in.get(1), x), bool(node, "keep_dims"), true);
            case "Squeeze" -> x.squeeze(ints(node, "squeeze_dims"));
            case "Reshape" -> x.reshape(new Shape(longs(in.get(1))));
            case "Pad" -> pad(x, in.get(1));
            case "Conv2D", "_FusedConv2D" -> activation(node, convolution(node, x, in.get(1), false), in);
            case "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative" ->
                    activation(node, convolution(node, x, in.get(1), true), in);
            case "MatMul", "_FusedMatMul" -> activation(node, matMul(node, x, in.get(1)), in);
            default -> throw new IllegalStateException(name + ": operation " + node.op() + " (node " + node.name()
                    + ") is not supported");
        };
    }

    /** A 2-D convolution of NHWC {@code x} with TensorFlow's filter ({@code [h, w, in, out]}, or depthwise {@code [h, w, in, multiplier]}). */
    private NDArray convolution(Node node, NDArray x, NDArray filter, boolean depthwise) {
        long[] f = filter.getShape().getShape();
        long channels = x.getShape().get(3);
        NDArray weight = depthwise
                ? filter.transpose(2, 3, 0, 1).reshape(f[2] * f[3], 1, f[0], f[1])
                : filter.transpose(3, 2, 0, 1);
        int[] strides = ints(node, "strides");
        int[] dilations = node.attr().has("dilations") ? ints(node, "dilations") : new int[] {1, 1, 1, 1};
        NDArray nchw = x.transpose(0, 3, 1, 2);
        if (string(node, "padding").equals("SAME")) {
            long[] pads = new long[4]; // DJL's order: last axis first, (before, after) each
            for (int axis = 0; axis < 2; axis++) {
                long size = x.getShape().get(1 + axis);
                long stride = strides[1 + axis];
                long kernel = (f[axis] - 1) * dilations[1 + axis] + 1;
                long out = (size + stride - 1) / stride;
                long total = Math.max(0, (out - 1) * stride + kernel - size);
                int at = axis == 0 ? 2 : 0; // height pads come after width pads
                pads[at] = total / 2;
                pads[at + 1] = total - total / 2;
            }
            nchw = nchw.pad(new Shape(pads), 0);
        } else if (!string(node, "padding").equals("VALID")) {
            throw new IllegalStateException(name + ": padding " + string(node, "padding") + " of " + node.name());
        }
        NDArray y = Conv2d.conv2d(nchw, weight, null, new Shape(strides[1], strides[2]), new Shape(0, 0),
                new Shape(dilations[1], dilations[2]), depthwise ? (int) channels : 1).singletonOrThrow();
        return y.transpose(0, 2, 3, 1);
    }

    private NDArray matMul(Node node, NDArray a, NDArray b) {
        NDArray left = bool(node, "transpose_a") ? a.transpose() : a;
        NDArray right = bool(node, "transpose_b") ? b.transpose() : b;
        return left.matMul(right);
    }

    /** The fused operations of a fused node after its main one: bias, then an activation. */
    private NDArray activation(Node node, NDArray y, List<NDArray> in) {
        NDArray out = y;
        int next = 2;
        for (String op : strings(node, "fused_ops")) {
            switch (op) {
                case "BiasAdd" -> out = out.add(in.get(next++));
                case "Relu" -> out = out.maximum(0f);
                case "Relu6" -> out = out.clip(0f, 6f);
                case "Prelu" -> {
                    NDArray alpha = in.get(next++);
                    out = out.maximum(0f).add(out.minimum(0f).mul(alpha));
                }
                default -> throw new IllegalStateException(name + ": fused operation " + op + " of " + node.name()
                        + " is not supported");
            }
        }
        return out;
    }

    /**
     * A sum or mean over several axes, one axis at a time (DJL's PyTorch engine reduces over one axis per call),
     * the highest first so that the lower axes keep their numbers.
     */
    private static NDArray reduce(NDArray x, int[] axes, boolean keepDims, boolean mean) {
        int[] sorted = axes.clone();
        java.util.Arrays.sort(sorted);
        NDArray out = x;
        for (int i = sorted.length - 1; i >= 0; i--) {
            int[] axis = {sorted[i]};
            out = mean ? out.mean(axis, keepDims) : out.sum(axis, keepDims);
        }
        return out;
    }

    private static NDArray pad(NDArray x, NDArray paddings) {
        long[] p = longs(paddings); // [rank, 2] in axis order
        int rank = p.length / 2;
        long[] djl = new long[p.length];
        for (int axis = 0; axis < rank; axis++) {
            int from = rank - 1 - axis;
            djl[2 * axis] = p[2 * from];
            djl[2 * axis + 1] = p[2 * from + 1];
        }
        return x.pad(new Shape(djl), 0);
    }

    private static int[] axes(NDArray axes, NDArray of) {
        long[] a = longs(axes);
        int rank = of.getShape().dimension();
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (int) (a[i] < 0 ? a[i] + rank : a[i]);
        }
        return out;
    }

    private static long[] longs(NDArray a) {
        float[] v = a.toFloatArray();
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.round(v[i]);
        }
        return out;
    }

    private static boolean bool(Node node, String key) {
        return node.attr().has(key) && node.attr().getAsJsonObject(key).get("b").getAsBoolean();
    }

    private static String string(Node node, String key) {
        return new String(Base64.getDecoder().decode(node.attr().getAsJsonObject(key).get("s").getAsString()),
                StandardCharsets.UTF_8);
    }

    private static List<String> strings(Node node, String key) {
        List<String> out = new ArrayList<>();
        if (node.attr().has(key)) {
            JsonObject list = node.attr().getAsJsonObject(key).getAsJsonObject("list");
            if (list.has("s")) {
                for (JsonElement e : list.getAsJsonArray("s")) {
                    out.add(new String(Base64.getDecoder().decode(e.getAsString()), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static int[] ints(Node node, String key) {
        JsonObject list = node.attr().getAsJsonObject(key).getAsJsonObject("list");
        if (!list.has("i")) {
            return new int[0];
        }
        JsonArray values = list.getAsJsonArray("i");
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).getAsInt();
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
