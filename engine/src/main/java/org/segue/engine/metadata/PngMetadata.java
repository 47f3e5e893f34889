package org.segue.engine.metadata;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Carries a PNG's colour chunks (ICC profile, sRGB intent, gamma, chromaticities, pixel density,
 * significant bits) over to the re-encoded PNG. Text chunks, EXIF (eXIf) and every other ancillary
 * chunk are dropped and reported: PNG text can hold XMP with face regions, and the product does not
 * rewrite it. The orientation in eXIf is applied to the pixels instead.
 */
public final class PngMetadata {

    private static final Set<String> KEPT = Set.of("iCCP", "sRGB", "gAMA", "cHRM", "pHYs", "sBIT");
    private static final Set<String> STRUCTURE = Set.of("IHDR", "PLTE", "IDAT", "IEND", "tRNS");

    /** Erasable protection's chunk; see org.segue.engine.erasure.Carriers. */
    static final String RESTORATION_CHUNK = "sgRS";
    /** How a report names a restoration payload that does not go on (the photo is protected anew, or restored). */
    public static final String RESTORATION_PAYLOAD = "an earlier protection's restoration payload";

    private PngMetadata() {}

    private record Chunk(String type, byte[] whole) {}

    private static List<Chunk> chunks(byte[] png) {
        List<Chunk> list = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(png);
        int p = 8;
        while (p + 12 <= png.length) {
            long length = in.getInt(p) & 0xFFFFFFFFL;
            if (p + 12 + length > png.length) {
                throw new IllegalArgumentException("PNG chunk at byte " + p + " runs past the file");
            }
            String type = new String(png, p + 4, 4, StandardCharsets.ISO_8859_1);
            byte[] whole = new byte[(int) length + 12];
            System.arraycopy(png, p, whole, 0, whole.length);
            list.add(new Chunk(type, whole));
            p += whole.length;
            if (type.equals("IEND")) {
                break;
            }
        }
        return list;
    }

    /** The encoded PNG with the original's colour chunks in place of the encoder's own. */
    public static byte[] carryOver(byte[] original, byte[] encoded, MetadataReport report) {
        List<Chunk> kept = new ArrayList<>();
        try {
            for (Chunk c : chunks(original)) {
                if (KEPT.contains(c.type)) {
                    kept.add(c);
                } else if (!STRUCTURE.contains(c.type)) {
                    report.removed(switch (c.type) {
                        case "tEXt", "zTXt", "iTXt" -> "PNG text (may hold XMP face regions)";
                        case "eXIf" -> "PNG EXIF block (orientation applied to the pixels)";
                        case RESTORATION_CHUNK -> RESTORATION_PAYLOAD;
                        default -> "PNG " + c.type + " chunk";
                    });
                }
            }
        } catch (IllegalArgumentException e) {
            report.removed("PNG ancillary chunks (malformed)");
            kept.clear();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length + 4096);
        out.write(encoded, 0, 8);
        for (Chunk c : chunks(encoded)) {
            if (KEPT.contains(c.type) || (!STRUCTURE.contains(c.type))) {
                continue; // the encoder's own ancillary chunks give way to the original's
            }
            out.writeBytes(c.whole);
            if (c.type.equals("IHDR")) {
                kept.forEach(k -> out.writeBytes(k.whole));
            }
        }
        return out.toByteArray();
    }
}
