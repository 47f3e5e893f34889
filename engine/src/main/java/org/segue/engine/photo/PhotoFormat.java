package org.segue.engine.photo;

import java.util.Locale;

/**
 * The photo formats the pipeline reads and writes. The format is told by the file's first bytes,
 * never by its name: a text file named .jpg is refused as what it is.
 */
public enum PhotoFormat {
    JPEG("jpeg", "jpg"), PNG("png", "png"), TIFF("tiff", "tif"), BMP("bmp", "bmp");

    private final String imageIoName;
    private final String extension;

    PhotoFormat(String imageIoName, String extension) {
        this.imageIoName = imageIoName;
        this.extension = extension;
    }

    /** The ImageIO format name of readers and writers. */
    public String imageIoName() {
        return imageIoName;
    }

    /** The usual file extension, without the dot. */
    public String extension() {
        return extension;
    }

    /** Whether a file name has an extension this product treats as a photo (used to pick files in folders). */
    public static boolean looksLikePhoto(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".tif")
                || n.endsWith(".tiff") || n.endsWith(".bmp") || n.endsWith(".heic") || n.endsWith(".heif")
                || n.endsWith(".gif") || n.endsWith(".webp");
    }

    /**
     * The format of a file from its first bytes.
     *
     * @throws PhotoException naming the format where it is known but not supported, or saying the
     *                        bytes are not an image
     */
    public static PhotoFormat sniff(byte[] b, String source) throws PhotoException {
        if (b.length == 0) {
            throw new PhotoException(source, "empty file (0 bytes)");
        }
        if (starts(b, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (starts(b, 'I', 'I', 42, 0) || starts(b, 'M', 'M', 0, 42)) {
            return TIFF;
        }
        if (starts(b, 'B', 'M')) {
            return BMP;
        }
        if (starts(b, 'G', 'I', 'F', '8')) {
            throw new PhotoException(source, "GIF is not supported (palette animation format); convert it to PNG");
        }
        if (b.length >= 12 && starts(b, 'R', 'I', 'F', 'F') && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            throw new PhotoException(source, "WebP is not supported; convert it to JPEG or PNG");
        }
        if (b.length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            throw new PhotoException(source, "HEIC/HEIF (and other ISO media files) are not supported; export as JPEG");
        }
        if (starts(b, 'I', 'I', 43, 0) || starts(b, 'M', 'M', 0, 43)) {
            throw new PhotoException(source, "BigTIFF is not supported");
        }
        throw new PhotoException(source, "not a JPEG, PNG, TIFF or BMP image (unrecognised content)");
    }

    private static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
