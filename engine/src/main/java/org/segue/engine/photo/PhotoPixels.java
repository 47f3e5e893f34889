package org.segue.engine.photo;

import org.segue.engine.spi.FaceBox;
import org.segue.engine.internal.RgbImage;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;

/**
 * The decoded pixels of a photo in their stored grid, with read and write access to regions in
 * [0,1] units whatever the sample depth (8 or 16 bits), colour (grey or RGB) and alpha. Samples are
 * read and written in the file's own colour space (its ICC profile travels with the file), so
 * pixels the product does not change keep their exact values.
 */
public final class PhotoPixels {

    private final BufferedImage image;
    private final WritableRaster raster;
    private final int colourBands;
    private final int maxValue;
    /** Direct access to the samples where they are 8-bit interleaved bytes; null: the generic path. */
    private final ByteSamples bytes;
    /** Set once faces were protected in these very pixels: they are no longer the photo as decoded. */
    private final java.util.concurrent.atomic.AtomicBoolean protectedInPlace = new java.util.concurrent.atomic.AtomicBoolean();

    private PhotoPixels(BufferedImage image, int colourBands, int maxValue) {
        this.image = image;
        this.raster = image.getRaster();
        this.colourBands = colourBands;
        this.maxValue = maxValue;
        this.bytes = ByteSamples.of(raster);
    }

    /**
     * Wraps a decoded image. Palette images become RGB(A) with the same colours (a palette cannot
     * hold the new colours); grey and RGB images of 8 or 16 bits per sample, with or without alpha,
     * are used as they are. Other layouts are refused.
     */
    public static PhotoPixels of(BufferedImage decoded, String source) throws PhotoException {
        ColorModel cm = decoded.getColorModel();
        if (cm instanceof IndexColorModel) {
            BufferedImage rgb = new BufferedImage(decoded.getWidth(), decoded.getHeight(),
                    cm.hasAlpha() ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = rgb.createGraphics();
            g.setComposite(AlphaComposite.Src); // copy, never blend, so transparent pixels stay as they were
            g.drawImage(decoded, 0, 0, null);
            g.dispose();
            return new PhotoPixels(rgb, 3, 255);
        }
        int spaceType = cm.getColorSpace().getType();
        int colours = cm.getNumColorComponents();
        if (spaceType == ColorSpace.TYPE_CMYK || colours == 4) {
            throw new PhotoException(source, "CMYK images are not supported; convert to RGB first");
        }
        if (!(cm instanceof ComponentColorModel || cm instanceof DirectColorModel)
                || !(colours == 1 || colours == 3)) {
            throw new PhotoException(source, "unsupported pixel layout (" + colours + " colour components, "
                    + cm.getClass().getSimpleName() + ")");
        }
        int bits = cm.getComponentSize(0);
        for (int size : cm.getComponentSize()) {
            if (size != bits) {
                throw new PhotoException(source, "unsupported pixel layout (mixed sample sizes)");
            }
        }
        if (bits != 8 && bits != 16) {
            throw new PhotoException(source, bits + "-bit samples are not supported (8 and 16 bits are)");
        }
        return new PhotoPixels(decoded, colours, (1 << bits) - 1);
    }

    public BufferedImage image() {
        return image;
    }

    public int width() {
        return image.getWidth();
    }

    public int height() {
        return image.getHeight();
    }

    public boolean isGrey() {
        return colourBands == 1;
    }

    /** Largest sample value: 255 or 65535. */
    public int maxValue() {
        return maxValue;
    }

    /** A region as RGB in [0,1] (grey replicated to three planes), in the stored grid. */
    public RgbImage readRgb(FaceBox box) {
        return toRgb(readSamples(box), box);
    }

    /** Colour samples of a region (as {@link #readSamples} gives them) as RGB in [0,1], grey replicated. */
    public RgbImage toRgb(int[][] samples, FaceBox box) {
        int plane = box.width() * box.height();
        float[] chw = new float[3 * plane];
        float scale = 1f / maxValue;
        for (int c = 0; c < 3; c++) {
            int[] band = samples[Math.min(c, colourBands - 1)];
            for (int i = 0; i < plane; i++) {
                chw[c * plane + i] = band[i] * scale;
            }
        }
        return new RgbImage(chw, box.height(), box.width());
    }

    /** The colour samples of a region, one array per colour band (1 or 3), in the stored grid. */
    public int[][] readSamples(FaceBox box) {
        int[][] bands = new int[colourBands][];
        for (int c = 0; c < colourBands; c++) {
            bands[c] = readBand(box.x(), box.y(), box.width(), box.height(), c, new int[box.width() * box.height()]);
        }
        return bands;
    }

    /** The samples of a region in every band of the raster, alpha included (what erasable protection keeps). */
    public int[][] readAllBands(FaceBox box) {
        int[][] bands = new int[raster.getNumBands()][];
        for (int b = 0; b < bands.length; b++) {
            bands[b] = raster.getSamples(box.x(), box.y(), box.width(), box.height(), b,
                    new int[box.width() * box.height()]);
        }
        return bands;
    }

    /**
     * Writes {@code original + delta} into a region: the original colour samples (as read by
     * {@link #readSamples} before anything was written) plus a perturbation in [0,1] units (RGB
     * planes over the region, stored grid), rounded to the nearest sample value and clipped to the
     * valid range. Alpha is left alone; grey images get the mean of the three planes. Returns the
     * largest change in sample units.
     */
    public int writePerturbed(FaceBox box, int[][] original, float[] deltaChw) {
        return writePerturbed(box, original, deltaChw, null);
    }

    /**
     * As {@link #writePerturbed(FaceBox, int[][], float[])}, except that a pixel whose perturbation rounds to no
     * change in every band gets its samples from {@code current} (the region as it stands now, read after an earlier
     * face's perturbation was written into it; null: the original): a face confined to its oval then leaves a
     * neighbour's protected pixels in the corners of its region as they are.
     */
    public int writePerturbed(FaceBox box, int[][] original, float[] deltaChw, int[][] current) {
        int plane = box.width() * box.height();
        if (deltaChw.length != 3 * plane || original.length != colourBands || original[0].length != plane
                || (current != null && (current.length != colourBands || current[0].length != plane))) {
            throw new IllegalArgumentException("perturbation does not fit the " + box.width() + "x" + box.height()
                    + " region");
        }
        // a pixel this face leaves as it was (its change rounds to nothing in every band) keeps what is there now
        boolean[] untouched = current == null ? null : new boolean[plane];
        if (current != null) {
            for (int i = 0; i < plane; i++) {
                boolean same = true;
                for (int c = 0; c < colourBands && same; c++) {
                    same = perturbed(original[c][i], deltaChw, plane, i, c) == original[c][i];
                }
                untouched[i] = same;
            }
        }
        int[] samples = new int[plane];
        int largest = 0;
        for (int c = 0; c < colourBands; c++) {
            int[] before = original[c];
            for (int i = 0; i < plane; i++) {
                if (untouched != null && untouched[i]) {
                    samples[i] = current[c][i];
                    continue;
                }
                int v = perturbed(before[i], deltaChw, plane, i, c);
                largest = Math.max(largest, Math.abs(v - before[i]));
                samples[i] = v;
            }
            writeBand(box.x(), box.y(), box.width(), box.height(), c, samples);
        }
        return largest;
    }

    /** One sample plus its perturbation (grey images: the mean of the three planes), rounded and clipped. */
    private int perturbed(int before, float[] deltaChw, int plane, int i, int c) {
        float d = colourBands == 3 ? deltaChw[c * plane + i]
                : (deltaChw[i] + deltaChw[plane + i] + deltaChw[2 * plane + i]) / 3f;
        return Math.max(0, Math.min(maxValue, Math.round(before + d * maxValue)));
    }

    /**
     * An 8-bit RGB preview of the stored grid, each pixel the mean of a {@code factor x factor} block, for face
     * detection on large photos without holding a float copy of every pixel; packed {@code TYPE_INT_RGB}, the
     * layout the detector reads directly.
     */
    public BufferedImage preview(int factor) {
        int f = Math.max(1, Math.min(factor, Math.min(width(), height())));
        int pw = width() / f;
        int ph = height() / f;
        BufferedImage out = new BufferedImage(pw, ph, BufferedImage.TYPE_INT_RGB);
        WritableRaster dst = out.getRaster();
        if (bytes != null) {
            bytes.blockMeans(f, colourBands, pw, ph, ((java.awt.image.DataBufferInt) dst.getDataBuffer()).getData());
            return out;
        }
        double norm = 255.0 / ((double) f * f * maxValue);
        // Detection waits for the preview, and its rows are independent: the cores share them, in a few
        // contiguous runs of rows with one set of buffers each (buffers per row would churn ~100 MB at 24 MP).
        int parts = Math.min(ph, 2 * Runtime.getRuntime().availableProcessors());
        java.util.stream.IntStream.range(0, parts).parallel().forEach(part -> {
            int[] strip = new int[pw * f * f];
            long[] sums = new long[pw];
            int[] row = new int[pw];
            for (int py = part * ph / parts; py < (part + 1) * ph / parts; py++) {
                for (int c = 0; c < 3; c++) {
                    int band = Math.min(c, colourBands - 1);
                    readBand(0, py * f, pw * f, f, band, strip);
                    java.util.Arrays.fill(sums, 0);
                    for (int dy = 0; dy < f; dy++) {
                        int base = dy * pw * f;
                        for (int px = 0; px < pw; px++) {
                            long sum = 0;
                            int from = base + px * f;
                            for (int dx = 0; dx < f; dx++) {
                                sum += strip[from + dx];
                            }
                            sums[px] += sum;
                        }
                    }
                    for (int px = 0; px < pw; px++) {
                        row[px] = (int) Math.round(sums[px] * norm);
                    }
                    synchronized (dst) { // a raster's setSamples is not documented as thread-safe
                        dst.setSamples(0, py, pw, 1, c, row);
                    }
                }
            }
        });
        return out;
    }

    /** Whether samples are read and written directly in the raster's byte array (for tests). */
    boolean readsBytesDirectly() {
        return bytes != null;
    }

    private int[] readBand(int x, int y, int w, int h, int band, int[] out) {
        return bytes != null ? bytes.read(x, y, w, h, band, out) : raster.getSamples(x, y, w, h, band, out);
    }

    private void writeBand(int x, int y, int w, int h, int band, int[] samples) {
        if (bytes != null) {
            bytes.write(x, y, w, h, band, samples);
        } else {
            raster.setSamples(x, y, w, h, band, samples);
        }
    }

    /**
     * The samples of an 8-bit raster whose bands are interleaved in one byte array (what the JPEG and
     * PNG decoders give): read and written in place, in plain array loops, where the generic
     * {@code Raster.getSamples} path goes through the sample model sample by sample. Coordinates are
     * the raster's; the translation of a child raster is honoured.
     */
    private record ByteSamples(byte[] data, int offset, int pixelStride, int scanlineStride, int[] bandOffsets,
                               int translateX, int translateY, java.awt.Rectangle bounds) {

        static ByteSamples of(WritableRaster raster) {
            if (!(raster.getDataBuffer() instanceof DataBufferByte buffer) || buffer.getNumBanks() != 1
                    || !(raster.getSampleModel() instanceof ComponentSampleModel model)) {
                return null;
            }
            for (int bank : model.getBankIndices()) {
                if (bank != 0) {
                    return null;
                }
            }
            for (int size : model.getSampleSize()) {
                if (size != 8) {
                    return null;
                }
            }
            return new ByteSamples(buffer.getData(), buffer.getOffset(), model.getPixelStride(),
                    model.getScanlineStride(), model.getBandOffsets(), raster.getSampleModelTranslateX(),
                    raster.getSampleModelTranslateY(), raster.getBounds());
        }

        /** The generic path's contract: a region outside the raster is an error, never other pixels. */
        private void check(int x, int y, int w, int h, int band, int length) {
            if (w < 0 || h < 0 || x < bounds.x || y < bounds.y || (long) x + w > bounds.x + bounds.width
                    || (long) y + h > bounds.y + bounds.height || band < 0 || band >= bandOffsets.length
                    || length < (long) w * h) {
                throw new ArrayIndexOutOfBoundsException("region " + w + "x" + h + " at (" + x + "," + y
                        + ") band " + band + " outside the " + bounds.width + "x" + bounds.height + " raster");
            }
        }

        private int index(int x, int y, int band) {
            return pixelIndex(x, y) + bandOffsets[band];
        }

        /** Where the samples of the pixel at ({@code x}, {@code y}) begin; its bands lie at the band offsets. */
        private int pixelIndex(int x, int y) {
            return offset + (y - translateY) * scanlineStride + (x - translateX) * pixelStride;
        }

        /**
         * The preview's pixels (see {@link PhotoPixels#preview}) into a {@code TYPE_INT_RGB} image's ints: one
         * sweep over the interleaved samples for all bands at once (24 MP is ~0.1 s of band-by-band copies),
         * in a few contiguous runs of output rows that the cores share.
         */
        void blockMeans(int f, int colourBands, int pw, int ph, int[] rgb) {
            int bands = Math.min(colourBands, 3);
            int[] offsets = new int[3];
            for (int c = 0; c < 3; c++) {
                offsets[c] = bandOffsets[Math.min(c, bands - 1)];
            }
            double norm = 1.0 / ((double) f * f);
            int parts = Math.min(ph, 2 * Runtime.getRuntime().availableProcessors());
            java.util.stream.IntStream.range(0, parts).parallel().forEach(part -> {
                long[] sums = new long[3 * pw];
                for (int py = part * ph / parts; py < (part + 1) * ph / parts; py++) {
                    java.util.Arrays.fill(sums, 0);
                    for (int dy = 0; dy < f; dy++) {
                        int rowStart = pixelIndex(bounds.x, bounds.y + py * f + dy);
                        for (int px = 0; px < pw; px++) {
                            long r = 0;
                            long g = 0;
                            long b = 0;
                            int i = rowStart + px * f * pixelStride;
                            for (int dx = 0; dx < f; dx++, i += pixelStride) {
                                r += data[i + offsets[0]] & 0xFF;
                                g += data[i + offsets[1]] & 0xFF;
                                b += data[i + offsets[2]] & 0xFF;
                            }
                            sums[3 * px] += r;
                            sums[3 * px + 1] += g;
                            sums[3 * px + 2] += b;
                        }
                    }
                    int o = py * pw;
                    for (int px = 0; px < pw; px++) {
                        rgb[o + px] = (int) Math.round(sums[3 * px] * norm) << 16
                                | (int) Math.round(sums[3 * px + 1] * norm) << 8 | (int) Math.round(sums[3 * px + 2] * norm);
                    }
                }
            });
        }

        int[] read(int x, int y, int w, int h, int band, int[] out) {
            check(x, y, w, h, band, out.length);
            int k = 0;
            for (int row = 0; row < h; row++) {
                int i = index(x, y + row, band);
                for (int col = 0; col < w; col++, i += pixelStride) {
                    out[k++] = data[i] & 0xFF;
                }
            }
            return out;
        }

        void write(int x, int y, int w, int h, int band, int[] samples) {
            check(x, y, w, h, band, samples.length);
            int k = 0;
            for (int row = 0; row < h; row++) {
                int i = index(x, y + row, band);
                for (int col = 0; col < w; col++, i += pixelStride) {
                    data[i] = (byte) samples[k++];
                }
            }
        }
    }

    /**
     * Marks these pixels as protected in place; false if they already were (protecting them again
     * would add a second perturbation on top of the first and break the budget).
     */
    boolean markProtectedInPlace() {
        return protectedInPlace.compareAndSet(false, true);
    }

    /** Whether faces were already protected in these very pixels. */
    boolean isProtectedInPlace() {
        return protectedInPlace.get();
    }

    /** A deep copy: {@link PhotoProtector#protectPixels} leaves the analysed photo as it was. */
    public PhotoPixels copy() {
        WritableRaster copy;
        if (bytes != null && raster.getParent() == null && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0) {
            // one array copy instead of the raster's row-by-row transfer (a tenth of the time at 24 MP)
            DataBufferByte source = (DataBufferByte) raster.getDataBuffer();
            DataBufferByte data = new DataBufferByte(source.getData().clone(), source.getSize(), source.getOffset());
            copy = java.awt.image.Raster.createWritableRaster(raster.getSampleModel(), data, null);
        } else {
            copy = raster.createCompatibleWritableRaster();
            copy.setRect(raster);
        }
        BufferedImage img = new BufferedImage(image.getColorModel(), copy, image.isAlphaPremultiplied(), null);
        return new PhotoPixels(img, colourBands, maxValue);
    }

    /** These pixels turned upright for formats that cannot carry the orientation tag. */
    PhotoPixels oriented(Orientation orientation) {
        return orientation == Orientation.NORMAL ? this
                : new PhotoPixels(orientation.applyTo(image), colourBands, maxValue);
    }
}
