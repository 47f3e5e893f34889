package org.segue.engine.sideinfo;

import org.segue.engine.api.RestoreException;
import org.segue.engine.erasure.KeyMaterial;
import org.segue.engine.internal.AtomicFiles;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Stable 16-bit group codes across batches, for users who opt into it: a local file that keeps, for each group of
 * faces seen so far, its code and a representative embedding (the group's mean direction). A new batch's groups
 * are matched to the stored ones by cosine similarity of their mean directions, one to one, best pairs first; a
 * match keeps its code (and its stored direction moves towards the new faces), a group without a match gets a
 * fresh code. The file holds biometric templates, so it exists only where the user asks for one, is always
 * encrypted (AES-256-GCM under a key derived from an {@link KeyMaterial erasure key} or passphrase, with its own
 * derivation label so it never shares a key with erasure payloads) and is written atomically.
 *
 * <p>File layout: the header ({@code "SEGUE-GROUPS"}, format version, the key derivation's id, memory, passes,
 * lanes and salt, a 32-byte key check, the 12-byte nonce), the first 16 bytes of the header's SHA-256 (so a damaged
 * header is told from a wrong key), then the ciphertext of the body with the header as associated data. The body:
 * the embedder's name, the embedding dimension, the next group number, and per group its code, face count and
 * direction.
 *
 * <p>Not thread-safe: one batch uses a registry at a time. Nothing it holds appears in {@link #toString()}.
 */
public final class GroupRegistry {

    /**
     * The least cosine similarity of a new group's mean direction to a stored one for the two to count as one
     * person, for dlib's ResNet descriptors (face-api's face recognition model). Mean directions of a few faces of
     * one person lie at 0.96-0.99 of each other, those of two people mostly at 0.88-0.95 (WebFace10, celeb10); the
     * one-to-one matching, best pairs first, does the rest: measured from one split to the other, 0.94 to 0.97 give
     * the same codes, and about one newcomer's face in a hundred takes a registered person's code.
     */
    public static final double DEFAULT_MIN_SIMILARITY = 0.96;

    static final byte[] MAGIC = "SEGUE-GROUPS".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final int KEY_CHECK_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int HEADER_DIGEST_BYTES = 16;
    private static final int TAG_BITS = 128;
    /** Bounds a damaged or forged body cannot push the reader past. */
    private static final int MAX_DIMENSION = 1024;
    private static final int MAX_GROUPS = 1 << 16; // one per 16-bit code
    private static final long MAX_FILE_BYTES = 1024 + 64 + (long) MAX_GROUPS * (2 + 8 + 4L * MAX_DIMENSION) + 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final class Entry {
        final int code;
        long faces;
        float[] direction;

        Entry(int code, long faces, float[] direction) {
            this.code = code;
            this.faces = faces;
            this.direction = direction;
        }
    }

    private final Path file;
    private final KeyMaterial key;
    private final String embedder;
    private final double minSimilarity;
    private final List<Entry> entries;
    private int dimension;
    private int nextGroup;

    private GroupRegistry(Path file, KeyMaterial key, String embedder, double minSimilarity, List<Entry> entries,
                          int dimension, int nextGroup) {
        this.file = file;
        this.key = key;
        this.embedder = embedder;
        this.minSimilarity = minSimilarity;
        this.entries = entries;
        this.dimension = dimension;
        this.nextGroup = nextGroup;
    }

    /**
     * The registry in {@code file}, or an empty one when the file does not exist yet (nothing is written until
     * {@link #save()}).
     *
     * @param embedder      the name of the embedder whose embeddings the registry compares ({@link FeatureExtractor#name()})
     * @param minSimilarity the least cosine similarity of mean directions that keeps a code, in (0, 1]
     * @throws GroupRegistryException where the file is no registry, the key is wrong, the file is damaged or it
     *                                holds another embedder's templates
     * @throws IOException            where the file cannot be read
     */
    public static GroupRegistry open(Path file, KeyMaterial key, String embedder, double minSimilarity) throws IOException {
        if (file == null || key == null || embedder == null || embedder.isBlank()) {
            throw new IllegalArgumentException("a group registry needs a file, a key and the embedder's name");
        }
        if (!(minSimilarity > 0 && minSimilarity <= 1)) {
            throw new IllegalArgumentException("the registry's similarity threshold lies in (0, 1], was " + minSimilarity);
        }
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new GroupRegistryException(GroupRegistryException.Reason.NOT_A_REGISTRY,
                        file + ": not a Segue group registry (far larger than any registry)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new GroupRegistry(file, key, embedder, minSimilarity, new ArrayList<>(), 0, 0);
        }
        return read(file, bytes, key, embedder, minSimilarity);
    }

    /** {@link #open(Path, KeyMaterial, String, double)} with {@link #DEFAULT_MIN_SIMILARITY}. */
    public static GroupRegistry open(Path file, KeyMaterial key, String embedder) throws IOException {
        return open(file, key, embedder, DEFAULT_MIN_SIMILARITY);
    }

    /** The number of groups the registry knows. */
    public int size() {
        return entries.size();
    }

    /**
     * The code of each group of a batch: a stored group's code where the group's mean direction matches it, a
     * fresh code otherwise; the registry learns the batch's groups (write it with {@link #save()}).
     *
     * @param embeddings the batch's face embeddings (any length; compared by direction)
     * @param groups     the group 0..g-1 of each embedding, as {@link Grouping} gives them
     * @return the 16-bit code of each group 0..g-1
     * @throws IllegalArgumentException on bad embeddings or groups, or embeddings of another dimension than stored
     */
    public int[] codesFor(float[][] embeddings, int[] groups) {
        float[][] centroids = Grouping.centroids(embeddings, groups);
        int dim = centroids[0].length;
        if (dimension != 0 && dim != dimension) {
            throw new IllegalArgumentException("the registry holds " + dimension + "-dimensional templates, the batch's embeddings have " + dim);
        }
        dimension = dim;
        long[] sizes = new long[centroids.length];
        for (int g : groups) {
            sizes[g]++;
        }
        // every pair above the threshold, best first; each group and each stored entry taken once
        record Pair(int group, int entry, double similarity) {}
        List<Pair> pairs = new ArrayList<>();
        for (int g = 0; g < centroids.length; g++) {
            for (int e = 0; e < entries.size(); e++) {
                double s = Embeddings.dot(centroids[g], entries.get(e).direction);
                if (s >= minSimilarity) {
                    pairs.add(new Pair(g, e, s));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::similarity).reversed());
        int[] codes = new int[centroids.length];
        boolean[] groupTaken = new boolean[centroids.length];
        boolean[] entryTaken = new boolean[entries.size()];
        for (Pair p : pairs) {
            if (!groupTaken[p.group] && !entryTaken[p.entry]) {
                groupTaken[p.group] = true;
                entryTaken[p.entry] = true;
                Entry entry = entries.get(p.entry);
                codes[p.group] = entry.code;
                entry.direction = blend(entry.direction, entry.faces, centroids[p.group], sizes[p.group]);
                entry.faces += sizes[p.group];
            }
        }
        Set<Integer> used = new HashSet<>();
        for (Entry e : entries) {
            used.add(e.code);
        }
        for (int g = 0; g < centroids.length; g++) {
            if (!groupTaken[g]) {
                int code = freshCode(used);
                used.add(code);
                entries.add(new Entry(code, sizes[g], centroids[g].clone()));
                codes[g] = code;
            }
        }
        return codes;
    }

    private int freshCode(Set<Integer> used) {
        if (used.size() >= LabelCode.capacity(LabelCode.DEFAULT_BITS)) {
            throw new IllegalStateException("the registry has used all " + LabelCode.capacity(LabelCode.DEFAULT_BITS) + " group codes");
        }
        int code;
        do {
            code = LabelCode.labelForGroup(nextGroup++);
        } while (used.contains(code));
        return code;
    }

    /** The face-count-weighted mean direction of two groups. */
    private static float[] blend(float[] a, long na, float[] b, long nb) {
        float[] mixed = new float[a.length];
        for (int d = 0; d < a.length; d++) {
            mixed[d] = (float) ((na * (double) a[d] + nb * (double) b[d]) / (na + nb));
        }
        return Embeddings.unitLength(mixed);
    }

    /**
     * Writes the registry to its file, encrypted, through a temporary file renamed over it (owner-only
     * permissions where the file system has POSIX permissions).
     */
    public void save() throws IOException {
        KeyMaterial.Kdf kdf = key.kdfForNewPayload();
        byte[][] keys = keys(file, key, kdf);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        ByteArrayOutputStream headerBytes = new ByteArrayOutputStream();
        DataOutputStream header = new DataOutputStream(headerBytes);
        header.write(MAGIC);
        header.writeByte(VERSION);
        header.writeByte(kdf.id());
        header.writeInt(kdf.memoryKiB());
        header.writeInt(kdf.iterations());
        header.writeInt(kdf.parallelism());
        header.writeByte(kdf.salt().length);
        header.write(kdf.salt());
        header.write(keys[1]);
        header.write(nonce);
        byte[] head = headerBytes.toByteArray();

        ByteArrayOutputStream bodyBytes = new ByteArrayOutputStream();
        DataOutputStream body = new DataOutputStream(bodyBytes);
        body.writeUTF(embedder);
        body.writeInt(dimension);
        body.writeInt(nextGroup);
        body.writeInt(entries.size());
        for (Entry e : entries) {
            body.writeShort(e.code);
            body.writeLong(e.faces);
            for (float v : e.direction) {
                body.writeFloat(v);
            }
        }
        byte[] plain = bodyBytes.toByteArray();
        byte[] sealed;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys[0], "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(head);
            sealed = cipher.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this Java runtime", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
            Arrays.fill(keys[0], (byte) 0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(head);
        out.write(Arrays.copyOf(sha256(head), HEADER_DIGEST_BYTES));
        out.write(sealed);
        createOwnerOnly(file);
        AtomicFiles.write(file, out.toByteArray());
    }

    /**
     * A new registry file starts empty and owner-only, so the atomic write, which keeps the permissions of the
     * file it replaces, leaves it owner-only too.
     */
    private static void createOwnerOnly(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        if (Files.exists(absolute) || !absolute.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        try {
            Files.createFile(absolute, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // made meanwhile by someone else: its permissions are theirs to choose
        }
    }

    private static GroupRegistry read(Path file, byte[] bytes, KeyMaterial key, String embedder, double minSimilarity)
            throws IOException {
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new GroupRegistryException(GroupRegistryException.Reason.NOT_A_REGISTRY,
                    file + ": not a Segue group registry");
        }
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        KeyMaterial.Kdf kdf;
        byte[] keyCheck = new byte[KEY_CHECK_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        byte[] magic = new byte[MAGIC.length];
        int headLength;
        try {
            in.readFully(magic);
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new GroupRegistryException(GroupRegistryException.Reason.NOT_A_REGISTRY,
                        file + ": a group registry of format version " + version + ", which this version of Segue does not read");
            }
            int id = in.readUnsignedByte();
            int memory = in.readInt();
            int iterations = in.readInt();
            int parallelism = in.readInt();
            byte[] salt = new byte[in.readUnsignedByte()];
            in.readFully(salt);
            kdf = new KeyMaterial.Kdf(id, memory, iterations, parallelism, salt);
            in.readFully(keyCheck);
            in.readFully(nonce);
            headLength = bytes.length - in.available();
            byte[] digest = new byte[HEADER_DIGEST_BYTES];
            in.readFully(digest);
            if (!MessageDigest.isEqual(digest, Arrays.copyOf(sha256(Arrays.copyOf(bytes, headLength)), HEADER_DIGEST_BYTES))) {
                throw damaged(file);
            }
        } catch (EOFException e) {
            throw damaged(file);
        }
        byte[][] keys = keys(file, key, kdf);
        if (!MessageDigest.isEqual(keyCheck, keys[1])) {
            throw new GroupRegistryException(GroupRegistryException.Reason.WRONG_KEY,
                    file + ": this is not the key or passphrase the group registry was written with");
        }
        int bodyStart = headLength + HEADER_DIGEST_BYTES;
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys[0], "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(bytes, 0, headLength);
            plain = cipher.doFinal(bytes, bodyStart, bytes.length - bodyStart);
        } catch (AEADBadTagException e) {
            throw damaged(file);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this Java runtime", e);
        } finally {
            Arrays.fill(keys[0], (byte) 0);
        }
        try {
            DataInputStream body = new DataInputStream(new java.io.ByteArrayInputStream(plain));
            String stored = body.readUTF();
            if (!stored.equals(embedder)) {
                throw new GroupRegistryException(GroupRegistryException.Reason.OTHER_EMBEDDER, file
                        + ": the group registry was made with the embedder '" + stored + "', not '" + embedder
                        + "'; its groups cannot be compared (start a new registry file)");
            }
            int dimension = body.readInt();
            int nextGroup = body.readInt();
            int count = body.readInt();
            if (dimension < 0 || dimension > MAX_DIMENSION || count < 0 || count > MAX_GROUPS
                    || (count > 0 && dimension == 0) || nextGroup < 0) {
                throw damaged(file);
            }
            List<Entry> entries = new ArrayList<>(count);
            for (int e = 0; e < count; e++) {
                int code = body.readUnsignedShort();
                long faces = body.readLong();
                float[] direction = new float[dimension];
                for (int d = 0; d < dimension; d++) {
                    direction[d] = body.readFloat();
                }
                entries.add(new Entry(code, faces, direction));
            }
            if (body.available() != 0) {
                throw damaged(file);
            }
            return new GroupRegistry(file, key, embedder, minSimilarity, entries, dimension, nextGroup);
        } catch (EOFException e) {
            throw damaged(file); // authenticated but inconsistent: written by a faulty writer
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static GroupRegistryException damaged(Path file) {
        return new GroupRegistryException(GroupRegistryException.Reason.DAMAGED,
                file + ": the group registry is damaged (changed or cut short since it was written)");
    }

    /** The registry's encryption key and key check, derived apart from any erasure payload's keys. */
    private static byte[][] keys(Path file, KeyMaterial key, KeyMaterial.Kdf kdf) throws GroupRegistryException {
        KeyMaterial.Keys base;
        try {
            base = key.keys(kdf);
        } catch (RestoreException e) {
            throw new GroupRegistryException(e.reason() == RestoreException.Reason.WRONG_KEY
                    ? GroupRegistryException.Reason.WRONG_KEY : GroupRegistryException.Reason.DAMAGED,
                    file + ": " + (e.reason() == RestoreException.Reason.WRONG_KEY
                            ? (kdf.id() == KeyMaterial.Kdf.RAW
                                    ? "the group registry was written with a key file, not with a passphrase"
                                    : "the group registry was written with a passphrase, not with a key file")
                            : "the group registry is damaged (its key derivation parameters are out of bounds)"));
        }
        try {
            return new byte[][] {hmac(base.encryption(), "segue group registry v1 encryption"),
                    hmac(base.check(), "segue group registry v1 key check")};
        } finally {
            Arrays.fill(base.encryption(), (byte) 0);
            Arrays.fill(base.check(), (byte) 0);
        }
    }

    private static byte[] hmac(byte[] key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this Java runtime", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "GroupRegistry[" + entries.size() + " groups]";
    }
}
