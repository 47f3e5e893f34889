package org.segue.engine.erasure;

import org.segue.engine.api.RestoreException;
import org.segue.engine.api.RestoreException.Reason;
import org.segue.engine.spi.FaceBox;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The restoration payload, format version 1 (big-endian):
 *
 * <pre>
 * "SGRS" version:u8
 * kdf:u8 [memoryKiB:u32 iterations:u8 parallelism:u8 saltLength:u8 salt]   (kdf 1: Argon2id)
 * checkNonce:16 keyCheck:16          HMAC(check key, checkNonce): tells a wrong key from a changed payload
 * photoDigest:32                     SHA-256 of the protected photo's decoded samples (see {@link #digest})
 * width:u32 height:u32 bands:u8 bits:u8
 * regions:u16 { x:u32 y:u32 w:u32 h:u32 }   the region map, in the protected file's stored grid
 * nonce:12 ciphertextLength:u32 ciphertext   AES-256-GCM, everything before the ciphertext as associated data
 * </pre>
 *
 * The plaintext is the Deflate stream of the regions' original samples (every band, alpha included, each
 * sample minus its left neighbour, 1 or 2 bytes at the photo's depth), its length first, padded with zeros to
 * a multiple of a sixteenth of the raw size: the ciphertext's length then tells little more than the region
 * map does. Every field is authenticated, so a changed byte anywhere is refused.
 */
public final class Payload {

    static final byte[] MAGIC = "SGRS".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    /** Upper bound on a payload's region count and on its raw samples: a forged header cannot make us allocate more. */
    private static final int MAX_REGIONS = 4096;
    private static final long MAX_RAW_BYTES = 1L << 30;

    /** What the header says. */
    public record Header(KeyMaterial.Kdf kdf, byte[] checkNonce, byte[] keyCheck, byte[] photoDigest, int width,
                         int height, int bands, int bits, List<FaceBox> regions, byte[] nonce, int headerLength,
                         int ciphertextLength) {}

    /** The original samples of the regions, per region one array per band (row-major). */
    public record Samples(List<FaceBox> regions, List<int[][]> bands) {}

    private Payload() {}

    /** SHA-256 of a decoded image's samples (size, layout and every sample of every band at its depth). */
    public static byte[] digest(java.awt.image.Raster raster, int bits) {
        MessageDigest sha = sha256();
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        sha.update(ByteBuffer.allocate(10).putInt(w).putInt(h).put((byte) bands).put((byte) bits).array());
        int[] row = new int[w * bands];
        byte[] bytes = new byte[row.length * (bits / 8)];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            if (bits == 8) {
                for (int i = 0; i < row.length; i++) {
                    bytes[i] = (byte) row[i];
                }
            } else {
                for (int i = 0; i < row.length; i++) {
                    bytes[2 * i] = (byte) (row[i] >> 8);
                    bytes[2 * i + 1] = (byte) row[i];
                }
            }
            sha.update(bytes);
        }
        return sha.digest();
    }

    /** Makes the payload of one protected photo. */
    public static byte[] seal(KeyMaterial key, byte[] photoDigest, int width, int height, int bits,
                              Samples samples) throws RestoreException {
        int bands = samples.bands().isEmpty() ? 1 : samples.bands().get(0).length;
        KeyMaterial.Kdf kdf = key.kdfForNewPayload();
        KeyMaterial.Keys keys = key.keys(kdf);
        byte[] checkNonce = random(16);
        byte[] nonce = random(12);
        byte[] plaintext = pad(deflate(pack(samples, bits)), rawSize(samples.regions(), bands, bits));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes(MAGIC);
        head.write(VERSION);
        head.write(kdf.id());
        if (kdf.id() == KeyMaterial.Kdf.ARGON2ID) {
            head.writeBytes(ByteBuffer.allocate(4).putInt(kdf.memoryKiB()).array());
            head.write(kdf.iterations());
            head.write(kdf.parallelism());
            head.write(kdf.salt().length);
            head.writeBytes(kdf.salt());
        }
        head.writeBytes(checkNonce);
        head.writeBytes(Arrays.copyOf(KeyMaterial.hmac(keys.check(), checkNonce), 16));
        head.writeBytes(photoDigest);
        ByteBuffer dims = ByteBuffer.allocate(10 + 2 + 16 * samples.regions().size());
        dims.putInt(width).putInt(height).put((byte) bands).put((byte) bits).putShort((short) samples.regions().size());
        for (FaceBox r : samples.regions()) {
            dims.putInt(r.x()).putInt(r.y()).putInt(r.width()).putInt(r.height());
        }
        head.writeBytes(dims.array());
        head.writeBytes(nonce);
        int ciphertextLength = plaintext.length + 16;
        head.writeBytes(ByteBuffer.allocate(4).putInt(ciphertextLength).array());
        byte[] aad = head.toByteArray();
        byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, keys.encryption(), nonce, aad, plaintext);
        byte[] out = Arrays.copyOf(aad, aad.length + ciphertext.length);
        System.arraycopy(ciphertext, 0, out, aad.length, ciphertext.length);
        return out;
    }

    /** Reads a payload's header; refuses one cut short, of an unknown version, or asking for too much. */
    public static Header header(byte[] payload) throws RestoreException {
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            byte[] magic = new byte[4];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new RestoreException(Reason.TAMPERED, "the restoration payload is damaged (no payload signature)");
            }
            int version = in.get() & 0xFF;
            if (version != VERSION) {
                throw new RestoreException(Reason.UNKNOWN_VERSION, "the restoration payload has format version "
                        + version + "; this Segue reads version " + VERSION + " (a newer Segue restores it)");
            }
            int kdfId = in.get() & 0xFF;
            KeyMaterial.Kdf kdf;
            if (kdfId == KeyMaterial.Kdf.RAW) {
                kdf = new KeyMaterial.Kdf(KeyMaterial.Kdf.RAW, 0, 0, 0, new byte[0]);
            } else if (kdfId == KeyMaterial.Kdf.ARGON2ID) {
                int memory = in.getInt();
                int iterations = in.get() & 0xFF;
                int parallelism = in.get() & 0xFF;
                byte[] salt = new byte[in.get() & 0xFF];
                in.get(salt);
                kdf = new KeyMaterial.Kdf(kdfId, memory, iterations, parallelism, salt);
            } else {
                throw new RestoreException(Reason.TAMPERED, "the restoration payload is damaged (unknown key kind "
                        + kdfId + ")");
            }
            byte[] checkNonce = new byte[16];
            in.get(checkNonce);
            byte[] keyCheck = new byte[16];
            in.get(keyCheck);
            byte[] digest = new byte[32];
            in.get(digest);
            int width = in.getInt();
            int height = in.getInt();
            int bands = in.get() & 0xFF;
            int bits = in.get() & 0xFF;
            int count = in.getShort() & 0xFFFF;
            if (width <= 0 || height <= 0 || bands < 1 || bands > 4 || (bits != 8 && bits != 16) || count > MAX_REGIONS) {
                throw new RestoreException(Reason.TAMPERED, "the restoration payload is damaged (impossible image layout)");
            }
            List<FaceBox> regions = new ArrayList<>();
            long raw = 0;
            for (int i = 0; i < count; i++) {
                int x = in.getInt();
                int y = in.getInt();
                int w = in.getInt();
                int h = in.getInt();
                if (x < 0 || y < 0 || w <= 0 || h <= 0 || (long) x + w > width || (long) y + h > height) {
                    throw new RestoreException(Reason.TAMPERED, "the restoration payload is damaged (a region lies "
                            + "outside the photo)");
                }
                regions.add(new FaceBox(x, y, w, h));
                raw += (long) w * h * bands * (bits / 8);
            }
            if (raw > MAX_RAW_BYTES) {
                throw new RestoreException(Reason.TAMPERED, "the restoration payload is damaged (regions too large)");
            }
            byte[] nonce = new byte[12];
            in.get(nonce);
            int ciphertextLength = in.getInt();
            int headerLength = in.position();
            if (ciphertextLength < 16) {
                throw new RestoreException(Reason.TAMPERED, "the restoration payload is damaged (no ciphertext)");
            }
            if ((long) headerLength + ciphertextLength > payload.length) {
                throw new RestoreException(Reason.TRUNCATED, "the restoration payload is cut short ("
                        + payload.length + " of " + ((long) headerLength + ciphertextLength) + " bytes)");
            }
            if ((long) headerLength + ciphertextLength < payload.length) {
                throw new RestoreException(Reason.TAMPERED, "the restoration payload is damaged (bytes after its end)");
            }
            return new Header(kdf, checkNonce, keyCheck, digest, width, height, bands, bits, List.copyOf(regions),
                    nonce, headerLength, ciphertextLength);
        } catch (BufferUnderflowException e) {
            throw new RestoreException(Reason.TRUNCATED, "the restoration payload is cut short (" + payload.length
                    + " bytes, its header is longer)");
        }
    }

    /** Whether the key is the one the payload was made with (before any decryption). */
    public static boolean keyMatches(Header header, KeyMaterial key) throws RestoreException {
        KeyMaterial.Keys keys = key.keys(header.kdf());
        return MessageDigest.isEqual(Arrays.copyOf(KeyMaterial.hmac(keys.check(), header.checkNonce()), 16),
                header.keyCheck());
    }

    /** Decrypts and unpacks the original samples; refuses a payload changed anywhere. */
    public static Samples open(byte[] payload, Header header, KeyMaterial key) throws RestoreException {
        KeyMaterial.Keys keys = key.keys(header.kdf());
        byte[] aad = Arrays.copyOf(payload, header.headerLength());
        byte[] ciphertext = Arrays.copyOfRange(payload, header.headerLength(), payload.length);
        byte[] plaintext;
        try {
            plaintext = gcm(Cipher.DECRYPT_MODE, keys.encryption(), header.nonce(), aad, ciphertext);
        } catch (RestoreException e) {
            throw new RestoreException(Reason.TAMPERED, "the restoration payload was changed after protection "
                    + "(it fails authentication); nothing restored");
        }
        int bytesPerSample = header.bits() / 8;
        byte[] packed = inflate(plaintext, rawSize(header.regions(), header.bands(), header.bits()));
        return unpack(packed, header.regions(), header.bands(), bytesPerSample);
    }

    static long rawSize(List<FaceBox> regions, int bands, int bits) {
        long n = 0;
        for (FaceBox r : regions) {
            n += (long) r.width() * r.height() * bands * (bits / 8);
        }
        return n;
    }

    /** Samples minus their left neighbour (modulo the depth), so photo content deflates well. */
    private static byte[] pack(Samples samples, int bits) {
        int bytesPerSample = bits / 8;
        int mask = (1 << bits) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int r = 0; r < samples.regions().size(); r++) {
            FaceBox box = samples.regions().get(r);
            for (int[] band : samples.bands().get(r)) {
                byte[] bytes = new byte[band.length * bytesPerSample];
                for (int y = 0; y < box.height(); y++) {
                    int previous = 0;
                    for (int x = 0; x < box.width(); x++) {
                        int i = y * box.width() + x;
                        int d = (band[i] - previous) & mask;
                        previous = band[i];
                        if (bytesPerSample == 1) {
                            bytes[i] = (byte) d;
                        } else {
                            bytes[2 * i] = (byte) (d >> 8);
                            bytes[2 * i + 1] = (byte) d;
                        }
                    }
                }
                out.writeBytes(bytes);
            }
        }
        return out.toByteArray();
    }

    private static Samples unpack(byte[] packed, List<FaceBox> regions, int bands, int bytesPerSample) {
        int mask = bytesPerSample == 1 ? 0xFF : 0xFFFF;
        List<int[][]> all = new ArrayList<>();
        int p = 0;
        for (FaceBox box : regions) {
            int[][] region = new int[bands][box.width() * box.height()];
            for (int[] band : region) {
                for (int y = 0; y < box.height(); y++) {
                    int previous = 0;
                    for (int x = 0; x < box.width(); x++) {
                        int d = bytesPerSample == 1 ? packed[p] & 0xFF : ((packed[p] & 0xFF) << 8) | (packed[p + 1] & 0xFF);
                        p += bytesPerSample;
                        previous = (previous + d) & mask;
                        band[y * box.width() + x] = previous;
                    }
                }
            }
            all.add(region);
        }
        return new Samples(regions, all);
    }

    private static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
            byte[] buffer = new byte[65536];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** The Deflate stream's length, the stream, zeros up to the next step of a sixteenth of the raw size. */
    private static byte[] pad(byte[] deflated, long raw) {
        long step = Math.max(4096, (raw + 15) / 16);
        long length = ((4L + deflated.length + step - 1) / step) * step;
        byte[] out = new byte[(int) length];
        ByteBuffer.wrap(out).putInt(deflated.length).put(deflated);
        return out;
    }

    private static byte[] inflate(byte[] plaintext, long expected) throws RestoreException {
        int length = ByteBuffer.wrap(plaintext).getInt();
        if (length < 0 || length > plaintext.length - 4) {
            throw new RestoreException(Reason.TAMPERED, "the restoration payload is damaged (its samples do not fit)");
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(plaintext, 4, length);
            byte[] out = new byte[(int) expected];
            int n = 0;
            while (n < out.length && !inflater.finished()) {
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != out.length || !inflater.finished()) {
                throw new RestoreException(Reason.TAMPERED, "the restoration payload is damaged (its samples do "
                        + "not match its region map)");
            }
            return out;
        } catch (DataFormatException e) {
            throw new RestoreException(Reason.TAMPERED, "the restoration payload is damaged (its samples cannot "
                    + "be decompressed)");
        } finally {
            inflater.end();
        }
    }

    private static byte[] gcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] data) throws RestoreException {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(data);
        } catch (AEADBadTagException e) {
            throw new RestoreException(Reason.TAMPERED, "authentication failed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is missing from this Java runtime", e);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        KeyMaterial.RANDOM.nextBytes(b);
        return b;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
