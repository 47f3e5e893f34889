package org.segue.engine.face;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.segue.engine.generator.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a network's weights in the TensorFlow.js layout the shipped face models come in: a JSON manifest
 * naming each tensor with its shape and (optional) 8-bit quantisation, and binary shards holding the
 * tensors back to back in manifest order. Quantised tensors are stored as {@code uint8} with a scale and a
 * minimum ({@code value = min + scale * q}); the rest as little-endian float32. Shapes keep TensorFlow's
 * order (convolution filters are {@code [h, w, in, out]}); the networks transpose what they need.
 */
public final class TfjsWeights {

    private final String name;
    private final Map<String, Tensor> tensors;

    private TfjsWeights(String name, Map<String, Tensor> tensors) {
        this.name = name;
        this.tensors = tensors;
    }

    /**
     * Loads {@code <model>-weights_manifest.json} and its shards from the class path, beside this class's
     * {@code /org/segue/engine/face/} resources.
     */
    public static TfjsWeights loadResource(String model) {
        String folder = "/org/segue/engine/face/";
        String manifestName = folder + model + "-weights_manifest.json";
        try (InputStream manifest = TfjsWeights.class.getResourceAsStream(manifestName)) {
            if (manifest == null) {
                throw new IllegalStateException("face model '" + model + "' is missing from the engine ("
                        + manifestName + ")");
            }
            JsonArray groups = JsonParser.parseReader(new InputStreamReader(manifest, StandardCharsets.UTF_8))
                    .getAsJsonArray();
            return parse(model, groups, path -> readResource(folder + path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read face model '" + model + "'", e);
        }
    }

    /**
     * Loads the weights a TensorFlow.js model file names ({@code weightsManifest} of a graph model's
     * {@code model.json}), with its shards beside it in {@code folder}.
     */
    public static TfjsWeights load(String model, JsonArray groups, Path folder) throws IOException {
        return parse(model, groups, path -> Files.readAllBytes(folder.resolve(path)));
    }

    /** Reads one shard by the path the manifest gives. */
    interface ShardReader {
        byte[] read(String path) throws IOException;
    }

    static TfjsWeights parse(String model, JsonArray groups, ShardReader shards) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (JsonElement g : groups) {
            JsonObject group = g.getAsJsonObject();
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (JsonElement path : group.getAsJsonArray("paths")) {
                joined.write(shards.read(path.getAsString()));
            }
            ByteBuffer data = ByteBuffer.wrap(joined.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonElement w : group.getAsJsonArray("weights")) {
                JsonObject weight = w.getAsJsonObject();
                String tensorName = weight.get("name").getAsString();
                JsonArray shapeJson = weight.getAsJsonArray("shape");
                long[] shape = new long[shapeJson.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeJson.get(i).getAsLong();
                    count *= shape[i];
                }
                float[] values = new float[Math.toIntExact(count)];
                JsonObject quantization = weight.has("quantization") ? weight.getAsJsonObject("quantization") : null;
                if (quantization != null) {
                    String dtype = quantization.get("dtype").getAsString();
                    switch (dtype) {
                        case "uint8", "uint16" -> {
                            // affine quantisation: value = min + scale * q
                            float scale = quantization.get("scale").getAsFloat();
                            float min = quantization.get("min").getAsFloat();
                            boolean wide = dtype.equals("uint16");
                            need(data, (wide ? 2L : 1L) * values.length, model, tensorName);
                            for (int i = 0; i < values.length; i++) {
                                values[i] = min + scale * (wide ? data.getShort() & 0xFFFF : data.get() & 0xFF);
                            }
                        }
                        case "float16" -> {
                            need(data, 2L * values.length, model, tensorName);
                            for (int i = 0; i < values.length; i++) {
                                values[i] = halfToFloat(data.getShort());
                            }
                        }
                        default -> throw new IOException(model + ": tensor " + tensorName
                                + " has unsupported quantisation " + dtype);
                    }
                } else {
                    String dtype = weight.has("dtype") ? weight.get("dtype").getAsString() : "float32";
                    if (!"float32".equals(dtype) && !"int32".equals(dtype)) {
                        throw new IOException(model + ": tensor " + tensorName + " has unsupported type " + dtype);
                    }
                    need(data, 4L * values.length, model, tensorName);
                    for (int i = 0; i < values.length; i++) {
                        // int32 tensors of graph models are shapes, axes and paddings: small, exact as floats
                        values[i] = "int32".equals(dtype) ? data.getInt() : data.getFloat();
                    }
                }
                if (tensors.put(tensorName, new Tensor(shape, values)) != null) {
                    throw new IOException(model + ": tensor " + tensorName + " appears twice");
                }
            }
            if (data.hasRemaining()) {
                throw new IOException(model + ": " + data.remaining() + " bytes left over after the last tensor");
            }
        }
        return new TfjsWeights(model, Collections.unmodifiableMap(tensors));
    }

    /** IEEE 754 half precision to float (subnormals, infinities and NaN included). */
    static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | mantissa << 13);
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // subnormal: mantissa * 2^-24
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }

    private static void need(ByteBuffer data, long bytes, String model, String tensor) throws IOException {
        if (data.remaining() < bytes) {
            throw new IOException(model + ": weights end inside tensor " + tensor);
        }
    }

    private static byte[] readResource(String path) throws IOException {
        try (InputStream in = TfjsWeights.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing shard " + path);
            }
            return in.readAllBytes();
        }
    }

    /** The model's name, as loaded. */
    public String name() {
        return name;
    }

    /** Every tensor by its TensorFlow name, in manifest order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /**
     * The tensor of that name, checked against the shape the network expects.
     *
     * @throws IllegalStateException naming the tensor when it is absent or shaped otherwise
     */
    public Tensor get(String tensorName, long... expectedShape) {
        Tensor t = tensors.get(tensorName);
        if (t == null) {
            throw new IllegalStateException(name + ": no tensor " + tensorName);
        }
        if (expectedShape.length > 0 && !Arrays.equals(expectedShape, t.shape())) {
            throw new IllegalStateException(name + ": tensor " + tensorName + " has shape "
                    + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(expectedShape));
        }
        return t;
    }
}
