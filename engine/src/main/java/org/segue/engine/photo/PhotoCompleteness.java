package org.segue.engine.photo;

import java.util.Optional;

/**
 * Whether the bytes of a photo file could be the first part of a file still being written: the file's own
 * structure (JPEG markers, PNG chunks, TIFF directories and strips, the BMP header's size) reaches past
 * its end, or too few bytes are there to tell. A watcher keeps such a file waiting instead of refusing it;
 * a file whose structure is whole but does not decode is damaged, not unfinished.
 */
public final class PhotoCompleteness {

    private PhotoCompleteness() {}

    private static final byte[][] MAGICS = {
            {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
            {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A},
            {'I', 'I', 42, 0}, {'M', 'M', 0, 42}, {'B', 'M'},
            // formats the product refuses: their beginnings are still only beginnings
            {'G', 'I', 'F', '8'}, {'R', 'I', 'F', 'F'}, {'I', 'I', 43, 0}, {'M', 'M', 0, 43}};

    /** Why the content looks unfinished, or empty where it looks whole (or is no photo at all). */
    public static Optional<String> unfinished(byte[] b) {
        if (b.length == 0) {
            return Optional.of("empty file (0 bytes)");
        }
        if (b.length < 12 && isPrefixOfAMagic(b)) {
            return Optional.of("only " + b.length + " bytes");
        }
        PhotoFormat format;
        try {
            format = PhotoFormat.sniff(b, "photo");
        } catch (PhotoException e) {
            return Optional.empty(); // not a photo, or a format the product refuses: no waiting makes it one
        }
        try {
            boolean whole = switch (format) {
                case JPEG -> jpegWhole(b);
                case PNG -> pngWhole(b);
                case TIFF -> tiffWhole(b);
                case BMP -> bmpWhole(b);
            };
            return whole ? Optional.empty() : Optional.of(format + " ends before its structure does");
        } catch (IndexOutOfBoundsException e) {
            return Optional.of(format + " ends before its structure does");
        }
    }

    private static boolean isPrefixOfAMagic(byte[] b) {
        for (byte[] magic : MAGICS) {
            int n = Math.min(b.length, magic.length);
            boolean matches = true;
            for (int i = 0; i < n && matches; i++) {
                matches = b[i] == magic[i];
            }
            if (matches) {
                return true;
            }
        }
        // an ISO media box ('....ftyp') or anything shorter than one cannot be told yet
        return b.length < 8;
    }

    private static int u16be(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static long u32be(byte[] b, int i) {
        return ((long) u16be(b, i) << 16) | u16be(b, i + 2);
    }

    /** Walks the marker segments by their lengths and the entropy-coded data up to the end-of-image marker. */
    private static boolean jpegWhole(byte[] b) {
        int i = 2;
        int n = b.length;
        while (true) {
            if (i + 1 >= n) {
                return false;
            }
            if ((b[i] & 0xFF) != 0xFF) {
                return true; // not a marker where one belongs: damaged, and more bytes will not mend it
            }
            while (i + 1 < n && (b[i + 1] & 0xFF) == 0xFF) {
                i++; // fill bytes
            }
            if (i + 1 >= n) {
                return false;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xD9) {
                return true;
            }
            if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                i += 2;
                continue;
            }
            if (i + 3 >= n) {
                return false;
            }
            int end = i + 2 + u16be(b, i + 2);
            if (end > n) {
                return false;
            }
            i = end;
            if (marker == 0xDA) { // start of scan: entropy-coded data up to the next marker
                while (true) {
                    if (i + 1 >= n) {
                        return false;
                    }
                    int next = b[i + 1] & 0xFF;
                    if ((b[i] & 0xFF) == 0xFF && next != 0x00 && next != 0xFF && !(next >= 0xD0 && next <= 0xD7)) {
                        break;
                    }
                    i++;
                }
            }
        }
    }

    /** Walks the chunks by their lengths up to IEND. */
    private static boolean pngWhole(byte[] b) {
        int i = 8;
        while (true) {
            if (i + 8 > b.length) {
                return false;
            }
            long length = u32be(b, i);
            boolean end = b[i + 4] == 'I' && b[i + 5] == 'E' && b[i + 6] == 'N' && b[i + 7] == 'D';
            long next = i + 12L + length;
            if (next > b.length) {
                return false;
            }
            if (end) {
                return true;
            }
            i = (int) next;
        }
    }

    /** Every image file directory and every strip or tile it points to lies within the file. */
    private static boolean tiffWhole(byte[] b) {
        boolean little = b[0] == 'I';
        long ifd = u32(b, 4, little);
        int guard = 0;
        while (ifd != 0 && guard++ < 1000) {
            if (ifd + 2 > b.length) {
                return false;
            }
            int entries = u16(b, (int) ifd, little);
            if (ifd + 2 + 12L * entries + 4 > b.length) {
                return false;
            }
            long[] offsets = null;
            long[] counts = null;
            for (int e = 0; e < entries; e++) {
                int at = (int) ifd + 2 + 12 * e;
                int tag = u16(b, at, little);
                int type = u16(b, at + 2, little);
                long count = u32(b, at + 4, little);
                int size = type == 3 ? 2 : type == 4 || type == 13 ? 4 : type == 16 ? 8 : switch (type) {
                    case 1, 2, 6, 7 -> 1;
                    case 8 -> 2;
                    case 5, 10, 12 -> 8;
                    case 9, 11 -> 4;
                    default -> 1;
                };
                long bytes = count * size;
                long valueAt = bytes <= 4 ? at + 8 : u32(b, at + 8, little);
                if (valueAt + bytes > b.length) {
                    return false;
                }
                if (tag == 273 || tag == 324 || tag == 279 || tag == 325) {
                    long[] values = new long[(int) Math.min(count, 1 << 20)];
                    for (int k = 0; k < values.length; k++) {
                        int p = (int) (valueAt + (long) k * size);
                        values[k] = size == 2 ? u16(b, p, little) : size == 8 ? u32(b, p + (little ? 0 : 4), little)
                                : u32(b, p, little);
                    }
                    if (tag == 273 || tag == 324) {
                        offsets = values;
                    } else {
                        counts = values;
                    }
                }
            }
            if (offsets != null && counts != null) {
                for (int k = 0; k < Math.min(offsets.length, counts.length); k++) {
                    if (offsets[k] + counts[k] > b.length) {
                        return false;
                    }
                }
            }
            ifd = u32(b, (int) ifd + 2 + 12 * entries, little);
        }
        return true;
    }

    private static int u16(byte[] b, int i, boolean little) {
        return little ? (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8) : u16be(b, i);
    }

    private static long u32(byte[] b, int i, boolean little) {
        return little ? (u16(b, i, true) | ((long) u16(b, i + 2, true) << 16)) : u32be(b, i);
    }

    /** The file header's size, where the writer filled it in, against the bytes there. */
    private static boolean bmpWhole(byte[] b) {
        if (b.length < 26) {
            return false;
        }
        long declared = u32(b, 2, true);
        long pixelsAt = u32(b, 10, true);
        return b.length >= pixelsAt && (declared == 0 || b.length >= declared);
    }
}
