package org.segue.engine.internal;

import org.segue.engine.internal.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Conversion between image files / BufferedImages and {@link RgbImage}, 8 bits per channel. */
public final class ImageCodec {

    private ImageCodec() {}

    /** Reads an image file; a file ImageIO cannot decode gives an IOException naming it. */
    public static RgbImage read(Path file) throws IOException {
        BufferedImage img;
        try (InputStream in = Files.newInputStream(file)) {
            img = ImageIO.read(new javax.imageio.stream.MemoryCacheImageInputStream(in)); // no temp-file copy
        }
        if (img == null) {
            throw new IOException(file + ": not a readable image (no decoder for its format)");
        }
        return fromBuffered(img);
    }

    public static RgbImage fromBuffered(BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        ColorModel cm = img.getColorModel();
        if (cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            return fromGreySamples(img.getRaster(), (1 << cm.getComponentSize(0)) - 1);
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        float[] chw = new float[3 * h * w];
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            chw[i] = ((p >> 16) & 0xff) / 255f;
            chw[plane + i] = ((p >> 8) & 0xff) / 255f;
            chw[2 * plane + i] = (p & 0xff) / 255f;
        }
        return new RgbImage(chw, h, w);
    }

    /**
     * Grey samples as they are stored, replicated to three planes. getRGB would take them for linear
     * light and convert them to sRGB, brightening every grey image (a stored 30 of 255 reads as 90);
     * PNG and JPEG grey samples are display values already, as {@code PhotoPixels} reads them too.
     */
    private static RgbImage fromGreySamples(Raster raster, int maxValue) {
        int h = raster.getHeight();
        int w = raster.getWidth();
        int plane = h * w;
        float[] chw = new float[3 * plane];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                float v = row[x] / (float) maxValue;
                int i = y * w + x;
                chw[i] = v;
                chw[plane + i] = v;
                chw[2 * plane + i] = v;
            }
        }
        return new RgbImage(chw, h, w);
    }

    /** Rounds to the nearest 8-bit value per channel. */
    public static BufferedImage toBuffered(RgbImage image) {
        int h = image.height();
        int w = image.width();
        int plane = h * w;
        float[] chw = image.chw();
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = (to8(chw[i]) << 16) | (to8(chw[plane + i]) << 8) | to8(chw[2 * plane + i]);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    public static int to8(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }

    /**
     * The image after a baseline JPEG encode at {@code quality} (1..100, libjpeg's scale, 4:2:0 as
     * ImageIO writes it) and decode: what an attacker's re-compression of a training set leaves.
     */
    public static RgbImage jpegRoundTrip(RgbImage image, int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be in 1..100, was " + quality);
        }
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            try (javax.imageio.stream.ImageOutputStream out = new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
                javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality / 100f);
                writer.setOutput(out);
                writer.write(null, new javax.imageio.IIOImage(toBuffered(image), null, null), param);
            } finally {
                writer.dispose();
            }
            BufferedImage decoded = ImageIO.read(new javax.imageio.stream.MemoryCacheImageInputStream(
                    new java.io.ByteArrayInputStream(bytes.toByteArray())));
            return fromBuffered(decoded);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("in-memory JPEG round trip failed", e);
        }
    }

    /** Writes a lossless PNG atomically. */
    public static void writePng(RgbImage image, Path file) throws IOException {
        BufferedImage buffered = toBuffered(image);
        AtomicFiles.write(file, out -> {
            // a memory cache, not ImageIO's default temporary file; closing it flushes into out
            try (javax.imageio.stream.ImageOutputStream cached = new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(buffered, "png", cached)) {
                    throw new IOException("no PNG writer available");
                }
            }
        });
    }
}
