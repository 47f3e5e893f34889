package org.segue.engine.sideinfo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.erasure.KeyMaterial;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class GroupRegistryTest {

    private static final String EMBEDDER = "test-embedder-128";

    @TempDir
    Path dir;

    /**
     * Five people, 128-d; a batch draws noisy faces of the chosen people (cosine ~0.96 to their person's direction,
     * so that a few faces' mean lies well within the registry's default similarity of the person's).
     */
    private static final float[][] PEOPLE = new SyntheticEmbeddings(128, new int[] {1, 1, 1, 1, 1}, 0, 3).centres;

    private record Batch(float[][] x, int[] person, int[] groups) {}

    private static Batch batch(int[] people, int perPerson, long seed) {
        java.util.Random random = new java.util.Random(seed);
        int n = people.length * perPerson;
        float[][] x = new float[n][];
        int[] person = new int[n];
        for (int i = 0; i < n; i++) {
            person[i] = people[i % people.length];
            float[] noise = SyntheticEmbeddings.gaussian(128, 0.3 / Math.sqrt(128), random);
            x[i] = new float[128];
            for (int d = 0; d < 128; d++) {
                x[i][d] = (PEOPLE[person[i]][d] + noise[d]) * 1.4f;
            }
        }
        return new Batch(x, person, Grouping.byThreshold(x, 0.3));
    }

    /** The code each person got in a batch (each person must be exactly one group). */
    private static int[] codesOfPeople(Batch b, int[] groupCodes) {
        int[] code = new int[PEOPLE.length];
        Arrays.fill(code, -1);
        for (int i = 0; i < b.x.length; i++) {
            int c = groupCodes[b.groups[i]];
            assertTrue(code[b.person[i]] == -1 || code[b.person[i]] == c, "one person, one code");
            code[b.person[i]] = c;
        }
        return code;
    }

    @Test
    void roundTripKeepsCodesAndNewBatchesMatchThem() throws IOException {
        KeyMaterial key = KeyMaterial.Random.generate();
        Path file = dir.resolve("groups.registry");
        GroupRegistry registry = GroupRegistry.open(file, key, EMBEDDER);
        assertEquals(0, registry.size());
        Batch first = batch(new int[] {0, 1, 2}, 6, 1);
        assertEquals(3, Grouping.count(first.groups));
        int[] firstCodes = codesOfPeople(first, registry.codesFor(first.x, first.groups));
        assertEquals(3, new HashSet<>(Arrays.asList(firstCodes[0], firstCodes[1], firstCodes[2])).size());
        assertFalse(Files.exists(file), "nothing is written until asked");
        registry.save();
        assertTrue(Files.exists(file));

        // a later batch: other photos of people 1 and 2 in another order, and two newcomers
        GroupRegistry reopened = GroupRegistry.open(file, key, EMBEDDER);
        assertEquals(3, reopened.size());
        Batch second = batch(new int[] {3, 2, 4, 1}, 5, 2);
        assertEquals(4, Grouping.count(second.groups));
        int[] secondCodes = codesOfPeople(second, reopened.codesFor(second.x, second.groups));
        assertEquals(firstCodes[1], secondCodes[1]);
        assertEquals(firstCodes[2], secondCodes[2]);
        Set<Integer> all = new HashSet<>();
        for (int p : new int[] {0, 1, 2}) {
            all.add(firstCodes[p]);
        }
        assertTrue(all.add(secondCodes[3]) && all.add(secondCodes[4]), "newcomers get codes of their own: "
                + Arrays.toString(firstCodes) + " " + Arrays.toString(secondCodes));
        assertEquals(-1, secondCodes[0], "person 0 is not in the second batch");
        for (int p = 1; p < PEOPLE.length; p++) {
            assertTrue(secondCodes[p] >= 0 && secondCodes[p] < 1 << LabelCode.DEFAULT_BITS);
        }
        reopened.save();

        GroupRegistry third = GroupRegistry.open(file, key, EMBEDDER);
        assertEquals(5, third.size());
        Batch all5 = batch(new int[] {4, 3, 2, 1, 0}, 4, 3);
        int[] codes = codesOfPeople(all5, third.codesFor(all5.x, all5.groups));
        assertArrayEquals(new int[] {firstCodes[0], firstCodes[1], firstCodes[2], secondCodes[3], secondCodes[4]}, codes);
        assertEquals(5, third.size());
        assertEquals("GroupRegistry[5 groups]", third.toString());
    }

    @Test
    void theFileHoldsNoTemplateOrNameInTheClear() throws IOException {
        KeyMaterial key = KeyMaterial.Random.generate();
        Path file = dir.resolve("r");
        GroupRegistry registry = GroupRegistry.open(file, key, EMBEDDER);
        Batch b = batch(new int[] {0}, 3, 4);
        registry.codesFor(b.x, b.groups);
        registry.save();
        byte[] bytes = Files.readAllBytes(file);
        float[] direction = Grouping.centroids(b.x, b.groups)[0];
        byte[] firstValues = ByteBuffer.allocate(8).putFloat(direction[0]).putFloat(direction[1]).array();
        assertEquals(-1, org.segue.engine.photo.TestPhotos.indexOf(bytes, firstValues));
        assertEquals(-1, org.segue.engine.photo.TestPhotos.indexOf(bytes, EMBEDDER.getBytes(StandardCharsets.UTF_8)));
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file)));
        }
    }

    @Test
    void aWrongKeyIsToldApartFromADamagedFile() throws IOException {
        KeyMaterial key = KeyMaterial.Random.generate();
        Path file = saved(key);
        byte[] before = Files.readAllBytes(file);

        GroupRegistryException wrong = assertThrows(GroupRegistryException.class,
                () -> GroupRegistry.open(file, KeyMaterial.Random.generate(), EMBEDDER));
        assertEquals(GroupRegistryException.Reason.WRONG_KEY, wrong.reason());
        assertTrue(wrong.getMessage().contains("not the key"), wrong.getMessage());
        GroupRegistryException passphrase = assertThrows(GroupRegistryException.class,
                () -> GroupRegistry.open(file, new KeyMaterial.Passphrase("correct horse".toCharArray()), EMBEDDER));
        assertEquals(GroupRegistryException.Reason.WRONG_KEY, passphrase.reason());
        assertTrue(passphrase.getMessage().contains("key file"), passphrase.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "a refused registry is left as it was");

        // every single damaged byte, in the header or the body, is caught, and never read as a wrong key
        for (int i = GroupRegistry.MAGIC.length + 1; i < before.length; i++) {
            byte[] damaged = before.clone();
            damaged[i] ^= 0x10;
            Files.write(file, damaged);
            GroupRegistryException e = assertThrows(GroupRegistryException.class, () -> GroupRegistry.open(file, key, EMBEDDER));
            assertEquals(GroupRegistryException.Reason.DAMAGED, e.reason(), "byte " + i);
        }
        for (int length : new int[] {GroupRegistry.MAGIC.length + 3, before.length / 2, before.length - 1}) {
            Files.write(file, Arrays.copyOf(before, length));
            assertEquals(GroupRegistryException.Reason.DAMAGED,
                    assertThrows(GroupRegistryException.class, () -> GroupRegistry.open(file, key, EMBEDDER)).reason());
        }
        byte[] newer = before.clone();
        newer[GroupRegistry.MAGIC.length] = 9;
        Files.write(file, newer);
        assertTrue(assertThrows(GroupRegistryException.class, () -> GroupRegistry.open(file, key, EMBEDDER))
                .getMessage().contains("format version 9"));
        for (byte[] other : new byte[][] {new byte[0], "photo.jpg,face 1\n".getBytes(StandardCharsets.US_ASCII)}) {
            Files.write(file, other);
            assertEquals(GroupRegistryException.Reason.NOT_A_REGISTRY,
                    assertThrows(GroupRegistryException.class, () -> GroupRegistry.open(file, key, EMBEDDER)).reason());
        }
    }

    @Test
    void anotherEmbeddersRegistryIsRefused() throws IOException {
        KeyMaterial key = KeyMaterial.Random.generate();
        Path file = saved(key);
        GroupRegistryException e = assertThrows(GroupRegistryException.class,
                () -> GroupRegistry.open(file, key, "lbp-64px-8x8"));
        assertEquals(GroupRegistryException.Reason.OTHER_EMBEDDER, e.reason());
        GroupRegistry registry = GroupRegistry.open(file, key, EMBEDDER);
        assertThrows(IllegalArgumentException.class, () -> registry.codesFor(new float[][] {{1, 0, 0}}, new int[] {0}));
    }

    @Test
    void passphraseRegistriesRoundTrip() throws IOException {
        Path file = dir.resolve("p.registry");
        KeyMaterial key = new KeyMaterial.Passphrase("a long passphrase".toCharArray());
        GroupRegistry registry = GroupRegistry.open(file, key, EMBEDDER);
        Batch b = batch(new int[] {0, 1}, 4, 5);
        int[] codes = codesOfPeople(b, registry.codesFor(b.x, b.groups));
        registry.save();
        // a new key object from the same passphrase, as a later run of the product makes it
        GroupRegistry again = GroupRegistry.open(file, new KeyMaterial.Passphrase("a long passphrase".toCharArray()), EMBEDDER);
        Batch later = batch(new int[] {1, 0}, 3, 6);
        int[] laterCodes = codesOfPeople(later, again.codesFor(later.x, later.groups));
        assertEquals(codes[0], laterCodes[0]);
        assertEquals(codes[1], laterCodes[1]);
        assertEquals(GroupRegistryException.Reason.WRONG_KEY, assertThrows(GroupRegistryException.class,
                () -> GroupRegistry.open(file, new KeyMaterial.Passphrase("another passphrase".toCharArray()), EMBEDDER)).reason());
    }

    @Test
    void badArgumentsGetClearErrors() {
        KeyMaterial key = KeyMaterial.Random.generate();
        assertThrows(IllegalArgumentException.class, () -> GroupRegistry.open(dir.resolve("x"), key, EMBEDDER, 0));
        assertThrows(IllegalArgumentException.class, () -> GroupRegistry.open(dir.resolve("x"), key, EMBEDDER, 1.5));
        assertThrows(IllegalArgumentException.class, () -> GroupRegistry.open(dir.resolve("x"), null, EMBEDDER));
        assertThrows(IllegalArgumentException.class, () -> GroupRegistry.open(dir.resolve("x"), key, " "));
    }

    private Path saved(KeyMaterial key) throws IOException {
        Path file = dir.resolve("groups.registry");
        GroupRegistry registry = GroupRegistry.open(file, key, EMBEDDER);
        Batch b = batch(new int[] {0, 1}, 3, 7);
        registry.codesFor(b.x, b.groups);
        registry.save();
        return file;
    }
}
