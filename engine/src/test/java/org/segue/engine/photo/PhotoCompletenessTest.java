package org.segue.engine.photo;

import org.junit.jupiter.api.Test;
import org.segue.engine.api.PhotoFiles;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A file cut anywhere looks unfinished; the whole file, and content that is no photo, do not. */
class PhotoCompletenessTest {

    private static BufferedImage noise(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Random r = new Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return img;
    }

    private static void assertEveryCutUnfinished(String what, byte[] whole) {
        assertEquals(Optional.empty(), PhotoFiles.unfinished(whole), what + " whole");
        for (int cut = 0; cut < whole.length; cut += cut < 64 ? 1 : Math.max(1, whole.length / 997)) {
            byte[] part = Arrays.copyOf(whole, cut);
            assertTrue(PhotoFiles.unfinished(part).isPresent(), what + " cut at " + cut + " of " + whole.length);
        }
    }

    @Test
    void everyFormatCutAnywhereIsUnfinished() throws Exception {
        BufferedImage img = noise(61, 47);
        for (String format : List.of("jpeg", "png", "tiff", "bmp")) {
            assertEveryCutUnfinished(format, TestPhotos.encode(img, format));
        }
    }

    @Test
    void aJpegCutRightAfterItsExifThumbnailIsUnfinished() throws Exception {
        byte[] thumbnail = TestPhotos.encode(noise(16, 12), "jpeg");
        byte[] photo = TestPhotos.jpegWith(noise(80, 60), List.of(TestPhotos.cameraExif(thumbnail)));
        assertEveryCutUnfinished("JPEG with a thumbnail", photo);
        int thumbnailEnd = TestPhotos.indexOf(photo, thumbnail) + thumbnail.length;
        assertTrue(thumbnailEnd > thumbnail.length, "the thumbnail is inside");
        // the thumbnail's own end-of-image marker is not the photo's
        assertTrue(PhotoFiles.unfinished(Arrays.copyOf(photo, thumbnailEnd)).isPresent());
    }

    @Test
    void contentThatIsNoPhotoOrAnUnsupportedOneIsNotWaitedOn() throws Exception {
        assertEquals(Optional.empty(), PhotoFiles.unfinished("not a photo at all".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), PhotoFiles.unfinished("GIF89a and more bytes".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.of("empty file (0 bytes)"), PhotoFiles.unfinished(new byte[0]));
        assertTrue(PhotoFiles.unfinished(new byte[] {(byte) 0xFF, (byte) 0xD8}).isPresent(), "too short to tell");
        byte[] jpeg = TestPhotos.encode(noise(20, 20), "jpeg");
        byte[] trailing = Arrays.copyOf(jpeg, jpeg.length + 100); // padding after the end marker, as some cameras write
        assertEquals(Optional.empty(), PhotoFiles.unfinished(trailing));
    }

    @Test
    void formatIsToldByContent() throws Exception {
        assertEquals(Optional.of("PNG"), PhotoFiles.formatOf(TestPhotos.encode(noise(8, 8), "png")));
        assertEquals(Optional.of("JPEG"), PhotoFiles.formatOf(TestPhotos.encode(noise(8, 8), "jpeg")));
        assertEquals(Optional.empty(), PhotoFiles.formatOf("text".getBytes(StandardCharsets.US_ASCII)));
    }
}
