package org.segue.engine.metadata;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Filters Photoshop image resource blocks (JPEG APP13, where IPTC captions live): the thumbnail
 * resources (ids 0x0409 and 0x040C, a preview of the unprotected photo) are removed, the rest kept.
 */
final class PhotoshopResources {

    private static final int THUMBNAIL_PS4 = 0x0409;
    private static final int THUMBNAIL = 0x040C;

    private PhotoshopResources() {}

    /** The cleaned APP13 payload (header kept), or null when the resource list is malformed. */
    static byte[] clean(byte[] payload, int headerLength, MetadataReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length);
        out.write(payload, 0, headerLength);
        ByteBuffer in = ByteBuffer.wrap(payload); // Photoshop resources are big-endian
        int p = headerLength;
        while (p + 12 <= payload.length) {
            if (in.getInt(p) != 0x3842494D) { // "8BIM"
                report.removed("Photoshop resources (malformed, removed whole)");
                return null;
            }
            int id = in.getShort(p + 4) & 0xFFFF;
            int nameLength = payload[p + 6] & 0xFF;
            int namePadded = (nameLength + 2) & ~1; // length byte + name, padded to even
            int sizeAt = p + 6 + namePadded;
            if (sizeAt + 4 > payload.length) {
                report.removed("Photoshop resources (malformed, removed whole)");
                return null;
            }
            long size = in.getInt(sizeAt) & 0xFFFFFFFFL;
            long end = sizeAt + 4 + size + (size & 1);
            if (end > payload.length + 1L) {
                report.removed("Photoshop resources (malformed, removed whole)");
                return null;
            }
            int blockEnd = (int) Math.min(end, payload.length);
            if (id == THUMBNAIL || id == THUMBNAIL_PS4) {
                report.removed("Photoshop thumbnail");
            } else {
                out.write(payload, p, blockEnd - p);
            }
            p = blockEnd;
        }
        return out.toByteArray();
    }
}
