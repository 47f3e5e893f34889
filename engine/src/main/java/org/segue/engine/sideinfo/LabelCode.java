package org.segue.engine.sideinfo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The generator's side information: an identity number written as a fixed-width binary code,
 * most significant bit first (5 -> 0...0101), as the authors' code does. With 16 bits one trained
 * generator serves up to 65536 identities without retraining.
 */
public final class LabelCode {

    /** Code width used by the paper and by every shipped model. */
    public static final int DEFAULT_BITS = 16;

    private LabelCode() {}

    /** The largest number of identities a code of {@code bits} bits can tell apart. */
    public static long capacity(int bits) {
        return 1L << bits;
    }

    /** Writes {@code label} as {@code bits} values 0/1, most significant bit first. */
    public static float[] encode(int label, int bits) {
        if (bits < 1 || bits > 30) {
            throw new IllegalArgumentException("code width must be 1..30 bits, was " + bits);
        }
        if (label < 0 || label >= capacity(bits)) {
            throw new IllegalArgumentException(
                    "label " + label + " does not fit a " + bits + "-bit code (0.." + (capacity(bits) - 1) + ")");
        }
        float[] code = new float[bits];
        for (int i = 0; i < bits; i++) {
            code[i] = (label >>> (bits - 1 - i)) & 1;
        }
        return code;
    }

    /**
     * A stable label for a person's name: the first {@code bits} bits of the SHA-256 of the name,
     * trimmed, Unicode-normalised (NFC) and case-folded, so "Ada Lovelace" gets the same code on
     * every photo and every run. The code does not reveal the name (65536 codes, many names each)
     * and is never written into outputs.
     */
    public static int labelForName(String name, int bits) {
        String normalised = name == null ? "" : java.text.Normalizer.normalize(name.strip(), java.text.Normalizer.Form.NFC)
                .toLowerCase(java.util.Locale.ROOT);
        if (normalised.isEmpty()) {
            throw new IllegalArgumentException("a person's name must not be empty");
        }
        encode(0, bits); // checks the width
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(normalised.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long head = 0;
            for (int i = 0; i < 4; i++) {
                head = (head << 8) | (digest[i] & 0xFF);
            }
            return (int) (head >>> (32 - bits));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /**
     * The code of an unnamed look-alike group (faces grouped without names), spread over the 16-bit
     * space like name codes and stable for a group number.
     */
    public static int labelForGroup(int group) {
        return labelForName("segue-face-group-" + group, DEFAULT_BITS);
    }

    /** Reads a code written by {@link #encode}; values above 0.5 count as 1. */
    public static int decode(float[] code) {
        int label = 0;
        for (float bit : code) {
            label = (label << 1) | (bit > 0.5f ? 1 : 0);
        }
        return label;
    }

    /** The codes of a batch of labels as an (N, bits) float array. */
    public static NDArray batch(NDManager manager, int[] labels, int bits) {
        float[] data = new float[labels.length * bits];
        for (int i = 0; i < labels.length; i++) {
            System.arraycopy(encode(labels[i], bits), 0, data, i * bits, bits);
        }
        return manager.create(data, new Shape(labels.length, bits));
    }
}
