package org.segue.plugin.imagej;

import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;

/**
 * ImageJ processors to and from BufferedImages with the same sample values (8-bit grey, 16-bit grey,
 * RGB), so the engine changes face pixels only and every other value of the result equals the source.
 */
final class ImagePlusPixels {

    private ImagePlusPixels() {}

    static BufferedImage toBufferedImage(ImageProcessor ip) {
        int w = ip.getWidth();
        int h = ip.getHeight();
        if (ip instanceof ColorProcessor cp) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] dst = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
            System.arraycopy((int[]) cp.getPixels(), 0, dst, 0, dst.length);
            return img;
        }
        if (ip instanceof ByteProcessor bp) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            System.arraycopy((byte[]) bp.getPixels(), 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, w * h);
            return img;
        }
        if (ip instanceof ShortProcessor sp) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
            System.arraycopy((short[]) sp.getPixels(), 0, ((DataBufferUShort) img.getRaster().getDataBuffer()).getData(), 0, w * h);
            return img;
        }
        throw new IllegalArgumentException("32-bit images are not photos; convert to 8-bit, 16-bit or RGB first");
    }

    /** A processor of the same kind as {@code like} holding the image's samples. */
    static ImageProcessor toProcessor(BufferedImage img, ImageProcessor like) {
        int w = img.getWidth();
        int h = img.getHeight();
        ImageProcessor out;
        if (like instanceof ColorProcessor) {
            int[] pixels = new int[w * h];
            img.getRaster().getDataElements(0, 0, w, h, pixels);
            out = new ColorProcessor(w, h, pixels);
        } else if (like instanceof ByteProcessor) {
            byte[] pixels = new byte[w * h];
            img.getRaster().getDataElements(0, 0, w, h, pixels);
            out = new ByteProcessor(w, h, pixels, like.getColorModel());
        } else {
            short[] pixels = new short[w * h];
            img.getRaster().getDataElements(0, 0, w, h, pixels);
            out = new ShortProcessor(w, h, pixels, like.getColorModel());
        }
        out.setCalibrationTable(like.getCalibrationTable());
        return out;
    }
}
