package org.segue.examples.dam;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Files of each kind the examples meet, encoded by the JDK's own writers (generated pixels, no face). */
public final class Samples {

    private Samples() {
    }

    public static byte[] jpeg() {
        return encode("jpeg", ByteOrder.BIG_ENDIAN);
    }

    public static byte[] png() {
        return encode("png", ByteOrder.BIG_ENDIAN);
    }

    /** A TIFF in the byte order given ("II" little-endian, "MM" big-endian). */
    public static byte[] tiff(ByteOrder order) {
        return encode("tiff", order);
    }

    public static byte[] bmp() {
        return encode("bmp", ByteOrder.LITTLE_ENDIAN);
    }

    public static byte[] gif() {
        return encode("gif", ByteOrder.BIG_ENDIAN);
    }

    public static byte[] pdf() {
        return "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A CSV file whose first bytes are those of a BMP's signature, "BM". */
    public static byte[] csvStartingLikeABmp() {
        return "BMW,3 series,2019\nAudi,A4,2021\nSkoda,Octavia,2020\n".getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] encode(String format, ByteOrder order) {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(format.hashCode());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            out.setByteOrder(order);
            writer.setOutput(out);
            writer.write(streamMetadata(writer, format, order), new IIOImage(image, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The TIFF writer takes its byte order from its stream metadata, not from the stream. */
    private static IIOMetadata streamMetadata(ImageWriter writer, String format, ByteOrder order) throws IOException {
        if (!format.equals("tiff")) {
            return null;
        }
        IIOMetadata metadata = writer.getDefaultStreamMetadata(null);
        String formatName = metadata.getNativeMetadataFormatName();
        IIOMetadataNode byteOrder = new IIOMetadataNode("ByteOrder");
        byteOrder.setAttribute("value", order == ByteOrder.BIG_ENDIAN ? "BIG_ENDIAN" : "LITTLE_ENDIAN");
        IIOMetadataNode root = new IIOMetadataNode(formatName);
        root.appendChild(byteOrder);
        metadata.setFromTree(formatName, root);
        return metadata;
    }
}
