package org.segue.engine.photo;

import org.segue.engine.metadata.JpegMetadata;
import org.segue.engine.metadata.JpegMetadata.Segment;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Encodes a large image as one baseline JPEG on all cores: the image is cut into horizontal bands of whole MCU
 * rows, each band is encoded on its own, and the bands' entropy-coded data are joined with restart markers
 * (a DRI segment whose interval is one band's MCUs). A restart marker resets the DC predictions, which is all a
 * band encoded on its own differs in, so the joined file decodes to exactly the samples a single encoding of the
 * whole image gives; every JPEG decoder reads restart markers. The JDK's encoder runs on one core, and a 24 MP
 * photo takes it about 0.2 s.
 *
 * <p>Where the bands do not come out as expected (other tables, another frame type, a restart interval beyond
 * what the marker can hold, a height beyond what decoders open) the image is encoded whole instead.
 */
final class BandedJpeg {

    /** An encoder of one image into one JPEG file, the same settings for every call. */
    @FunctionalInterface
    interface Encoder {
        byte[] encode(BufferedImage image) throws IOException;
    }

    /** Below this many pixels, one encoding: splitting costs more than it saves. */
    static final long MIN_PIXELS = 2_000_000L;
    /** Band heights are multiples of this: the tallest MCU (4:2:0 chroma). */
    private static final int MCU_ROWS = 16;
    private static final int MAX_RESTART_INTERVAL = 0xFFFF;
    /** The tallest image libjpeg-based decoders open (JPEG_MAX_DIMENSION); one encoding refuses taller ones. */
    private static final int MAX_DIMENSION = 65500;

    private static final int SOF0 = 0xC0;
    private static final int SOF1 = 0xC1;
    private static final int DHT = 0xC4;
    private static final int RST0 = 0xD0;
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int DQT = 0xDB;
    private static final int DRI = 0xDD;

    private BandedJpeg() {}

    /** {@code image} as one JPEG, encoded in bands on {@code cores} threads where it is large enough. */
    static byte[] encode(BufferedImage image, Encoder encoder, int cores) throws IOException {
        int w = image.getWidth();
        int h = image.getHeight();
        int bandHeight = bandHeight(w, h, cores);
        if (bandHeight <= 0) {
            return encoder.encode(image);
        }
        int bands = (h + bandHeight - 1) / bandHeight;
        List<byte[]> encoded;
        try {
            encoded = IntStream.range(0, bands).parallel().mapToObj(b -> {
                int y = b * bandHeight;
                try {
                    return encoder.encode(image.getSubimage(0, y, w, Math.min(bandHeight, h - y)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        byte[] joined = join(encoded, h, bandHeight);
        return joined != null ? joined : encoder.encode(image);
    }

    /**
     * Rows per band, a multiple of {@link #MCU_ROWS}, for at least {@code cores} bands whose MCUs a restart
     * interval can count (counted for the smallest MCU, 8 x 8); 0 where one encoding is better.
     */
    static int bandHeight(int width, int height, int cores) {
        if (cores < 2 || (long) width * height < MIN_PIXELS || height < 2 * MCU_ROWS) {
            return 0;
        }
        long mcusPerRow = (width + 7) / 8;
        int mostRows = (int) Math.min(height, MAX_RESTART_INTERVAL / mcusPerRow * 8);
        mostRows -= mostRows % MCU_ROWS;
        if (mostRows < MCU_ROWS) {
            return 0;
        }
        int rows = (height + cores - 1) / cores;
        rows = (rows + MCU_ROWS - 1) / MCU_ROWS * MCU_ROWS;
        return Math.min(rows, mostRows);
    }

    /** A band's header segments (after SOI, before SOS), its SOS segment, and its entropy-coded data. */
    private record Band(List<Segment> header, Segment sos, byte[] file, int dataStart, int dataEnd) {}

    /** The bands joined by restart markers, or null where they are not what this expects. */
    static byte[] join(List<byte[]> files, int height, int bandHeight) {
        List<Band> bands = new ArrayList<>();
        for (byte[] f : files) {
            Band b = parse(f);
            if (b == null) {
                return null;
            }
            bands.add(b);
        }
        Band first = bands.get(0);
        Segment frame = null;
        for (Segment s : first.header()) {
            if (s.marker() == DRI || (s.marker() >= 0xC2 && s.marker() <= 0xCF && s.marker() != DHT
                    && s.marker() != 0xC8 && s.marker() != 0xCC)) {
                return null; // a restart interval of its own, or not baseline/extended sequential Huffman
            }
            if (s.marker() == SOF0 || s.marker() == SOF1) {
                frame = s;
            }
        }
        if (frame == null || frame.payload().length < 6) {
            return null;
        }
        int components = frame.payload()[5] & 0xFF;
        if (frame.payload().length < 6 + 3 * components) {
            return null;
        }
        int hMax = 1;
        int vMax = 1;
        // a scan of one component is not interleaved: its MCU is one 8 x 8 block whatever its sampling
        for (int c = 0; components > 1 && c < components; c++) {
            int sampling = frame.payload()[6 + 3 * c + 1] & 0xFF;
            hMax = Math.max(hMax, sampling >> 4);
            vMax = Math.max(vMax, sampling & 0x0F);
        }
        int width = ((frame.payload()[3] & 0xFF) << 8) | (frame.payload()[4] & 0xFF);
        int mcuHeight = 8 * vMax;
        int mcuWidth = 8 * hMax;
        long interval = (long) ((width + mcuWidth - 1) / mcuWidth) * (bandHeight / mcuHeight);
        if (bandHeight % mcuHeight != 0 || interval > MAX_RESTART_INTERVAL || height > MAX_DIMENSION) {
            return null;
        }
        for (Band b : bands.subList(1, bands.size())) {
            if (!sameTables(first, b)) {
                return null;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                bands.stream().mapToInt(b -> b.dataEnd() - b.dataStart()).sum() + 4096);
        out.write(0xFF);
        out.write(SOI);
        for (Segment s : first.header()) {
            byte[] payload = s.payload();
            if (s == frame) {
                payload = payload.clone();
                payload[1] = (byte) (height >> 8);
                payload[2] = (byte) height;
            }
            JpegMetadata.write(out, new Segment(s.marker(), payload));
        }
        JpegMetadata.write(out, new Segment(DRI, new byte[] {(byte) (interval >> 8), (byte) interval}));
        JpegMetadata.write(out, first.sos());
        for (int i = 0; i < bands.size(); i++) {
            Band b = bands.get(i);
            if (i > 0) {
                out.write(0xFF);
                out.write(RST0 + (i - 1) % 8);
            }
            out.write(b.file(), b.dataStart(), b.dataEnd() - b.dataStart());
        }
        out.write(0xFF);
        out.write(EOI);
        return out.toByteArray();
    }

    /** Every table, the scan header and the frame's components alike (only the frame's height may differ). */
    private static boolean sameTables(Band a, Band b) {
        if (a.header().size() != b.header().size() || !Arrays.equals(a.sos().payload(), b.sos().payload())) {
            return false;
        }
        for (int i = 0; i < a.header().size(); i++) {
            Segment x = a.header().get(i);
            Segment y = b.header().get(i);
            if (x.marker() != y.marker()) {
                return false;
            }
            boolean tables = x.marker() == DQT || x.marker() == DHT;
            boolean frame = x.marker() == SOF0 || x.marker() == SOF1;
            if (tables && !Arrays.equals(x.payload(), y.payload())) {
                return false;
            }
            if (frame && (x.payload().length != y.payload().length
                    || !Arrays.equals(x.payload(), 3, x.payload().length, y.payload(), 3, y.payload().length)
                    || x.payload()[0] != y.payload()[0])) {
                return false;
            }
        }
        return true;
    }

    /** A band's segments and data; null for anything but SOI, header segments, one scan, EOI at the very end. */
    private static Band parse(byte[] f) {
        if (f.length < 6 || (f[f.length - 2] & 0xFF) != 0xFF || (f[f.length - 1] & 0xFF) != EOI) {
            return null;
        }
        JpegMetadata.Header header;
        try {
            header = JpegMetadata.header(f);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int p = header.scanStart();
        int length = ((f[p + 2] & 0xFF) << 8) | (f[p + 3] & 0xFF);
        int start = p + 2 + length;
        int end = f.length - 2;
        if (length < 2 || start > end) {
            return null;
        }
        // one scan only: inside entropy-coded data 0xFF is followed by 0x00 (stuffing), never a marker
        for (int i = start; i < end - 1; i++) {
            if ((f[i] & 0xFF) == 0xFF && (f[i + 1] & 0xFF) != 0x00) {
                return null;
            }
        }
        return new Band(header.segments(), new Segment(SOS, Arrays.copyOfRange(f, p + 4, start)), f, start, end);
    }
}
