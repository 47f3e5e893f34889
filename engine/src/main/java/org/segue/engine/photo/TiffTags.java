package org.segue.engine.photo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Looks up a tag in a TIFF's first directory without decoding it (what a report names as removed). */
final class TiffTags {

    private TiffTags() {}

    static boolean has(byte[] tiff, int tag) {
        try {
            ByteBuffer in = ByteBuffer.wrap(tiff).order(tiff[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            int ifd = in.getInt(4);
            int count = in.getShort(ifd) & 0xFFFF;
            for (int i = 0; i < count; i++) {
                if ((in.getShort(ifd + 2 + 12 * i) & 0xFFFF) == tag) {
                    return true;
                }
            }
        } catch (IndexOutOfBoundsException e) {
            // a directory past the end: the decoder has refused such a file before this is asked
        }
        return false;
    }
}
