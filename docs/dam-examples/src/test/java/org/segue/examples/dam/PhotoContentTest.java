package org.segue.examples.dam;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhotoContentTest {

    private static Optional<String> formatOf(byte[] content) throws IOException {
        return PhotoContent.format(PhotoContent.head(new ByteArrayInputStream(content)));
    }

    @Test
    void eachFormatSegueReadsIsToldByItsFirstBytes() throws IOException {
        assertEquals(Optional.of("JPEG"), formatOf(Samples.jpeg()));
        assertEquals(Optional.of("PNG"), formatOf(Samples.png()));
        assertEquals(Optional.of("BMP"), formatOf(Samples.bmp()));
        byte[] little = Samples.tiff(ByteOrder.LITTLE_ENDIAN);
        byte[] big = Samples.tiff(ByteOrder.BIG_ENDIAN);
        assertEquals("II", new String(little, 0, 2), "the writer honoured the byte order");
        assertEquals("MM", new String(big, 0, 2), "the writer honoured the byte order");
        assertEquals(Optional.of("TIFF"), formatOf(little));
        assertEquals(Optional.of("TIFF"), formatOf(big));
    }

    @Test
    void otherContentIsNoPhotoWhateverItResembles() throws IOException {
        assertEquals(Optional.empty(), formatOf(Samples.gif()));
        assertEquals(Optional.empty(), formatOf(Samples.pdf()));
        assertEquals(Optional.empty(), formatOf(Samples.csvStartingLikeABmp()), "\"BM\" alone is not a BMP");
        assertEquals(Optional.empty(), formatOf(new byte[0]));
        assertEquals(Optional.empty(), formatOf(new byte[] {(byte) 0xFF, (byte) 0xD8}), "too short for a JPEG");
        assertEquals(Optional.empty(), formatOf(Arrays.copyOf(Samples.bmp(), 10)), "a BMP cut before its DIB header");
        assertEquals(Optional.empty(), formatOf(new byte[] {'I', 'I', 0x2B, 0x00, 8, 0, 0, 0}), "BigTIFF");
    }

    @Test
    void theHeadIsTheFirstBytesOnly() throws IOException {
        byte[] jpeg = Samples.jpeg();
        ByteArrayInputStream in = new ByteArrayInputStream(jpeg);
        assertArrayEquals(Arrays.copyOf(jpeg, PhotoContent.HEAD_LENGTH), PhotoContent.head(in));
        assertEquals(jpeg.length - PhotoContent.HEAD_LENGTH, in.available());
        assertArrayEquals(new byte[] {1, 2}, PhotoContent.head(new ByteArrayInputStream(new byte[] {1, 2})));
    }

    @Test
    void theDeclaredTypeNeverExemptsAPhoto() throws IOException {
        byte[] jpegHead = PhotoContent.head(new ByteArrayInputStream(Samples.jpeg()));
        byte[] pdfHead = PhotoContent.head(new ByteArrayInputStream(Samples.pdf()));
        for (String declared : new String[] {"application/octet-stream", "application/pdf", "image/gif", "", null}) {
            assertTrue(PhotoContent.mustBeProtected(declared, jpegHead), String.valueOf(declared));
        }
        assertTrue(PhotoContent.mustBeProtected("image/jpeg", pdfHead),
                "content declared as a photo goes to the protector, which refuses what it cannot read");
        assertFalse(PhotoContent.mustBeProtected("application/pdf", pdfHead));
        assertFalse(PhotoContent.mustBeProtected(null, pdfHead));
    }

    @Test
    void declaredPhotoTypes() {
        for (String t : new String[] {"image/jpeg", "IMAGE/PNG", " image/tiff ", "image/bmp", "image/x-ms-bmp",
                "image/jpeg; name=holiday.jpg"}) {
            assertTrue(PhotoContent.isPhotoType(t), t);
        }
        for (String t : new String[] {"application/pdf", "image/gif", "video/mp4", "application/octet-stream", "",
                null}) {
            assertFalse(PhotoContent.isPhotoType(t), String.valueOf(t));
        }
    }
}
