package org.segue.engine.metadata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Carries a JPEG's metadata segments over to its re-encoded, protected pixels, cleaned by the
 * policy: the header segments of the original (APPn, COM) are filtered one by one and spliced in
 * front of the new encoder's tables and scan. Nothing after the original's image data (MPF
 * secondary images, motion-photo videos) is carried over.
 */
public final class JpegMetadata {

    private static final int SOI = 0xD8;
    private static final int SOS = 0xDA;
    private static final int COM = 0xFE;
    private static final int APP0 = 0xE0;
    private static final int APP1 = 0xE1;
    private static final int APP2 = 0xE2;
    private static final int APP13 = 0xED;
    private static final int APP14 = 0xEE;
    private static final String EXIF_ID = "Exif\0\0";
    private static final String XMP_ID = "http://ns.adobe.com/xap/1.0/\0";
    private static final String XMP_EXTENSION_ID = "http://ns.adobe.com/xmp/extension/\0";
    private static final String ICC_ID = "ICC_PROFILE\0";
    private static final String PHOTOSHOP_ID = "Photoshop 3.0\0";

    private JpegMetadata() {}

    /** One marker segment before the scan: marker byte and payload (without the length field). */
    public record Segment(int marker, byte[] payload) {

        boolean startsWith(String id) {
            byte[] b = id.getBytes(StandardCharsets.ISO_8859_1);
            return payload.length >= b.length && Arrays.equals(payload, 0, b.length, b, 0, b.length);
        }
    }

    /** The header segments of a JPEG, from after SOI up to (not including) the first SOS. */
    public static List<Segment> headerSegments(byte[] jpeg) {
        return header(jpeg).segments();
    }

    /** A JPEG's header segments and the offset of its first SOS marker. */
    public record Header(List<Segment> segments, int scanStart) {}

    /**
     * Walks a JPEG's header segments (fill bytes skipped) up to the first SOS marker.
     *
     * @throws IllegalArgumentException when the stream is not a JPEG or its header runs past its end
     */
    public static Header header(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != SOI) {
            throw new IllegalArgumentException("not a JPEG stream");
        }
        List<Segment> segments = new ArrayList<>();
        int p = 2;
        while (true) {
            if (p + 4 > jpeg.length) {
                throw new IllegalArgumentException("JPEG header ends before the image data");
            }
            if ((jpeg[p] & 0xFF) != 0xFF) {
                throw new IllegalArgumentException("JPEG marker expected at byte " + p);
            }
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++; // fill byte
                continue;
            }
            if (marker == SOS) {
                return new Header(segments, p);
            }
            int length = ((jpeg[p + 2] & 0xFF) << 8) | (jpeg[p + 3] & 0xFF);
            if (length < 2 || p + 2 + length > jpeg.length) {
                throw new IllegalArgumentException("JPEG segment at byte " + p + " runs past the file");
            }
            segments.add(new Segment(marker, Arrays.copyOfRange(jpeg, p + 4, p + 2 + length)));
            p += 2 + length;
        }
    }

    /** The cleaned header segments of an original, and whether its orientation tag survived. */
    public record Cleaned(List<Segment> segments, boolean keepsOrientation) {}

    /** Filters the original's metadata segments by the policy, noting every removal in the report. */
    public static Cleaned clean(byte[] original, MetadataPolicy policy, MetadataReport report) {
        List<Segment> kept = new ArrayList<>();
        boolean orientation = false;
        for (Segment s : headerSegments(original)) {
            int m = s.marker();
            if (m == APP0 && s.startsWith("JFIF\0")) {
                kept.add(jfifWithoutThumbnail(s, report));
            } else if (m == APP0 && s.startsWith("JFXX\0")) {
                report.removed("JFIF extension thumbnail");
            } else if (m == APP1 && s.startsWith(EXIF_ID)) {
                byte[] tiff = Arrays.copyOfRange(s.payload(), EXIF_ID.length(), s.payload().length);
                try {
                    ExifCleaner.Result r = ExifCleaner.clean(tiff, policy, report);
                    kept.add(new Segment(APP1, concat(EXIF_ID.getBytes(StandardCharsets.ISO_8859_1), r.tiff())));
                    orientation |= r.hasOrientation();
                } catch (RuntimeException e) {
                    report.removed("EXIF (malformed, removed whole)");
                }
            } else if (m == APP1 && s.startsWith(XMP_ID)) {
                byte[] xmp = XmpCleaner.clean(Arrays.copyOfRange(s.payload(), XMP_ID.length(), s.payload().length), report);
                byte[] payload = xmp == null ? null : concat(XMP_ID.getBytes(StandardCharsets.ISO_8859_1), xmp);
                if (payload != null && payload.length <= 65533) {
                    kept.add(new Segment(APP1, payload));
                }
            } else if (m == APP1 && s.startsWith(XMP_EXTENSION_ID)) {
                report.removed("extended XMP (can hold depth maps and original images)");
            } else if (m == APP2 && s.startsWith(ICC_ID)) {
                kept.add(s);
            } else if (m == APP13 && s.startsWith(PHOTOSHOP_ID)) {
                byte[] irb = PhotoshopResources.clean(s.payload(), PHOTOSHOP_ID.length(), report);
                if (irb != null) {
                    kept.add(new Segment(APP13, irb));
                }
            } else if (m == APP14) {
                continue; // colour-transform flag of the old encoding; the new encoder writes its own
            } else if (m == COM) {
                kept.add(s);
            } else if (m == 0xEF && s.startsWith("SegueRestore\0")) {
                report.removed(PngMetadata.RESTORATION_PAYLOAD);
            } else if (m >= APP0 && m <= 0xEF) {
                report.removed(m == APP2 ? "APP2 data other than the colour profile (MPF previews, FlashPix)"
                        : "APP" + (m - APP0) + " vendor data");
            }
        }
        return new Cleaned(kept, orientation);
    }

    /**
     * Splices cleaned metadata segments into a freshly encoded JPEG: SOI, the original's JFIF (or
     * the encoder's), the cleaned segments, then the encoder's own tables and scan.
     */
    public static byte[] splice(byte[] encoded, List<Segment> cleaned) {
        Header enc = header(encoded);
        List<Segment> ordered = new ArrayList<>();
        Segment jfif = cleaned.stream().filter(JpegMetadata::isJfif).findFirst()
                .orElse(enc.segments().stream().filter(JpegMetadata::isJfif).findFirst().orElse(null));
        if (jfif != null) {
            ordered.add(jfif); // JFIF must come first
        }
        cleaned.stream().filter(s -> !isJfif(s)).forEach(ordered::add);
        for (Segment s : enc.segments()) {
            boolean metadata = (s.marker() >= APP0 && s.marker() <= 0xEF) || s.marker() == COM;
            // the encoder's APP14 says how this encoding stores colour, so it stays with it;
            // its tables and frame header (DQT, SOF, DHT, DRI) follow the metadata
            if (!metadata || s.marker() == APP14) {
                ordered.add(s);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length + 65536);
        out.write(0xFF);
        out.write(SOI);
        for (Segment s : ordered) {
            write(out, s);
        }
        out.write(encoded, enc.scanStart(), encoded.length - enc.scanStart());
        return out.toByteArray();
    }

    /** Writes one marker segment: the marker, its length field, its payload. */
    public static void write(ByteArrayOutputStream out, Segment s) {
        int length = s.payload().length + 2;
        out.write(0xFF);
        out.write(s.marker());
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(s.payload());
    }

    private static boolean isJfif(Segment s) {
        return s.marker() == APP0 && s.startsWith("JFIF\0");
    }

    private static Segment jfifWithoutThumbnail(Segment s, MetadataReport report) {
        byte[] p = s.payload();
        if (p.length >= 14 && (p[12] != 0 || p[13] != 0)) {
            report.removed("JFIF thumbnail");
            byte[] trimmed = Arrays.copyOf(p, 14);
            trimmed[12] = 0;
            trimmed[13] = 0;
            return new Segment(APP0, trimmed);
        }
        return p.length > 14 ? new Segment(APP0, Arrays.copyOf(p, 14)) : s;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
