package org.segue.engine.photo;

import org.segue.engine.metadata.JpegMetadata;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds test photos: JPEGs with real EXIF/XMP/IPTC/ICC segments written byte by byte, as cameras do. */
public final class TestPhotos {

    public static final String MAKER_NOTE_SECRET = "SECRET-MAKERNOTE-PREVIEW";
    public static final String PHOTOSHOP_THUMB_SECRET = "SECRET-PHOTOSHOP-THUMBNAIL";
    public static final String XMP_THUMB_SECRET = "SECRETXMPTHUMBNAIL";

    private TestPhotos() {}

    public static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IOException("no writer for " + format);
        }
        return out.toByteArray();
    }

    /** A JPEG of the image with the given header segments (after SOI, before the tables). */
    public static byte[] jpegWith(BufferedImage image, List<JpegMetadata.Segment> segments) throws IOException {
        return JpegMetadata.splice(encode(image, "jpeg"), segments);
    }

    // ---- EXIF, a TIFF structure: directories of 12-byte entries, values inline or at offsets ----

    /** One TIFF directory under construction. */
    public static final class Ifd {
        final List<Object[]> entries = new ArrayList<>(); // {tag, type, count, byte[] value | Ifd child}
        Ifd next;
        byte[] thumbnail; // for IFD1: written after the directory, pointed to by tags 0x201/0x202

        public Ifd ascii(int tag, String s) {
            byte[] v = (s + "\0").getBytes(StandardCharsets.US_ASCII);
            entries.add(new Object[] {tag, 2, v.length, v});
            return this;
        }

        public Ifd shortValue(int tag, int value) {
            entries.add(new Object[] {tag, 3, 1, le().putShort((short) value).array()});
            return this;
        }

        public Ifd rationals(int tag, long... numDen) {
            ByteBuffer b = ByteBuffer.allocate(4 * numDen.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : numDen) {
                b.putInt((int) v);
            }
            entries.add(new Object[] {tag, 5, numDen.length / 2, b.array()});
            return this;
        }

        public Ifd undefined(int tag, byte[] value) {
            entries.add(new Object[] {tag, 7, value.length, value});
            return this;
        }

        public Ifd child(int tag, Ifd child) {
            entries.add(new Object[] {tag, 4, 1, child});
            return this;
        }

        private static ByteBuffer le() {
            return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Little-endian TIFF bytes of IFD0 (and its children and IFD1 chain). */
    public static byte[] tiff(Ifd ifd0) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0});
        byte[] all = writeIfd(ifd0, out);
        return all;
    }

    private static byte[] writeIfd(Ifd ifd, ByteArrayOutputStream out) {
        int start = out.size();
        int n = ifd.entries.size() + (ifd.thumbnail != null ? 2 : 0);
        int tableSize = 2 + 12 * n + 4;
        ByteBuffer table = ByteBuffer.allocate(tableSize).order(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int dataAt = start + tableSize;
        table.putShort((short) n);
        List<int[]> childSlots = new ArrayList<>();
        List<Ifd> children = new ArrayList<>();
        for (Object[] e : ifd.entries) {
            table.putShort((short) (int) (Integer) e[0]).putShort((short) (int) (Integer) e[1]).putInt((Integer) e[2]);
            if (e[3] instanceof Ifd child) {
                childSlots.add(new int[] {table.position()});
                children.add(child);
                table.putInt(0);
            } else {
                byte[] v = (byte[]) e[3];
                if (v.length <= 4) {
                    byte[] inline = new byte[4];
                    System.arraycopy(v, 0, inline, 0, v.length);
                    table.put(inline);
                } else {
                    table.putInt(dataAt + data.size());
                    data.writeBytes(v);
                    if (data.size() % 2 == 1) {
                        data.write(0);
                    }
                }
            }
        }
        int thumbAt = -1;
        if (ifd.thumbnail != null) {
            thumbAt = dataAt + data.size();
            table.putShort((short) 0x201).putShort((short) 4).putInt(1).putInt(thumbAt);
            table.putShort((short) 0x202).putShort((short) 4).putInt(1).putInt(ifd.thumbnail.length);
            data.writeBytes(ifd.thumbnail);
        }
        int nextSlot = table.position();
        table.putInt(0);
        out.writeBytes(table.array());
        out.writeBytes(data.toByteArray());
        byte[] all = out.toByteArray();
        for (int i = 0; i < children.size(); i++) {
            int childAt = out.size();
            writeIfd(children.get(i), out);
            all = out.toByteArray();
            ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putInt(start + childSlots.get(i)[0], childAt);
            out.reset();
            out.writeBytes(all);
        }
        if (ifd.next != null) {
            int nextAt = out.size();
            writeIfd(ifd.next, out);
            all = out.toByteArray();
            ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putInt(start + nextSlot, nextAt);
            out.reset();
            out.writeBytes(all);
        }
        return out.toByteArray();
    }

    public static JpegMetadata.Segment exifSegment(Ifd ifd0) {
        byte[] t = tiff(ifd0);
        byte[] payload = new byte[6 + t.length];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), 0, payload, 0, 6);
        System.arraycopy(t, 0, payload, 6, t.length);
        return new JpegMetadata.Segment(0xE1, payload);
    }

    /** EXIF with only an orientation tag. */
    public static JpegMetadata.Segment orientationOnly(int orientation) {
        return exifSegment(new Ifd().shortValue(0x0112, orientation));
    }

    /**
     * A camera-like EXIF block: make, model, orientation 1, copyright, capture date, a maker note, a GPS
     * position and an IFD1 thumbnail (the given JPEG bytes).
     */
    public static JpegMetadata.Segment cameraExif(byte[] thumbnailJpeg) {
        Ifd exif = new Ifd().ascii(0x9003, "2024:05:01 10:00:00")
                .undefined(0x927C, MAKER_NOTE_SECRET.getBytes(StandardCharsets.US_ASCII));
        Ifd gps = new Ifd().ascii(0x0001, "N").rationals(0x0002, 48, 1, 51, 1, 24, 1)
                .ascii(0x0003, "E").rationals(0x0004, 2, 1, 21, 1, 8, 1);
        Ifd ifd0 = new Ifd().ascii(0x010F, "SegueCam").ascii(0x0110, "Model X").shortValue(0x0112, 1)
                .ascii(0x8298, "Test Studio").child(0x8769, exif).child(0x8825, gps);
        Ifd ifd1 = new Ifd().shortValue(0x0103, 6);
        ifd1.thumbnail = thumbnailJpeg;
        ifd0.next = ifd1;
        return exifSegment(ifd0);
    }

    public static final String XMP = """
            <?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
              xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
              xmlns:MP="http://ns.microsoft.com/photo/1.2/"
              xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#"
              xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#"
              xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
              xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpGImg="http://ns.adobe.com/xap/1.0/g/img/">
            <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">Copyright Test Studio</rdf:li></rdf:Alt></dc:rights>
            <mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag><rdf:li rdf:parseType="Resource">
              <mwg-rs:Name>Alice Example</mwg-rs:Name><mwg-rs:Type>Face</mwg-rs:Type></rdf:li></rdf:Bag></mwg-rs:RegionList>
            </mwg-rs:Regions>
            <MP:RegionInfo rdf:parseType="Resource"><MPRI:Regions><rdf:Bag>
              <rdf:li MPReg:PersonDisplayName="Bob Example" MPReg:Rectangle="0.1, 0.1, 0.2, 0.2"/></rdf:Bag></MPRI:Regions>
            </MP:RegionInfo>
            <Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>Carol Example</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage>
            <xmp:Thumbnails><rdf:Alt><rdf:li rdf:parseType="Resource">
              <xmpGImg:image>SECRETXMPTHUMBNAIL</xmpGImg:image></rdf:li></rdf:Alt></xmp:Thumbnails>
            </rdf:Description></rdf:RDF></x:xmpmeta>
            <?xpacket end="w"?>""";

    public static JpegMetadata.Segment xmpSegment() {
        byte[] id = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = XMP.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[id.length + body.length];
        System.arraycopy(id, 0, payload, 0, id.length);
        System.arraycopy(body, 0, payload, id.length, body.length);
        return new JpegMetadata.Segment(0xE1, payload);
    }

    public static JpegMetadata.Segment iccSegment() {
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        byte[] payload = new byte[14 + icc.length];
        System.arraycopy("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1), 0, payload, 0, 12);
        payload[12] = 1;
        payload[13] = 1;
        System.arraycopy(icc, 0, payload, 14, icc.length);
        return new JpegMetadata.Segment(0xE2, payload);
    }

    /** APP13 with an IPTC caption (kept) and a Photoshop thumbnail resource (removed). */
    public static JpegMetadata.Segment photoshopSegment() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("Photoshop 3.0\0".getBytes(StandardCharsets.ISO_8859_1));
        byte[] caption = "Team photo at the lab".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream iptc = new ByteArrayOutputStream();
        iptc.writeBytes(new byte[] {0x1C, 2, 120, 0, (byte) caption.length});
        iptc.writeBytes(caption);
        resource(b, 0x0404, iptc.toByteArray());
        resource(b, 0x040C, PHOTOSHOP_THUMB_SECRET.getBytes(StandardCharsets.US_ASCII));
        return new JpegMetadata.Segment(0xED, b.toByteArray());
    }

    private static void resource(ByteArrayOutputStream b, int id, byte[] data) {
        b.writeBytes("8BIM".getBytes(StandardCharsets.US_ASCII));
        b.write(id >> 8);
        b.write(id & 0xFF);
        b.write(0); // empty name, padded to even
        b.write(0);
        b.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        b.writeBytes(data);
        if (data.length % 2 == 1) {
            b.write(0);
        }
    }

    /** A PNG that declares a size in its header and holds no pixel data: a decompression bomb's header. */
    public static byte[] pngDeclaring(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        b.putInt(13).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 12, 17);
        b.putInt((int) crc.getValue());
        b.putInt(0).put("IEND".getBytes(StandardCharsets.US_ASCII));
        java.util.zip.CRC32 end = new java.util.zip.CRC32();
        end.update("IEND".getBytes(StandardCharsets.US_ASCII));
        b.putInt((int) end.getValue());
        return b.array();
    }

    /**
     * Compares two images of the same size pixel by pixel (largest difference over R, G, B).
     *
     * @param inFace whether pixel (x, y) lies in a protected face region
     * @return {largest change inside faces, largest change outside them, number of changed pixels}
     */
    public static int[] compare(BufferedImage before, BufferedImage after,
                                java.util.function.BiPredicate<Integer, Integer> inFace) {
        int[] worst = new int[3];
        for (int y = 0; y < before.getHeight(); y++) {
            for (int x = 0; x < before.getWidth(); x++) {
                int p = before.getRGB(x, y);
                int q = after.getRGB(x, y);
                int d = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    d = Math.max(d, Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF)));
                }
                if (d > 0) {
                    int side = inFace.test(x, y) ? 0 : 1;
                    worst[side] = Math.max(worst[side], d);
                    worst[2]++;
                }
            }
        }
        return worst;
    }

    public static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Where {@code needle} first occurs in {@code haystack}; -1 if nowhere. */
    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
