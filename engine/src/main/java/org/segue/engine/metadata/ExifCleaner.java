package org.segue.engine.metadata;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites an EXIF block (a TIFF structure) without what must not leave with a protected photo:
 * the IFD1 thumbnail (it shows the unprotected face), the maker note (vendor data that holds preview
 * images and face-detection results), the GPS block unless the policy keeps it, embedded XMP and
 * any sub-IFD this writer cannot relocate safely. Everything else (orientation, capture settings,
 * dates, copyright) is copied value for value into a freshly laid-out structure, so no stale bytes
 * of removed entries survive in gaps.
 */
public final class ExifCleaner {

    static final int TAG_EXIF_IFD = 0x8769;
    static final int TAG_GPS_IFD = 0x8825;
    static final int TAG_INTEROP_IFD = 0xA005;
    static final int TAG_MAKER_NOTE = 0x927C;
    static final int TAG_ORIENTATION = 0x0112;
    private static final int TAG_SUB_IFDS = 0x014A;
    private static final int TAG_THUMBNAIL_OFFSET = 0x0201;
    private static final int TAG_THUMBNAIL_LENGTH = 0x0202;
    private static final int TAG_XMP = 0x02BC;
    private static final int[] TYPE_SIZES = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4};
    private static final int MAX_ENTRIES = 1000;

    private ExifCleaner() {}

    /** A cleaned EXIF block and whether it still carries an orientation tag. */
    public record Result(byte[] tiff, boolean hasOrientation) {}

    private record Entry(int tag, int type, int count, byte[] value, Ifd child) {}

    private static final class Ifd {
        final List<Entry> entries = new ArrayList<>();
    }

    /**
     * The cleaned TIFF bytes of an EXIF block (the APP1 payload after "Exif\0\0").
     *
     * @throws IllegalArgumentException when the structure is malformed; callers then drop the block
     */
    public static Result clean(byte[] tiff, MetadataPolicy policy, MetadataReport report) {
        ByteBuffer in = ByteBuffer.wrap(tiff);
        if (tiff.length < 8) {
            throw new IllegalArgumentException("EXIF block too short");
        }
        if (tiff[0] == 'I' && tiff[1] == 'I') {
            in.order(ByteOrder.LITTLE_ENDIAN);
        } else if (tiff[0] == 'M' && tiff[1] == 'M') {
            in.order(ByteOrder.BIG_ENDIAN);
        } else {
            throw new IllegalArgumentException("EXIF block has no TIFF byte-order mark");
        }
        if ((in.getShort(2) & 0xFFFF) != 42) {
            throw new IllegalArgumentException("EXIF block is not a TIFF structure");
        }
        int ifd0Offset = in.getInt(4);
        Set<Integer> visited = new HashSet<>();
        Ifd ifd0 = readIfd(in, ifd0Offset, visited, 0, policy, report);
        if (in.getInt(checkedIfdEnd(in, ifd0Offset)) != 0) {
            report.removed("EXIF thumbnail (IFD1)");
        }
        boolean hasOrientation = ifd0.entries.stream().anyMatch(e -> e.tag == TAG_ORIENTATION);
        return new Result(write(ifd0, in.order()), hasOrientation);
    }

    private static int checkedIfdEnd(ByteBuffer in, int offset) {
        int count = in.getShort(offset) & 0xFFFF;
        int end = offset + 2 + 12 * count;
        if (end + 4 > in.capacity()) {
            throw new IllegalArgumentException("EXIF directory runs past the block");
        }
        return end;
    }

    private static Ifd readIfd(ByteBuffer in, int offset, Set<Integer> visited, int depth, MetadataPolicy policy,
                               MetadataReport report) {
        if (offset < 8 || offset + 2 > in.capacity() || !visited.add(offset) || depth > 3) {
            throw new IllegalArgumentException("EXIF directory offset " + offset + " is invalid or loops");
        }
        int count = in.getShort(offset) & 0xFFFF;
        if (count > MAX_ENTRIES) {
            throw new IllegalArgumentException("EXIF directory claims " + count + " entries");
        }
        checkedIfdEnd(in, offset);
        Ifd ifd = new Ifd();
        for (int i = 0; i < count; i++) {
            int p = offset + 2 + 12 * i;
            int tag = in.getShort(p) & 0xFFFF;
            int type = in.getShort(p + 2) & 0xFFFF;
            long count32 = in.getInt(p + 4) & 0xFFFFFFFFL;
            if (type < 1 || type >= TYPE_SIZES.length) {
                report.removed("EXIF entries of unknown type");
                continue;
            }
            long size = count32 * TYPE_SIZES[type];
            if (size > in.capacity()) {
                throw new IllegalArgumentException("EXIF entry 0x" + Integer.toHexString(tag) + " is larger than the block");
            }
            int valueAt = size <= 4 ? p + 8 : in.getInt(p + 8);
            if (valueAt < 0 || valueAt + size > in.capacity()) {
                throw new IllegalArgumentException("EXIF entry 0x" + Integer.toHexString(tag) + " points outside the block");
            }
            switch (tag) {
                case TAG_GPS_IFD -> {
                    if (policy.keepLocation()) {
                        ifd.entries.add(pointer(tag, readIfd(in, in.getInt(valueAt), visited, depth + 1, policy, report)));
                    } else {
                        report.removed("GPS location");
                    }
                }
                case TAG_EXIF_IFD, TAG_INTEROP_IFD ->
                        ifd.entries.add(pointer(tag, readIfd(in, in.getInt(valueAt), visited, depth + 1, policy, report)));
                case TAG_MAKER_NOTE -> report.removed("maker note (vendor data: previews, face-detection results)");
                case TAG_THUMBNAIL_OFFSET, TAG_THUMBNAIL_LENGTH -> report.removed("EXIF thumbnail (IFD1)");
                case TAG_XMP -> report.removed("XMP packet inside EXIF");
                case TAG_SUB_IFDS -> report.removed("EXIF sub-images (SubIFDs)");
                default -> {
                    byte[] value = new byte[(int) size];
                    in.get(valueAt, value);
                    ifd.entries.add(new Entry(tag, type, (int) count32, value, null));
                }
            }
        }
        return ifd;
    }

    private static Entry pointer(int tag, Ifd child) {
        return new Entry(tag, 4, 1, null, child);
    }

    /** Lays out IFD0 and its sub-directories afresh: each directory followed by its out-of-line values. */
    private static byte[] write(Ifd ifd0, ByteOrder order) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(8).order(order);
        header.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        header.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        header.putShort((short) 42).putInt(8);
        out.writeBytes(header.array());
        writeIfd(ifd0, order, out);
        return out.toByteArray();
    }

    private static void writeIfd(Ifd ifd, ByteOrder order, ByteArrayOutputStream out) {
        List<Entry> entries = new ArrayList<>(ifd.entries);
        entries.sort((a, b) -> Integer.compare(a.tag, b.tag)); // TIFF requires ascending tags
        int start = out.size();
        int tableSize = 2 + 12 * entries.size() + 4;
        int dataAt = start + tableSize;
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteBuffer table = ByteBuffer.allocate(tableSize).order(order);
        table.putShort((short) entries.size());
        List<int[]> childSlots = new ArrayList<>();
        for (Entry e : entries) {
            table.putShort((short) e.tag).putShort((short) e.type).putInt(e.count);
            if (e.child != null) {
                childSlots.add(new int[] {table.position(), entries.indexOf(e)});
                table.putInt(0); // patched once the child's position is known
            } else if (e.value.length <= 4) {
                byte[] inline = new byte[4];
                System.arraycopy(e.value, 0, inline, 0, e.value.length);
                table.put(inline);
            } else {
                if (data.size() % 2 == 1) {
                    data.write(0); // values start on word boundaries
                }
                table.putInt(dataAt + data.size());
                data.writeBytes(e.value);
            }
        }
        table.putInt(0); // no next directory: IFD1 (the thumbnail) is never written
        if (data.size() % 2 == 1) {
            data.write(0);
        }
        byte[] tableBytes = table.array();
        out.writeBytes(tableBytes);
        out.writeBytes(data.toByteArray());
        for (int[] slot : childSlots) {
            int childAt = out.size();
            writeIfd(entries.get(slot[1]).child, order, out);
            byte[] all = out.toByteArray();
            ByteBuffer.wrap(all).order(order).putInt(start + slot[0], childAt);
            out.reset();
            out.writeBytes(all);
        }
    }
}
