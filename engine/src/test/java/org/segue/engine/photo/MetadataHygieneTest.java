package org.segue.engine.photo;

import org.segue.engine.api.ProtectionOptions;
import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.ExifThumbnailDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.icc.IccDirectory;
import com.drew.metadata.iptc.IptcDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import org.junit.jupiter.api.Test;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.metadata.JpegMetadata;
import org.segue.engine.metadata.MetadataPolicy;
import org.segue.engine.internal.DjlRuntime;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GPS, thumbnails, maker notes and face-region names are gone from protected JPEGs; the rest stays. */
class MetadataHygieneTest {

    private static BufferedImage gradient(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 128);
            }
        }
        return img;
    }

    private static byte[] cameraJpeg(byte[] thumbnail) throws Exception {
        return TestPhotos.jpegWith(gradient(320, 240), List.of(TestPhotos.cameraExif(thumbnail),
                TestPhotos.xmpSegment(), TestPhotos.iccSegment(), TestPhotos.photoshopSegment()));
    }

    private static PhotoProtector.Result protect(byte[] jpeg, MetadataPolicy policy) throws Exception {
        PhotoProtector p = new PhotoProtector(TestEngine.defaultModel(), TestEngine.detector(), ProtectionOptions.builder().keepLocation(policy.keepLocation()).build());
        PhotoProtector.Analysed a = p.analyse(jpeg, "camera.jpg");
        return p.protect(a, new int[a.faces().size()]);
    }

    @Test
    void removesLocationThumbnailsMakerNoteAndPeopleButKeepsTheRest() throws Exception {
        byte[] thumbnail = TestPhotos.encode(gradient(64, 48), "jpeg");
        byte[] original = cameraJpeg(thumbnail);
        Metadata before = ImageMetadataReader.readMetadata(new ByteArrayInputStream(original));
        assertNotNull(before.getFirstDirectoryOfType(GpsDirectory.class), "test input must carry GPS");
        assertNotNull(before.getFirstDirectoryOfType(ExifThumbnailDirectory.class), "test input must carry a thumbnail");
        assertTrue(TestPhotos.contains(original, thumbnail));

        PhotoProtector.Result result = protect(original, MetadataPolicy.defaults());
        byte[] out = result.output();
        Metadata after = ImageMetadataReader.readMetadata(new ByteArrayInputStream(out));
        for (Directory d : after.getDirectories()) {
            assertFalse(d.hasErrors(), d.getName() + " has errors: " + d.getErrors());
        }
        assertNull(after.getFirstDirectoryOfType(GpsDirectory.class), "GPS must be removed");
        assertNull(after.getFirstDirectoryOfType(ExifThumbnailDirectory.class), "EXIF thumbnail must be removed");
        assertFalse(TestPhotos.contains(out, thumbnail), "thumbnail bytes must not survive anywhere");
        assertFalse(TestPhotos.contains(out, TestPhotos.MAKER_NOTE_SECRET.getBytes(StandardCharsets.US_ASCII)));
        assertFalse(TestPhotos.contains(out, TestPhotos.PHOTOSHOP_THUMB_SECRET.getBytes(StandardCharsets.US_ASCII)));
        String text = new String(out, StandardCharsets.ISO_8859_1);
        for (String gone : List.of("Alice Example", "Bob Example", "Carol Example", TestPhotos.XMP_THUMB_SECRET,
                "mwg-rs:Regions", "MP:RegionInfo", "MPRI:Regions", "Iptc4xmpExt:PersonInImage")) {
            assertFalse(text.contains(gone), gone + " must be removed");
        }

        ExifIFD0Directory ifd0 = after.getFirstDirectoryOfType(ExifIFD0Directory.class);
        assertEquals("SegueCam", ifd0.getString(ExifIFD0Directory.TAG_MAKE));
        assertEquals("Model X", ifd0.getString(ExifIFD0Directory.TAG_MODEL));
        assertEquals(1, ifd0.getInt(ExifIFD0Directory.TAG_ORIENTATION));
        assertEquals("Test Studio", ifd0.getString(ExifIFD0Directory.TAG_COPYRIGHT));
        assertEquals("2024:05:01 10:00:00", after.getFirstDirectoryOfType(ExifSubIFDDirectory.class)
                .getString(ExifSubIFDDirectory.TAG_DATETIME_ORIGINAL));
        assertNotNull(after.getFirstDirectoryOfType(IccDirectory.class), "ICC profile must be kept");
        assertEquals("Team photo at the lab", after.getFirstDirectoryOfType(IptcDirectory.class)
                .getString(IptcDirectory.TAG_CAPTION));
        assertNotNull(after.getFirstDirectoryOfType(XmpDirectory.class));
        assertTrue(text.contains("Copyright Test Studio"), "XMP rights must be kept");

        List<String> removed = result.metadata().removedItems();
        for (String kind : List.of("GPS location", "EXIF thumbnail (IFD1)", "Photoshop thumbnail", "XMP thumbnail",
                "face regions with names (MWG)", "people tags (Microsoft Photo)", "names of people in the image (IPTC)")) {
            assertTrue(removed.stream().anyMatch(r -> r.startsWith(kind)), kind + " missing from report " + removed);
        }
    }

    @Test
    void keepsLocationOnlyWhenAsked() throws Exception {
        byte[] original = cameraJpeg(TestPhotos.encode(gradient(64, 48), "jpeg"));
        byte[] out = protect(original, new MetadataPolicy(true)).output();
        GpsDirectory gps = ImageMetadataReader.readMetadata(new ByteArrayInputStream(out))
                .getFirstDirectoryOfType(GpsDirectory.class);
        assertNotNull(gps, "GPS kept with keepLocation");
        assertEquals(48.0 + 51 / 60.0 + 24 / 3600.0, gps.getGeoLocation().getLatitude(), 1e-6);
        assertNull(ImageMetadataReader.readMetadata(new ByteArrayInputStream(out))
                .getFirstDirectoryOfType(ExifThumbnailDirectory.class), "the thumbnail goes even then");
    }

    @Test
    void malformedExifIsDroppedWholeAndThePhotoStillProtected() throws Exception {
        byte[] junk = "Exif\0\0II*\0\u00ff\u00ff\u00ff\u007fgarbage".getBytes(StandardCharsets.ISO_8859_1);
        byte[] original = TestPhotos.jpegWith(gradient(200, 150), List.of(new JpegMetadata.Segment(0xE1, junk)));
        PhotoProtector.Result r = protect(original, MetadataPolicy.defaults());
        assertTrue(r.metadata().removedItems().contains("EXIF (malformed, removed whole)"), r.metadata().toString());
        assertFalse(TestPhotos.contains(r.output(), "garbage".getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void pngTextChunksAreDropped() throws Exception {
        byte[] png = TestPhotos.encode(gradient(200, 150), "png");
        // insert a tEXt chunk after IHDR (8 + 25 bytes)
        byte[] keyword = "Comment\0Alice Example at home".getBytes(StandardCharsets.ISO_8859_1);
        java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(12 + keyword.length);
        chunk.putInt(keyword.length).put("tEXt".getBytes(StandardCharsets.US_ASCII)).put(keyword);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(chunk.array(), 4, 4 + keyword.length);
        chunk.putInt((int) crc.getValue());
        byte[] withText = new byte[png.length + chunk.capacity()];
        System.arraycopy(png, 0, withText, 0, 33);
        System.arraycopy(chunk.array(), 0, withText, 33, chunk.capacity());
        System.arraycopy(png, 33, withText, 33 + chunk.capacity(), png.length - 33);
        assertTrue(new String(withText, StandardCharsets.ISO_8859_1).contains("Alice Example"));
        PhotoProtector.Result r = protect(withText, MetadataPolicy.defaults());
        assertFalse(new String(r.output(), StandardCharsets.ISO_8859_1).contains("Alice Example"));
        assertNotNull(javax.imageio.ImageIO.read(new ByteArrayInputStream(r.output())));
    }

    @Test
    void xmpWithAnExternalEntityIsDroppedNotResolved(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path secret = java.nio.file.Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-FILE-CONTENT");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"" + secret.toUri() + "\">]>"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">&e;</x:xmpmeta>";
        byte[] id = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = xxe.getBytes(StandardCharsets.UTF_8);
        byte[] payload = java.util.Arrays.copyOf(id, id.length + body.length);
        System.arraycopy(body, 0, payload, id.length, body.length);
        byte[] original = TestPhotos.jpegWith(gradient(120, 90), List.of(new JpegMetadata.Segment(0xE1, payload)));
        PhotoProtector.Result r = protect(original, MetadataPolicy.defaults());
        assertFalse(new String(r.output(), StandardCharsets.ISO_8859_1).contains("TOP-SECRET"), "the entity was resolved");
        assertTrue(r.metadata().removedItems().contains("XMP (unreadable, removed whole)"), r.metadata().toString());
    }
}
