package org.segue.engine.photo;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import org.segue.engine.metadata.JpegMetadata;
import org.segue.engine.metadata.MetadataPolicy;
import org.segue.engine.metadata.MetadataReport;
import org.segue.engine.metadata.PngMetadata;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Decoding photos into {@link PhotoPixels} with their orientation, and encoding protected pixels
 * back into the same format with cleaned metadata. Decoding is strict: a truncated or damaged file is
 * refused rather than protected half-grey, and the pixel count is checked from the header before
 * any pixel memory is allocated (a 100000x100000 PNG is a decompression bomb, not a photo).
 */
public final class PhotoCodec {

    /** Default limit on pixels per photo: 100 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    private PhotoCodec() {}

    /** A decoded photo: the original bytes, their format, orientation and pixels (stored grid). */
    public record Decoded(byte[] original, PhotoFormat format, Orientation orientation, PhotoPixels pixels) {}

    public static Decoded decode(byte[] bytes, String source, long maxPixels) throws PhotoException {
        PhotoFormat format = PhotoFormat.sniff(bytes, source);
        ImageReader reader = reader(format, source);
        List<String> warnings = new ArrayList<>();
        BufferedImage image;
        // memory-cached streams: ImageIO's default file cache would copy the unprotected photo to the
        // temporary folder, where a crash would leave it
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, false, true);
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels > maxPixels) {
                throw new PhotoException(source, "image of " + reader.getWidth(0) + "x" + reader.getHeight(0)
                        + " pixels exceeds the limit of " + maxPixels + " pixels");
            }
            image = reader.read(0);
        } catch (PhotoException e) {
            throw e;
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            throw new PhotoException(source, describeDecodeFailure(format, e), e);
        } finally {
            reader.dispose();
        }
        if (!warnings.isEmpty()) {
            // ImageIO fills the missing part of a truncated JPEG with grey and only warns
            throw new PhotoException(source, "damaged " + format + " (" + warnings.get(0) + ")");
        }
        return new Decoded(bytes, format, readOrientation(bytes), PhotoPixels.of(image, source));
    }

    /**
     * The decoder of a format. TIFF is TwelveMonkeys' reader, asked for by name rather than through ImageIO's
     * registry: the JDK's own refuses 16-bit samples with a predictor (what ImageMagick, Photoshop and
     * Lightroom write by default), and in an OSGi framework the registry does not see an embedded library's
     * readers.
     */
    private static ImageReader reader(PhotoFormat format, String source) throws PhotoException {
        if (format == PhotoFormat.TIFF) {
            return new TIFFImageReaderSpi().createReaderInstance(null);
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new PhotoException(source, "no " + format + " decoder in this Java runtime");
        }
        return readers.next();
    }

    private static String describeDecodeFailure(PhotoFormat format, Throwable e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof OutOfMemoryError) {
            return "not enough memory to decode this " + format;
        }
        if (format == PhotoFormat.JPEG && message.contains("Unsupported Image Type")) {
            return "CMYK/YCCK JPEG is not supported; convert it to RGB";
        }
        if (e instanceof java.io.EOFException || message.contains("EOF") || message.contains("Premature end")) {
            return "truncated " + format + " (the file ends early)";
        }
        return "cannot decode this " + format + " (" + e.getClass().getSimpleName() + ": " + message + ")";
    }

    /** The EXIF orientation; upright where there is none or the metadata cannot be read. */
    static Orientation readOrientation(byte[] bytes) {
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
            ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (ifd0 != null && ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                return Orientation.ofExif(ifd0.getInt(ExifIFD0Directory.TAG_ORIENTATION));
            }
        } catch (Exception | StackOverflowError e) {
            // unreadable metadata: treat as upright; the cleaner removes what it cannot parse
        }
        return Orientation.NORMAL;
    }

    /**
     * Encodes protected pixels (stored grid of {@code decoded}) as the same format, with metadata
     * cleaned by the policy. Where the orientation tag cannot travel with the output, the pixels
     * are written upright instead, so the photo always shows the right way up.
     *
     * @param jpegQuality 1..100, used for JPEG output
     */
    public static byte[] encode(Decoded decoded, PhotoPixels protectedPixels, int jpegQuality, MetadataPolicy policy,
                                MetadataReport report) throws IOException {
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, was " + jpegQuality);
        }
        try {
            return encodeCleaned(decoded, protectedPixels, jpegQuality, policy, report);
        } catch (IllegalArgumentException e) {
            // a header the metadata cleaner cannot walk: refusing is safer than writing what it holds
            throw new PhotoException("photo", "malformed " + decoded.format() + " structure (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] encodeCleaned(Decoded decoded, PhotoPixels protectedPixels, int jpegQuality,
                                        MetadataPolicy policy, MetadataReport report) throws IOException {
        return switch (decoded.format()) {
            case JPEG -> {
                JpegMetadata.Cleaned cleaned = JpegMetadata.clean(decoded.original(), policy, report);
                PhotoPixels pixels = cleaned.keepsOrientation() ? protectedPixels
                        : protectedPixels.oriented(decoded.orientation());
                yield JpegMetadata.splice(writeJpeg(pixels, jpegQuality), cleaned.segments());
            }
            case PNG -> PngMetadata.carryOver(decoded.original(),
                    write(protectedPixels.oriented(decoded.orientation()).image(), "png", null), report);
            case TIFF -> {
                report.removed("TIFF tags other than the pixel layout and the ICC profile (not carried over)");
                if (TiffTags.has(decoded.original(), 65042)) {
                    report.removed(org.segue.engine.metadata.PngMetadata.RESTORATION_PAYLOAD);
                }
                yield encodeWith(jdkTiffWriter(), protectedPixels.oriented(decoded.orientation()).image(), param -> {
                    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setCompressionType("ZLib"); // Deflate, what ImageMagick calls zip
                });
            }
            case BMP -> write(eightBitRgb(protectedPixels.oriented(decoded.orientation())), "bmp", null);
        };
    }

    /** An image as PNG, lossless, without metadata (a JPEG's restored pixels). */
    public static byte[] encodePng(BufferedImage image) throws IOException {
        return write(image, "png", null);
    }

    private static byte[] writeJpeg(PhotoPixels pixels, int quality) throws IOException {
        return BandedJpeg.encode(eightBitRgb(pixels), image -> encodeWith(image, "jpeg", param -> {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
        }), Runtime.getRuntime().availableProcessors());
    }

    private static byte[] write(BufferedImage image, String format, String compression) throws IOException {
        return encodeWith(image, format, param -> {
            if (compression != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType(compression);
            }
        });
    }

    private static byte[] encodeWith(BufferedImage image, String format, java.util.function.Consumer<ImageWriteParam> settings)
            throws IOException {
        return encodeWith(ImageIO.getImageWritersByFormatName(format).next(), image, settings);
    }

    private static byte[] encodeWith(ImageWriter writer, BufferedImage image,
                                     java.util.function.Consumer<ImageWriteParam> settings) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            settings.accept(param);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * The JDK's own TIFF writer: it writes 16-bit RGB(A), which TwelveMonkeys' writer does not, and without a
     * predictor, so every TIFF reader opens the file (the JDK's reader, for one, takes no 16-bit predictor).
     */
    private static ImageWriter jdkTiffWriter() throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("tiff");
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            if (writer.getClass().getName().startsWith("com.sun.imageio.plugins.tiff.")) {
                return writer;
            }
            writer.dispose();
        }
        throw new IOException("no TIFF encoder in this Java runtime");
    }

    /**
     * The same samples as a standard 8-bit grey or RGB image (JPEG and BMP hold neither 16 bits nor
     * alpha), without colour conversion: the file's ICC profile still describes them.
     */
    private static BufferedImage eightBitRgb(PhotoPixels pixels) {
        BufferedImage src = pixels.image();
        int type = pixels.isGrey() ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
        if (src.getType() == type) {
            return src;
        }
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), type);
        int bands = pixels.isGrey() ? 1 : 3;
        int[] row = new int[src.getWidth()];
        boolean sixteenBit = pixels.maxValue() != 255;
        for (int y = 0; y < src.getHeight(); y++) {
            for (int b = 0; b < bands; b++) {
                src.getRaster().getSamples(0, y, src.getWidth(), 1, b, row);
                if (sixteenBit) {
                    for (int i = 0; i < row.length; i++) {
                        row[i] = (row[i] * 255 + 32767) / 65535;
                    }
                }
                out.getRaster().setSamples(0, y, src.getWidth(), 1, b, row);
            }
        }
        return out;
    }
}
