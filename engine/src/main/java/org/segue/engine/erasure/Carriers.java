package org.segue.engine.erasure;

import org.segue.engine.api.RestoreException;
import org.segue.engine.api.RestoreException.Reason;
import org.segue.engine.photo.PhotoFormat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Where a payload travels inside a photo file: JPEG APP15 segments (split in parts of at most 64 KB, each
 * "SegueRestore\0", part number and part count before its bytes), a PNG private chunk {@code sgRS} (ancillary,
 * private and unsafe to copy: software that changes the pixels drops it), a TIFF private tag (65042, UNDEFINED)
 * in the first directory. BMP has no place for it: its payload is a sidecar file. Placing a payload changes no
 * pixel of the file.
 */
public final class Carriers {

    static final int APP15 = 0xEF;
    public static final String JPEG_ID = "SegueRestore\0";
    static final String PNG_CHUNK = "sgRS";
    static final int TIFF_TAG = 65042;
    private static final int JPEG_PART = 65533 - JPEG_ID.length() - 4;

    private Carriers() {}

    /** The file with its payload placed inside. */
    public static byte[] embed(PhotoFormat format, byte[] file, byte[] payload) {
        return switch (format) {
            case JPEG -> embedJpeg(file, payload);
            case PNG -> embedPng(file, payload);
            case TIFF -> embedTiff(file, payload);
            case BMP -> throw new IllegalArgumentException("a BMP carries its payload in a sidecar file");
        };
    }

    /**
     * The payload a file carries inside it; null where it carries none (a BMP never does).
     *
     * @throws RestoreException for a payload whose parts are cut short or missing
     */
    public static byte[] extract(PhotoFormat format, byte[] file) throws RestoreException {
        try {
            return switch (format) {
                case JPEG -> extractJpeg(file);
                case PNG -> extractPng(file);
                case TIFF -> extractTiff(file);
                case BMP -> null;
            };
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw new RestoreException(Reason.TRUNCATED, "the restoration payload is cut short (the file's structure "
                    + "around it ends early)");
        }
    }

    // --- JPEG: APP15 segments after the metadata segments, before the tables ---

    private static byte[] embedJpeg(byte[] jpeg, byte[] payload) {
        int at = 2;
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
            int marker = jpeg[at + 1] & 0xFF;
            if (!(marker >= 0xE0 && marker <= 0xEF) && marker != 0xFE) {
                break;
            }
            at += 2 + (((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF));
        }
        int parts = Math.max(1, (payload.length + JPEG_PART - 1) / JPEG_PART);
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + payload.length + parts * 24);
        out.write(jpeg, 0, at);
        byte[] id = JPEG_ID.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < parts; i++) {
            int from = i * JPEG_PART;
            int n = Math.min(JPEG_PART, payload.length - from);
            int length = 2 + id.length + 4 + n;
            out.write(0xFF);
            out.write(APP15);
            out.write(length >> 8);
            out.write(length & 0xFF);
            out.writeBytes(id);
            out.writeBytes(ByteBuffer.allocate(4).putShort((short) (i + 1)).putShort((short) parts).array());
            out.write(payload, from, n);
        }
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }

    private static byte[] extractJpeg(byte[] jpeg) throws RestoreException {
        byte[] id = JPEG_ID.getBytes(StandardCharsets.ISO_8859_1);
        byte[][] parts = null;
        int p = 2;
        while (p + 4 <= jpeg.length && (jpeg[p] & 0xFF) == 0xFF) {
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int length = ((jpeg[p + 2] & 0xFF) << 8) | (jpeg[p + 3] & 0xFF);
            if (p + 2 + length > jpeg.length) {
                if (parts != null || isOurs(jpeg, p, id)) {
                    throw new RestoreException(Reason.TRUNCATED, "the restoration payload is cut short (the JPEG "
                            + "ends inside it)");
                }
                break;
            }
            if (marker == APP15 && length >= 2 + id.length + 4 && isOurs(jpeg, p, id)) {
                ByteBuffer b = ByteBuffer.wrap(jpeg, p + 4 + id.length, 4);
                int index = b.getShort() & 0xFFFF;
                int count = b.getShort() & 0xFFFF;
                if (parts == null) {
                    parts = new byte[count][];
                }
                if (count != parts.length || index < 1 || index > count || parts[index - 1] != null) {
                    throw new RestoreException(Reason.TAMPERED, "the restoration payload is damaged (its JPEG "
                            + "segments do not fit together)");
                }
                parts[index - 1] = Arrays.copyOfRange(jpeg, p + 4 + id.length + 4, p + 2 + length);
            }
            p += 2 + length;
        }
        if (parts == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            if (part == null) {
                throw new RestoreException(Reason.TRUNCATED, "the restoration payload is cut short (some of its "
                        + parts.length + " JPEG segments are missing)");
            }
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static boolean isOurs(byte[] jpeg, int p, byte[] id) {
        return (jpeg[p + 1] & 0xFF) == APP15 && p + 4 + id.length <= jpeg.length
                && Arrays.equals(jpeg, p + 4, p + 4 + id.length, id, 0, id.length);
    }

    // --- PNG: a private chunk before IEND ---

    private static byte[] embedPng(byte[] png, byte[] payload) {
        int iend = findPngChunk(png, "IEND");
        if (iend < 0) {
            throw new IllegalArgumentException("PNG without IEND");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + payload.length + 12);
        out.write(png, 0, iend);
        byte[] type = PNG_CHUNK.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(payload.length).array());
        out.writeBytes(type);
        out.writeBytes(payload);
        CRC32 crc = new CRC32();
        crc.update(type);
        crc.update(payload);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        out.write(png, iend, png.length - iend);
        return out.toByteArray();
    }

    private static byte[] extractPng(byte[] png) throws RestoreException {
        int at = findPngChunk(png, PNG_CHUNK);
        if (at < 0) {
            return null;
        }
        long length = ByteBuffer.wrap(png).getInt(at) & 0xFFFFFFFFL;
        if (at + 12 + length > png.length) {
            throw new RestoreException(Reason.TRUNCATED, "the restoration payload is cut short (the PNG ends inside it)");
        }
        byte[] data = Arrays.copyOfRange(png, at + 8, at + 8 + (int) length);
        CRC32 crc = new CRC32();
        crc.update(png, at + 4, 4 + (int) length);
        if ((int) crc.getValue() != ByteBuffer.wrap(png).getInt(at + 8 + (int) length)) {
            throw new RestoreException(Reason.TAMPERED, "the restoration payload was changed (its PNG chunk's "
                    + "checksum does not match)");
        }
        return data;
    }

    /** Where a chunk of this type starts (its length field); -1 where there is none. */
    private static int findPngChunk(byte[] png, String type) {
        int p = 8;
        while (p + 8 <= png.length) {
            long length = ((long) (png[p] & 0xFF) << 24) | ((png[p + 1] & 0xFF) << 16) | ((png[p + 2] & 0xFF) << 8)
                    | (png[p + 3] & 0xFF);
            String t = new String(png, p + 4, 4, StandardCharsets.ISO_8859_1);
            if (t.equals(type)) {
                return p;
            }
            if (t.equals("IEND")) {
                return -1;
            }
            long next = p + 12L + length; // in long: a length near 2^32 must not wrap back onto this chunk
            if (next > png.length) {
                return -1;
            }
            p = (int) next;
        }
        return -1;
    }

    // --- TIFF: a private tag in a copy of the first directory, written after the image ---

    private static ByteOrder tiffOrder(byte[] tiff) {
        return tiff[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    private static byte[] embedTiff(byte[] tiff, byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(tiff).order(tiffOrder(tiff));
        int ifd = in.getInt(4);
        int count = in.getShort(ifd) & 0xFFFF;
        int next = in.getInt(ifd + 2 + 12 * count);
        int payloadAt = align(tiff.length);
        int ifdAt = align(payloadAt + payload.length);
        ByteBuffer out = ByteBuffer.allocate(ifdAt + 2 + 12 * (count + 1) + 4).order(in.order());
        out.put(tiff);
        out.position(payloadAt);
        out.put(payload);
        out.position(ifdAt);
        out.putShort((short) (count + 1));
        boolean placed = false;
        for (int i = 0; i < count; i++) {
            int entry = ifd + 2 + 12 * i;
            int tag = in.getShort(entry) & 0xFFFF;
            if (!placed && tag > TIFF_TAG) {
                putTag(out, payloadAt, payload.length);
                placed = true;
            }
            out.put(Arrays.copyOfRange(tiff, entry, entry + 12));
        }
        if (!placed) {
            putTag(out, payloadAt, payload.length);
        }
        out.putInt(next);
        out.putInt(4, ifdAt); // the header points at the new directory; the old one is left unreferenced
        return out.array();
    }

    private static void putTag(ByteBuffer out, int at, int length) {
        out.putShort((short) TIFF_TAG).putShort((short) 7).putInt(length).putInt(at);
    }

    private static int align(int n) {
        return (n + 1) & ~1;
    }

    private static byte[] extractTiff(byte[] tiff) throws RestoreException {
        ByteBuffer in = ByteBuffer.wrap(tiff).order(tiffOrder(tiff));
        int ifd = in.getInt(4);
        int count = in.getShort(ifd) & 0xFFFF;
        for (int i = 0; i < count; i++) {
            int entry = ifd + 2 + 12 * i;
            if ((in.getShort(entry) & 0xFFFF) == TIFF_TAG) {
                long length = in.getInt(entry + 4) & 0xFFFFFFFFL;
                long at = length <= 4 ? entry + 8 : in.getInt(entry + 8) & 0xFFFFFFFFL;
                if (at + length > tiff.length) {
                    throw new RestoreException(Reason.TRUNCATED, "the restoration payload is cut short (the TIFF "
                            + "ends inside it)");
                }
                return Arrays.copyOfRange(tiff, (int) at, (int) (at + length));
            }
        }
        return null;
    }
}
