package org.segue.examples.dam;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether content is a photo Segue reads (JPEG, PNG, TIFF, BMP), told from its first bytes. The MIME type a
 * client declares is no guide: an upload declared as {@code application/octet-stream}, or as any other type, is a
 * photo all the same when its bytes are one, and browsers and renditions show it as one. So the content decides;
 * a declared photo type only adds to it, sending content the protector cannot read to the protector, which
 * refuses it with its reason instead of letting it pass.
 */
public final class PhotoContent {

    /** How many leading bytes {@link #format(byte[])} needs (a BMP's file header and the size of its DIB header). */
    public static final int HEAD_LENGTH = 18;

    private static final Set<String> PHOTO_TYPES = Set.of("image/jpeg", "image/pjpeg", "image/jpg", "image/png",
            "image/tiff", "image/tiff-fx", "image/bmp", "image/x-bmp", "image/x-ms-bmp");

    /** The sizes of the BMP DIB headers that exist (OS/2 1.x and 2.x, Windows 3.x to 5); "BM" alone starts text too. */
    private static final Set<Integer> BMP_DIB_HEADER_SIZES = Set.of(12, 16, 40, 52, 56, 64, 108, 124);

    private PhotoContent() {
    }

    /** The photo format of content starting with {@code head} ("JPEG", "PNG", "TIFF", "BMP"), or empty. */
    public static Optional<String> format(byte[] head) {
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return Optional.of("JPEG");
        }
        if (startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of("PNG");
        }
        if (startsWith(head, 'I', 'I', 0x2A, 0x00) || startsWith(head, 'M', 'M', 0x00, 0x2A)) {
            return Optional.of("TIFF");
        }
        if (startsWith(head, 'B', 'M') && head.length >= 18) {
            int dibHeaderSize = (head[14] & 0xFF) | (head[15] & 0xFF) << 8 | (head[16] & 0xFF) << 16
                    | (head[17] & 0xFF) << 24;
            if (BMP_DIB_HEADER_SIZES.contains(dibHeaderSize)) {
                return Optional.of("BMP");
            }
        }
        return Optional.empty();
    }

    /** The first {@link #HEAD_LENGTH} bytes of {@code in} (fewer when it is shorter); they are consumed. */
    public static byte[] head(InputStream in) throws IOException {
        return in.readNBytes(HEAD_LENGTH);
    }

    /** Whether a declared MIME type names a format Segue reads. */
    public static boolean isPhotoType(String mimeType) {
        if (mimeType == null) {
            return false;
        }
        String type = mimeType.toLowerCase(Locale.ROOT);
        int parameters = type.indexOf(';');
        return PHOTO_TYPES.contains((parameters < 0 ? type : type.substring(0, parameters)).strip());
    }

    /**
     * Whether content starting with {@code head} goes to the protector: it is a photo by its bytes, whatever was
     * declared, or it is declared as one (the protector then refuses what it cannot read).
     */
    public static boolean mustBeProtected(String declaredType, byte[] head) {
        return format(head).isPresent() || isPhotoType(declaredType);
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
