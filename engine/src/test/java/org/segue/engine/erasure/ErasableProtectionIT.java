package org.segue.engine.erasure;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.segue.engine.api.ErasureKey;
import org.segue.engine.api.ModelSource;
import org.segue.engine.api.PhotoResult;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.Protector;
import org.segue.engine.api.RestoreException;
import org.segue.engine.api.RestoreResult;
import org.segue.engine.api.Restorer;
import org.segue.engine.api.Segue;
import org.segue.engine.photo.FixedBoxDetector;
import org.segue.engine.photo.PhotoCodec;
import org.segue.engine.photo.PhotoFormat;
import org.segue.engine.photo.TestPhotos;
import org.segue.engine.spi.FaceBox;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Erasable protection end to end through the api: every format and depth restores 100% (bit-exact where
 * promised), every refusal says why and writes nothing, and the payload shows nothing of the face without the key.
 * The face region is a fixed box (synthetic images hold no face).
 */
class ErasableProtectionIT {

    private static Protector protector;
    private static ErasureKey key;

    @BeforeAll
    static void open() {
        try {
            protector = Segue.open(ModelSource.shipped(), "cpu", new FixedBoxDetector());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        key = ErasureKey.generate();
    }

    @AfterAll
    static void close() {
        protector.close();
    }

    enum Layout {
        RGB8_PNG("png"), RGBA8_PNG("png"), GREY8_PNG("png"), GREY16_PNG("png"), RGB16_PNG("png"), RGBA16_PNG("png"),
        RGB8_TIFF("tiff"), GREY16_TIFF("tiff"), RGB16_TIFF("tiff"), RGB8_BMP("bmp"), RGB8_JPEG("jpeg"),
        GREY8_JPEG("jpeg");

        final String format;

        Layout(String format) {
            this.format = format;
        }
    }

    /** A textured image: noise on a gradient, so its regions compress as photos do, not as flat colour. */
    static BufferedImage image(Layout layout, int w, int h, long seed) {
        BufferedImage img = switch (layout) {
            case RGB8_PNG, RGB8_TIFF, RGB8_BMP, RGB8_JPEG -> new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            case RGBA8_PNG -> new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR);
            case GREY8_PNG, GREY8_JPEG -> new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            case GREY16_PNG, GREY16_TIFF -> new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
            case RGB16_PNG, RGB16_TIFF, RGBA16_PNG -> {
                boolean alpha = layout == Layout.RGBA16_PNG;
                ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), alpha,
                        false, alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
                yield new BufferedImage(cm, cm.createCompatibleWritableRaster(w, h), false, null);
            }
        };
        Random random = new Random(seed);
        WritableRaster raster = img.getRaster();
        int max = (1 << img.getColorModel().getComponentSize(0)) - 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int band = 0; band < raster.getNumBands(); band++) {
                    double base = ((x + 2 * y + 40 * band) % 211) / 210.0 * 0.7 * max;
                    raster.setSample(x, y, band, (int) Math.min(max, base + random.nextInt(Math.max(2, max / 12))));
                }
            }
        }
        return img;
    }

    /** TIFF through the JDK's writer (TwelveMonkeys' writes no 16-bit RGB); other formats as ImageIO writes them. */
    static byte[] encode(BufferedImage image, String format) throws IOException {
        if (!format.equals("tiff")) {
            return TestPhotos.encode(image, format);
        }
        var writers = javax.imageio.ImageIO.getImageWritersByFormatName("tiff");
        while (writers.hasNext()) {
            javax.imageio.ImageWriter writer = writers.next();
            if (writer.getClass().getName().startsWith("com.sun.imageio.")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (var stream = javax.imageio.ImageIO.createImageOutputStream(out)) {
                    writer.setOutput(stream);
                    javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
                    param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
                    param.setCompressionType("ZLib"); // what ImageMagick writes as zip, and what the product writes
                    writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
                }
                writer.dispose();
                return out.toByteArray();
            }
        }
        throw new IOException("no JDK TIFF writer");
    }

    private static Raster decode(byte[] file) throws IOException {
        return PhotoCodec.decode(file, "test", Long.MAX_VALUE).pixels().image().getRaster();
    }

    /**
     * Erasable protection at the full budget: at the default strength (1 level) a grey photo takes the mean of the
     * model's colour change, which can round to nothing in every sample; such a photo is refused, not protected.
     */
    private static ProtectionOptions erasable(ErasureKey k) {
        return ProtectionOptions.builder().erasable(k).strengthLevels(ProtectionOptions.MAX_LEVELS).build();
    }

    private static Path write(Path dir, String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void everyFormatAndDepthRestoresTheOriginalSamples(Layout layout, @TempDir Path dir) throws IOException {
        byte[] original = encode(image(layout, 160, 128, 11), layout.format);
        String ext = layout.format.equals("jpeg") ? "jpg" : layout.format.equals("tiff") ? "tif" : layout.format;
        Path input = write(dir, "photo." + ext, original);
        Path protectedPhoto = dir.resolve("out/photo." + ext);
        PhotoResult result = protector.protect(input, protectedPhoto, erasable(key));
        assertEquals(PhotoResult.Status.PROTECTED, result.status());
        assertTrue(Restorer.hasPayload(protectedPhoto), layout + ": the protected photo carries its payload");
        assertEquals(layout == Layout.RGB8_BMP, Files.exists(dir.resolve("out/photo.bmp" + Restorer.SIDECAR_SUFFIX)));
        FaceBox region = result.faces().get(0);
        Raster before = decode(original);
        Raster shielded = decode(Files.readAllBytes(protectedPhoto));
        assertTrue(differs(before, shielded, region), layout + ": the face region was protected");

        Path restoredPhoto = dir.resolve("restored").resolve(Restorer.restoredFileName(protectedPhoto));
        RestoreResult restored = Restorer.restore(protectedPhoto, restoredPhoto, key);
        Raster after = decode(Files.readAllBytes(restoredPhoto));
        assertEquals(before.getNumBands(), after.getNumBands());
        assertEquals(layout.format.equals("jpeg") ? "PNG" : PhotoFormat.sniff(original, "x").name(), restored.outputFormat());
        assertEquals(java.util.List.of(region), restored.regions());
        for (int y = 0; y < before.getHeight(); y++) {
            for (int x = 0; x < before.getWidth(); x++) {
                for (int b = 0; b < before.getNumBands(); b++) {
                    // JPEG: the region is the original's decoded samples, the rest the protected JPEG's
                    int expected = layout.format.equals("jpeg") && !region.contains(x, y)
                            ? shielded.getSample(x, y, b) : before.getSample(x, y, b);
                    if (after.getSample(x, y, b) != expected) {
                        throw new AssertionError(layout + ": sample " + b + " at " + x + "," + y + " is "
                                + after.getSample(x, y, b) + ", the original's " + expected);
                    }
                }
            }
        }
        assertEquals(!layout.format.equals("jpeg"), restored.wholeImageExact());
        assertFalse(Restorer.hasPayload(restoredPhoto), "the restored photo carries no payload");
    }

    private static boolean differs(Raster a, Raster b, FaceBox region) {
        for (int y = region.y(); y < region.bottom(); y++) {
            for (int x = region.x(); x < region.right(); x++) {
                if (a.getSample(x, y, 0) != b.getSample(x, y, 0)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A protected PNG (erasable under {@link #key}) and the original it came from. */
    private static byte[][] protectedPng(long seed) throws IOException {
        byte[] original = TestPhotos.encode(image(Layout.RGB8_PNG, 160, 128, seed), "png");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        protector.protect(new ByteArrayInputStream(original), "photo.png", out, erasable(key));
        return new byte[][] {original, out.toByteArray()};
    }

    private static RestoreException refused(byte[] photo, ErasureKey k, RestoreException.Reason reason, Path dir)
            throws IOException {
        Path in = write(dir, "refused-" + reason + ".png", photo);
        Path out = dir.resolve("refused-" + reason + "-restored.png");
        RestoreException e = assertThrows(RestoreException.class, () -> Restorer.restore(in, out, k));
        assertEquals(reason, e.reason(), e.getMessage());
        assertFalse(Files.exists(out), "nothing is written for a refusal");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary file left");
        }
        return e;
    }

    @Test
    void aWrongKeyIsRefused(@TempDir Path dir) throws IOException {
        byte[] photo = protectedPng(1)[1];
        assertTrue(refused(photo, ErasureKey.generate(), RestoreException.Reason.WRONG_KEY, dir).getMessage()
                .contains("wrong key"));
        refused(photo, ErasureKey.fromPassphrase("correct horse battery".toCharArray()),
                RestoreException.Reason.WRONG_KEY, dir);
    }

    /** The PNG with its payload chunk's data replaced (and the chunk's CRC made right, so only the payload's own checks see it). */
    private static byte[] withPngPayload(byte[] png, byte[] payload) {
        int at = TestPhotos.indexOf(png, "sgRS".getBytes(StandardCharsets.US_ASCII)) - 4;
        int length = ByteBuffer.wrap(png).getInt(at);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, at);
        out.writeBytes(ByteBuffer.allocate(4).putInt(payload.length).array());
        out.writeBytes("sgRS".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        CRC32 crc = new CRC32();
        crc.update("sgRS".getBytes(StandardCharsets.US_ASCII));
        crc.update(payload);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        int after = at + 12 + length;
        out.write(png, after, png.length - after);
        return out.toByteArray();
    }

    @Test
    void aChangedPayloadIsRefusedWhereverTheByteIs(@TempDir Path dir) throws IOException {
        byte[] photo = protectedPng(2)[1];
        byte[] payload = Carriers.extract(PhotoFormat.PNG, photo);
        Payload.Header header = Payload.header(payload);
        // a byte of the ciphertext, of the region map, of the nonce: each fails authentication
        int regionMapByte = header.headerLength() - 4 - 12 - 1;
        for (int at : new int[] {payload.length - 1, header.headerLength() + 3, regionMapByte,
                header.headerLength() - 5}) {
            byte[] changed = payload.clone();
            changed[at] ^= 0x01;
            refused(withPngPayload(photo, changed), key, RestoreException.Reason.TAMPERED, dir);
        }
        // a byte changed without fixing the chunk's CRC
        byte[] raw = photo.clone();
        raw[TestPhotos.indexOf(raw, "sgRS".getBytes(StandardCharsets.US_ASCII)) + 200] ^= 0x40;
        refused(raw, key, RestoreException.Reason.TAMPERED, dir);
    }

    @Test
    void aTruncatedPayloadIsRefused(@TempDir Path dir) throws IOException {
        byte[] photo = protectedPng(3)[1];
        byte[] payload = Carriers.extract(PhotoFormat.PNG, photo);
        for (int length : new int[] {0, 3, 40, payload.length / 2, payload.length - 1}) {
            refused(withPngPayload(photo, Arrays.copyOf(payload, length)), key,
                    RestoreException.Reason.TRUNCATED, dir);
        }
    }

    @Test
    void aPayloadTransplantedIntoAnotherPhotoIsRefused(@TempDir Path dir) throws IOException {
        byte[] first = protectedPng(4)[1];
        byte[] second = protectedPng(5)[1]; // same size, same region, same key
        byte[] transplanted = withPngPayload(second, Carriers.extract(PhotoFormat.PNG, first));
        refused(transplanted, key, RestoreException.Reason.OTHER_PHOTO, dir);
        // and a protected photo whose pixels were changed afterwards
        Raster r = decode(first);
        BufferedImage edited = new BufferedImage(r.getWidth(), r.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        edited.setData(r);
        edited.getRaster().setSample(0, 0, 0, (r.getSample(0, 0, 0) + 1) & 0xFF);
        byte[] reencoded = Carriers.embed(PhotoFormat.PNG, TestPhotos.encode(edited, "png"),
                Carriers.extract(PhotoFormat.PNG, first));
        refused(reencoded, key, RestoreException.Reason.OTHER_PHOTO, dir);
    }

    @Test
    void aPhotoIsNotProtectedErasablyTwice(@TempDir Path dir) throws IOException {
        Path once = write(dir, "once.png", protectedPng(6)[1]);
        Path twice = dir.resolve("twice.png");
        RestoreException e = assertThrows(RestoreException.class, () -> protector.protect(once, twice, erasable(key)));
        assertEquals(RestoreException.Reason.PROTECTED_TWICE, e.reason());
        assertFalse(Files.exists(twice));
        // in a batch: a failed photo with the reason, the others protected
        Path fresh = write(dir, "fresh.png", protectedPng(7)[0]);
        var summary = protector.protect(org.segue.engine.api.BatchRequest.into(dir.resolve("batch"), once, fresh),
                erasable(key), p -> { }, new org.segue.engine.api.Cancellation());
        assertEquals(1, summary.failed().size());
        assertTrue(summary.failed().get(0).reason().contains("already protected erasably"), summary.failed().get(0).reason());
        assertTrue(Restorer.hasPayload(dir.resolve("batch/fresh.png")));
        // a BMP whose sidecar lies beside it
        Path bmp = write(dir, "p.bmp", TestPhotos.encode(image(Layout.RGB8_BMP, 160, 128, 8), "bmp"));
        protector.protect(bmp, dir.resolve("q.bmp"), erasable(key));
        assertThrows(RestoreException.class, () -> protector.protect(dir.resolve("q.bmp"), dir.resolve("r.bmp"), erasable(key)));
        assertFalse(Files.exists(dir.resolve("r.bmp")));
    }

    @Test
    void withoutErasableProtectionAPayloadIsRemovedAndRestoringSaysThereIsNone(@TempDir Path dir) throws IOException {
        byte[] photo = protectedPng(9)[1];
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        PhotoResult result = protector.protect(new ByteArrayInputStream(photo), "p.png", again, ProtectionOptions.defaults());
        assertFalse(Restorer.hasPayload(write(dir, "again.png", again.toByteArray())));
        assertTrue(result.metadataRemoved().stream().anyMatch(m -> m.contains("restoration payload")), result.metadataRemoved().toString());
        refused(again.toByteArray(), key, RestoreException.Reason.NO_PAYLOAD, dir);
        // a JPEG's APP15 payload and a TIFF's tag go the same way
        for (Layout layout : new Layout[] {Layout.RGB8_JPEG, Layout.RGB8_TIFF}) {
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            protector.protect(new ByteArrayInputStream(encode(image(layout, 160, 128, 10), layout.format)),
                    "p", first, erasable(key));
            ByteArrayOutputStream second = new ByteArrayOutputStream();
            protector.protect(new ByteArrayInputStream(first.toByteArray()), "p", second, ProtectionOptions.defaults());
            PhotoFormat format = PhotoFormat.sniff(first.toByteArray(), "p");
            assertNotNull(Carriers.extract(format, first.toByteArray()));
            assertEquals(null, Carriers.extract(format, second.toByteArray()), layout + ": payload removed");
        }
    }

    @Test
    void anUnknownVersionIsRefused(@TempDir Path dir) throws IOException {
        byte[] photo = protectedPng(12)[1];
        byte[] payload = Carriers.extract(PhotoFormat.PNG, photo);
        payload[4] = 9;
        refused(withPngPayload(photo, payload), key, RestoreException.Reason.UNKNOWN_VERSION, dir);
    }

    @Test
    void thePayloadShowsNothingOfTheFaceWithoutTheKey() throws IOException {
        byte[][] pair = protectedPng(13);
        Raster original = decode(pair[0]);
        byte[] payload = Carriers.extract(PhotoFormat.PNG, pair[1]);
        FaceBox region = Payload.header(payload).regions().get(0);
        // no run of the region's original samples, raw or as packed left differences, lies in the file
        int[] row = original.getSamples(region.x(), region.y() + 5, 24, 1, 0, (int[]) null);
        byte[] raw = new byte[row.length];
        byte[] packed = new byte[row.length];
        for (int i = 0; i < row.length; i++) {
            raw[i] = (byte) row[i];
            packed[i] = (byte) (row[i] - (i == 0 ? 0 : row[i - 1]));
        }
        assertEquals(-1, TestPhotos.indexOf(pair[1], Arrays.copyOfRange(raw, 0, 16)));
        assertEquals(-1, TestPhotos.indexOf(pair[1], Arrays.copyOfRange(packed, 1, 17)));
        // the same photo protected twice under the same key: ciphertexts differ, lengths do not tell more
        byte[] other = protectedPng(13)[1];
        byte[] payload2 = Carriers.extract(PhotoFormat.PNG, other);
        Payload.Header h1 = Payload.header(payload);
        Payload.Header h2 = Payload.header(payload2);
        assertFalse(Arrays.equals(Arrays.copyOfRange(payload, h1.headerLength(), payload.length),
                Arrays.copyOfRange(payload2, h2.headerLength(), payload2.length)));
        assertFalse(Arrays.equals(h1.nonce(), h2.nonce()));
        // the key is nowhere in the file, and a key names its kind only
        ErasureKey k = ErasureKey.generate();
        assertFalse(k.toString().matches(".*[A-Za-z0-9+/]{20,}.*"), k.toString());
        byte[] keyBytes = ((KeyMaterial.Random) key.material()).bytes();
        assertEquals(-1, TestPhotos.indexOf(pair[1], Arrays.copyOf(keyBytes, 12)));
        // the padded plaintext: its length is a multiple of the step a sixteenth of the raw size makes
        long rawSize = Payload.rawSize(h1.regions(), h1.bands(), h1.bits());
        long step = Math.max(4096, (rawSize + 15) / 16);
        assertEquals(0, (h1.ciphertextLength() - 16) % step);
    }

    @Test
    void aPassphraseRestoresAndItsParametersTravelWithThePhoto(@TempDir Path dir) throws IOException {
        ErasureKey passphrase = ErasureKey.fromPassphrase("a long passphrase for the archive".toCharArray());
        Path input = write(dir, "p.png", TestPhotos.encode(image(Layout.RGB8_PNG, 160, 128, 14), "png"));
        Path out = dir.resolve("p-protected.png");
        protector.protect(input, out, erasable(passphrase));
        Payload.Header header = Payload.header(Carriers.extract(PhotoFormat.PNG, Files.readAllBytes(out)));
        assertEquals(KeyMaterial.Kdf.ARGON2ID, header.kdf().id());
        assertEquals(64 * 1024, header.kdf().memoryKiB());
        // a fresh key object from the same passphrase (as on another day) restores
        ErasureKey again = ErasureKey.fromPassphrase("a long passphrase for the archive".toCharArray());
        Restorer.restore(out, dir.resolve("restored.png"), again);
        assertArrayEquals(((java.awt.image.DataBufferByte) decode(Files.readAllBytes(input)).getDataBuffer()).getData(),
                ((java.awt.image.DataBufferByte) decode(Files.readAllBytes(dir.resolve("restored.png"))).getDataBuffer()).getData());
        refused(Files.readAllBytes(out), ErasureKey.fromPassphrase("another passphrase!".toCharArray()),
                RestoreException.Reason.WRONG_KEY, dir);
        assertThrows(IllegalArgumentException.class, () -> ErasureKey.fromPassphrase("short".toCharArray()));
    }

    @Test
    void keyFilesAreOwnerOnlyNeverOverwrittenAndCheckedWhenRead(@TempDir Path dir) throws IOException {
        ErasureKey k = ErasureKey.generate();
        Path file = dir.resolve("keys/archive.key");
        k.write(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        assertThrows(FileAlreadyExistsException.class, () -> ErasureKey.generate().write(file));
        ErasureKey read = ErasureKey.read(file);
        assertArrayEquals(((KeyMaterial.Random) k.material()).bytes(), ((KeyMaterial.Random) read.material()).bytes());
        Path damaged = write(dir, "damaged.key", "segue-erasure-key 1\nnot base64!\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(assertThrows(IOException.class, () -> ErasureKey.read(damaged)).getMessage().contains("damaged"));
        Path other = write(dir, "other.txt", "hello\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(assertThrows(IOException.class, () -> ErasureKey.read(other)).getMessage().contains("not a Segue"));
        Path pass = write(dir, "pass.txt", "\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(assertThrows(IOException.class, () -> ErasureKey.readPassphrase(pass)).getMessage().contains("empty"));
        assertThrows(IllegalStateException.class,
                () -> ErasureKey.fromPassphrase("long enough passphrase".toCharArray()).write(dir.resolve("p.key")));
    }

    @Test
    void aLargePayloadIsSplitOverSeveralJpegSegmentsAndAMissingOneIsRefused(@TempDir Path dir) throws IOException {
        byte[] original = TestPhotos.encode(image(Layout.RGB8_JPEG, 900, 700, 15), "jpeg");
        Path input = write(dir, "big.jpg", original);
        Path out = dir.resolve("big-protected.jpg");
        protector.protect(input, out, erasable(key));
        byte[] photo = Files.readAllBytes(out);
        byte[] id = Carriers.JPEG_ID.getBytes(StandardCharsets.ISO_8859_1);
        int first = TestPhotos.indexOf(photo, id) - 4;
        int segments = 0;
        for (int p = first; (photo[p + 1] & 0xFF) == Carriers.APP15; p += 2 + (((photo[p + 2] & 0xFF) << 8) | (photo[p + 3] & 0xFF))) {
            segments++;
        }
        assertTrue(segments > 1, "a payload over 64 KB takes several segments, took " + segments);
        Restorer.restore(out, dir.resolve("big.png"), key);
        // without its second segment
        int second = first + 2 + (((photo[first + 2] & 0xFF) << 8) | (photo[first + 3] & 0xFF));
        int secondLength = 2 + (((photo[second + 2] & 0xFF) << 8) | (photo[second + 3] & 0xFF));
        byte[] cut = new byte[photo.length - secondLength];
        System.arraycopy(photo, 0, cut, 0, second);
        System.arraycopy(photo, second + secondLength, cut, second, photo.length - second - secondLength);
        Path in = write(dir, "cut.jpg", cut);
        RestoreException e = assertThrows(RestoreException.class, () -> Restorer.restore(in, dir.resolve("cut.png"), key));
        assertEquals(RestoreException.Reason.TRUNCATED, e.reason(), e.getMessage());
        assertFalse(Files.exists(dir.resolve("cut.png")));
    }

    /** A JPEG stored on its side (EXIF orientation 6): restored upright, its face region the original's samples. */
    @Test
    void aRotatedJpegRestoresUpright(@TempDir Path dir) throws IOException {
        BufferedImage stored = image(Layout.RGB8_JPEG, 160, 120, 18);
        byte[] original = TestPhotos.jpegWith(stored, java.util.List.of(TestPhotos.orientationOnly(6)));
        Path input = write(dir, "rotated.jpg", original);
        Path out = dir.resolve("rotated-protected.jpg");
        PhotoResult result = protector.protect(input, out, erasable(key));
        FaceBox upright = result.faces().get(0);
        Path restoredPhoto = dir.resolve("rotated.png");
        Restorer.restore(out, restoredPhoto, key);
        org.segue.engine.photo.Orientation six = org.segue.engine.photo.Orientation.ofExif(6);
        Raster before = six.applyTo(PhotoCodec.decode(original, "o", Long.MAX_VALUE).pixels().image()).getRaster();
        Raster shielded = six.applyTo(PhotoCodec.decode(Files.readAllBytes(out), "p", Long.MAX_VALUE).pixels().image()).getRaster();
        Raster after = decode(Files.readAllBytes(restoredPhoto));
        assertEquals(before.getWidth(), after.getWidth(), "restored upright");
        assertEquals(120, after.getWidth());
        for (int y = 0; y < after.getHeight(); y++) {
            for (int x = 0; x < after.getWidth(); x++) {
                for (int b = 0; b < 3; b++) {
                    int expected = upright.contains(x, y) ? before.getSample(x, y, b) : shielded.getSample(x, y, b);
                    assertEquals(expected, after.getSample(x, y, b), "sample " + b + " at " + x + "," + y);
                }
            }
        }
    }

    /** Found by PayloadFuzzer: a chunk length near 2^32 wrapped the walk back onto the same chunk, forever. */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aPngChunkLengthNearTwoToTheThirtyTwoEndsTheWalk() throws IOException {
        byte[] png = TestPhotos.encode(image(Layout.RGB8_PNG, 16, 16, 1), "png");
        byte[] forged = Arrays.copyOf(png, png.length);
        ByteBuffer.wrap(forged).putInt(8, 0xFFFFFFF4); // IHDR's length: 12 + length wraps to 0 in int arithmetic
        assertEquals(null, Carriers.extract(PhotoFormat.PNG, forged));
        PayloadFuzzer.fuzzerTestOneInput(forged);
    }

    @Test
    void anImageInMemoryIsRefusedForErasableProtection() {
        BufferedImage img = image(Layout.RGB8_PNG, 64, 48, 19);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> protector.protectImage(img, "in memory", erasable(key)));
        assertTrue(e.getMessage().contains("protect the file"), e.getMessage());
    }

    @Test
    void aStreamCannotCarryABmpSidecar() throws IOException {
        byte[] bmp = TestPhotos.encode(image(Layout.RGB8_BMP, 160, 128, 16), "bmp");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RestoreException e = assertThrows(RestoreException.class,
                () -> protector.protect(new ByteArrayInputStream(bmp), "p.bmp", out, erasable(key)));
        assertEquals(RestoreException.Reason.UNSUPPORTED, e.reason());
        assertEquals(0, out.size());
    }

    @Test
    void differentPayloadsForTheSameKeyAreNotLinkedByTheirKeyCheck() throws IOException {
        Payload.Header a = Payload.header(Carriers.extract(PhotoFormat.PNG, protectedPng(17)[1]));
        Payload.Header b = Payload.header(Carriers.extract(PhotoFormat.PNG, protectedPng(17)[1]));
        assertNotEquals(Arrays.toString(a.keyCheck()), Arrays.toString(b.keyCheck()));
    }
}
