package org.segue.engine.erasure;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import org.segue.engine.api.RestoreException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret behind an erasure key: 256 random bits from a key file, or a passphrase stretched with Argon2id
 * (memory-hard, so guessing a passphrase costs the guesser memory as well as time). The stretching parameters
 * and salt travel in each payload's header, so restoring re-derives the same key from the passphrase alone.
 * Nothing here is ever printed: {@link #toString()} names the kind of key only.
 */
public abstract sealed class KeyMaterial permits KeyMaterial.Random, KeyMaterial.Passphrase {

    /** How a payload's key was obtained; stored in its header. */
    public record Kdf(int id, int memoryKiB, int iterations, int parallelism, byte[] salt) {

        /** A key file's key is used as it is. */
        public static final int RAW = 0;
        public static final int ARGON2ID = 1;

        static Kdf raw() {
            return new Kdf(RAW, 0, 0, 0, new byte[0]);
        }
    }

    /** The two keys a payload is made with: one encrypts, one only tells a wrong key from a changed payload. */
    public record Keys(byte[] encryption, byte[] check) {}

    static final SecureRandom RANDOM = new SecureRandom();

    /** The parameters a new payload is made with. */
    public abstract Kdf kdfForNewPayload();

    /** The 256-bit master key for a payload made with these parameters. */
    abstract byte[] master(Kdf kdf) throws RestoreException;

    public final Keys keys(Kdf kdf) throws RestoreException {
        byte[] master = master(kdf);
        try {
            return new Keys(hmac(master, "segue erasure v1 encryption"), hmac(master, "segue erasure v1 key check"));
        } finally {
            if (this instanceof Passphrase) {
                Arrays.fill(master, (byte) 0); // the cache keeps its own copy
            }
        }
    }

    static byte[] hmac(byte[] key, String label) {
        return hmac(key, label.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this Java runtime", e);
        }
    }

    /** 256 random bits (a key file's content). */
    public static final class Random extends KeyMaterial {
        private final byte[] key;

        public Random(byte[] key) {
            if (key.length != 32) {
                throw new IllegalArgumentException("an erasure key has 256 bits, this one " + key.length * 8);
            }
            this.key = key.clone();
        }

        public static Random generate() {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            return new Random(key);
        }

        /** The key's bytes, for writing its key file (and nowhere else). */
        public byte[] bytes() {
            return key.clone();
        }

        @Override
        public Kdf kdfForNewPayload() {
            return Kdf.raw();
        }

        @Override
        byte[] master(Kdf kdf) throws RestoreException {
            if (kdf.id() != Kdf.RAW) {
                throw new RestoreException(RestoreException.Reason.WRONG_KEY,
                        "this photo was protected with a passphrase, not with a key file");
            }
            return key;
        }

        @Override
        public String toString() {
            return "random 256-bit key";
        }
    }

    /**
     * A passphrase: stretched with Argon2id (64 MiB, 3 passes, 1 lane: about a third of a second on one core).
     * One salt per key object, so a batch protected with it stretches the passphrase once; derived keys are
     * remembered per salt, so restoring a batch stretches it once too.
     */
    public static final class Passphrase extends KeyMaterial {
        static final int MEMORY_KIB = 64 * 1024;
        static final int ITERATIONS = 3;
        static final int PARALLELISM = 1;
        /** Bounds on what a payload may ask for: a forged header must not make restoring take a gigabyte or an hour. */
        static final int MAX_MEMORY_KIB = 1024 * 1024;
        static final int MAX_ITERATIONS = 20;

        private final char[] passphrase;
        private final Kdf forNew;
        private final Map<String, byte[]> derived = new ConcurrentHashMap<>();

        public Passphrase(char[] passphrase) {
            if (passphrase.length < 8) {
                throw new IllegalArgumentException("a passphrase needs at least 8 characters");
            }
            this.passphrase = passphrase.clone();
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            this.forNew = new Kdf(Kdf.ARGON2ID, MEMORY_KIB, ITERATIONS, PARALLELISM, salt);
        }

        @Override
        public Kdf kdfForNewPayload() {
            return forNew;
        }

        @Override
        byte[] master(Kdf kdf) throws RestoreException {
            if (kdf.id() != Kdf.ARGON2ID) {
                throw new RestoreException(RestoreException.Reason.WRONG_KEY,
                        "this photo was protected with a key file, not with a passphrase");
            }
            if (kdf.memoryKiB() < 8 || kdf.memoryKiB() > MAX_MEMORY_KIB || kdf.iterations() < 1
                    || kdf.iterations() > MAX_ITERATIONS || kdf.parallelism() < 1 || kdf.parallelism() > 16
                    || kdf.salt().length < 8) {
                throw new RestoreException(RestoreException.Reason.TAMPERED,
                        "the payload asks for passphrase stretching outside the product's bounds");
            }
            String id = kdf.memoryKiB() + "/" + kdf.iterations() + "/" + kdf.parallelism() + "/"
                    + java.util.HexFormat.of().formatHex(kdf.salt());
            return derived.computeIfAbsent(id, k -> argon2id(kdf)).clone();
        }

        private byte[] argon2id(Kdf kdf) {
            Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(kdf.memoryKiB())
                    .withIterations(kdf.iterations()).withParallelism(kdf.parallelism()).withSalt(kdf.salt()).build();
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(parameters);
            byte[] out = new byte[32];
            generator.generateBytes(passphrase, out);
            return out;
        }

        @Override
        public String toString() {
            return "passphrase";
        }
    }
}
