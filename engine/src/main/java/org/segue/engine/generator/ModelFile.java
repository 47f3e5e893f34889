package org.segue.engine.generator;

import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.generator.Tensor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The self-describing model file ({@code .segue}): one file holding the metadata and the weights,
 * independent of DJL's own parameter serialisation so it survives DJL upgrades.
 *
 * <pre>
 *   8 bytes   magic "SEGUEMDL"
 *   int       format version ({@value #FORMAT_VERSION})
 *   int, utf8 header: java.util.Properties text (architecture, epsilon, input size, code bits,
 *             recipe.*, weights.sha256)
 *   ...       weights: int count, then per tensor: UTF name, int rank, long dims, float32 LE data
 * </pre>
 * The SHA-256 of the weights section is stored in the header and verified on load, so a truncated,
 * corrupted or edited file is refused before any photo is touched.
 */
public final class ModelFile {

    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "SEGUEMDL".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER = 1 << 20;

    private ModelFile() {}

    /** A model's metadata and named weights. */
    public record Contents(ModelInfo info, Map<String, Tensor> weights) {}

    /** Writes atomically: a reader never sees a half-written model. */
    public static void write(Path file, ModelInfo info, Map<String, Tensor> weights) throws IOException {
        byte[] weightBytes = encodeWeights(weights);
        Properties header = new Properties();
        header.setProperty("architecture", info.architecture());
        header.setProperty("epsilon", Float.toString(info.epsilon()));
        header.setProperty("input.height", Integer.toString(info.inputHeight()));
        header.setProperty("input.width", Integer.toString(info.inputWidth()));
        header.setProperty("code.bits", Integer.toString(info.codeBits()));
        info.recipe().forEach((k, v) -> header.setProperty("recipe." + k, v));
        header.setProperty("weights.sha256", sha256(weightBytes));
        StringWriter text = new StringWriter();
        header.store(text, "Segue generator model");
        byte[] headerBytes = text.toString().getBytes(StandardCharsets.UTF_8);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream(weightBytes.length + headerBytes.length + 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeInt(headerBytes.length);
            out.write(headerBytes);
            out.write(weightBytes);
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }

    /** Reads and verifies a model file; every kind of damage ends in a {@link ModelFormatException}. */
    public static Contents read(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("Model file not found: " + file);
        }
        return parse(all, file.toString());
    }

    /** Reads and verifies a model from bytes (e.g. a resource inside a jar). */
    public static Contents parse(byte[] all, String source) throws ModelFormatException {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ModelFormatException(source + " is not a Segue model file (wrong magic bytes)");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new ModelFormatException(source + " has model format version " + version
                        + "; this Segue reads version " + FORMAT_VERSION);
            }
            int headerLength = in.readInt();
            if (headerLength < 0 || headerLength > MAX_HEADER || headerLength > in.available()) {
                throw new ModelFormatException(source + " is truncated or corrupted (header length " + headerLength + ")");
            }
            byte[] headerBytes = new byte[headerLength];
            in.readFully(headerBytes);
            Properties header = new Properties();
            header.load(new StringReader(new String(headerBytes, StandardCharsets.UTF_8)));
            int weightsStart = MAGIC.length + 8 + headerLength;
            byte[] weightBytes = Arrays.copyOfRange(all, weightsStart, all.length);
            String expected = header.getProperty("weights.sha256");
            if (expected == null) {
                throw new ModelFormatException(source + " has no weights checksum");
            }
            if (!expected.equals(sha256(weightBytes))) {
                throw new ModelFormatException(source + " is corrupted, truncated or was modified: "
                        + "the weights do not match their SHA-256 checksum");
            }
            return new Contents(parseInfo(header, source), decodeWeights(weightBytes, source));
        } catch (EOFException e) {
            throw new ModelFormatException(source + " is truncated", e);
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(source + " is not a readable Segue model: " + e.getMessage(), e);
        }
    }

    private static ModelInfo parseInfo(Properties header, String source) throws ModelFormatException {
        Map<String, String> recipe = new TreeMap<>();
        for (String key : header.stringPropertyNames()) {
            if (key.startsWith("recipe.")) {
                recipe.put(key.substring("recipe.".length()), header.getProperty(key));
            }
        }
        try {
            return new ModelInfo(required(header, "architecture", source),
                    Float.parseFloat(required(header, "epsilon", source)),
                    Integer.parseInt(required(header, "input.height", source)),
                    Integer.parseInt(required(header, "input.width", source)),
                    Integer.parseInt(required(header, "code.bits", source)), recipe);
        } catch (NumberFormatException e) {
            throw new ModelFormatException(source + " has a malformed header: " + e.getMessage(), e);
        }
    }

    private static String required(Properties header, String key, String source) throws ModelFormatException {
        String v = header.getProperty(key);
        if (v == null) {
            throw new ModelFormatException(source + " lacks header field '" + key + "'");
        }
        return v;
    }

    private static byte[] encodeWeights(Map<String, Tensor> weights) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(weights.size());
            for (Map.Entry<String, Tensor> e : weights.entrySet()) {
                out.writeUTF(e.getKey());
                long[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                float[] data = e.getValue().data();
                ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(data);
                out.write(buf.array());
            }
        }
        return bytes.toByteArray();
    }

    private static Map<String, Tensor> decodeWeights(byte[] bytes, String source) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int count = in.readInt();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            int rank = in.readInt();
            if (rank < 0 || rank > 8) {
                throw new ModelFormatException(source + ": tensor '" + name + "' has invalid rank " + rank);
            }
            long[] shape = new long[rank];
            long n = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = in.readLong();
                n *= shape[d];
            }
            if (n < 0 || n * 4 > in.available()) {
                throw new ModelFormatException(source + ": tensor '" + name + "' is truncated");
            }
            byte[] raw = new byte[Math.toIntExact(n * 4)];
            in.readFully(raw);
            float[] data = new float[(int) n];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            out.put(name, new Tensor(shape, data));
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
