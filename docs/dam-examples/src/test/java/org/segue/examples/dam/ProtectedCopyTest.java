package org.segue.examples.dam;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.plugin.osgi.api.ProtectionOutcome;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProtectedCopyTest {

    @TempDir
    Path temp;

    private static byte[] photo(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private List<Path> leftOver() throws IOException {
        try (Stream<Path> s = Files.list(temp)) {
            return s.toList();
        }
    }

    @Test
    void aProtectedPhotoIsAvailableWholeAndGoneAfterClose() throws Exception {
        byte[] original = photo(200_000);
        ScriptedProtector protector = ScriptedProtector.returning(ScriptedProtector.FACES);
        byte[] expected = ScriptedProtector.transformed(original);
        try (ProtectedCopy copy = ProtectedCopy.protect(protector, new ByteArrayInputStream(original), "x.jpg", temp)) {
            assertEquals(ProtectionVerdict.PROTECTED, copy.verdict());
            assertTrue(copy.written());
            assertEquals(expected.length, copy.size());
            try (InputStream in = copy.openStream()) {
                assertArrayEquals(expected, in.readAllBytes());
            }
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected)),
                    copy.sha256());
            assertArrayEquals(original, protector.lastInput);
            assertFalse(copy.hasOriginal());
            assertEquals(1, leftOver().size());
        }
        assertEquals(List.of(), leftOver(), "close deletes the private folder");
    }

    @Test
    void aProtectionThatFailsHalfWayLeavesNothing() throws Exception {
        IOException e = assertThrows(IOException.class, () -> ProtectedCopy.protect(ScriptedProtector.failingAfter(
                50_000), new ByteArrayInputStream(photo(200_000)), "x.jpg", temp));
        assertEquals("damaged JPEG (premature end of data)", e.getMessage());
        assertEquals(List.of(), leftOver(), "no partial output may remain");
    }

    @Test
    void aProtectorThatCrashesLeavesNothing() throws Exception {
        // no stream: the protector fails with a NullPointerException instead of an IOException
        assertThrows(NullPointerException.class, () -> ProtectedCopy.protect(
                ScriptedProtector.returning(ScriptedProtector.FACES), null, "x.jpg", temp));
        assertEquals(List.of(), leftOver());
    }

    @Test
    void underTheSkipPolicyThereIsNoOutputButTheKeptOriginal() throws Exception {
        byte[] original = photo(10_000);
        try (ProtectedCopy copy = ProtectedCopy.protectKeepingOriginal(
                ScriptedProtector.returning(ScriptedProtector.NO_FACE_SKIP), new ByteArrayInputStream(original),
                "x.png", temp)) {
            assertEquals(ProtectionVerdict.NO_FACE_NOTHING_WRITTEN, copy.verdict());
            assertFalse(copy.written());
            assertThrows(IllegalStateException.class, copy::openStream);
            assertThrows(IllegalStateException.class, copy::size);
            assertTrue(copy.hasOriginal());
            assertEquals(original.length, copy.originalSize());
            try (InputStream in = copy.openOriginal()) {
                assertArrayEquals(original, in.readAllBytes());
            }
        }
        assertEquals(List.of(), leftOver());
    }

    @Test
    void aCleanedCopyIsWrittenButNotProtected() throws Exception {
        byte[] original = photo(5_000);
        try (ProtectedCopy copy = ProtectedCopy.protectKeepingOriginal(
                ScriptedProtector.returning(ScriptedProtector.NO_FACE_COPY), new ByteArrayInputStream(original),
                "x.jpg", temp)) {
            assertEquals(ProtectionVerdict.NO_FACE_CLEANED_COPY, copy.verdict());
            try (InputStream in = copy.openStream()) {
                assertArrayEquals(ScriptedProtector.transformed(original), in.readAllBytes());
            }
            try (InputStream in = copy.openOriginal()) {
                assertArrayEquals(original, in.readAllBytes());
            }
        }
    }

    @Test
    void anOutcomeThatContradictsTheBytesIsAFailure() throws Exception {
        byte[] original = photo(1_000);
        IOException wroteAnyway = assertThrows(IOException.class, () -> ProtectedCopy.protect(
                ScriptedProtector.lying(ScriptedProtector.NO_FACE_SKIP, true), new ByteArrayInputStream(original),
                "x.jpg", temp));
        assertTrue(wroteAnyway.getMessage().contains("reported no output but wrote 1000 bytes"), wroteAnyway.getMessage());
        IOException wroteNothing = assertThrows(IOException.class, () -> ProtectedCopy.protect(
                ScriptedProtector.lying(ScriptedProtector.FACES, false), new ByteArrayInputStream(original),
                "x.jpg", temp));
        assertTrue(wroteNothing.getMessage().contains("reported an output but wrote nothing"), wroteNothing.getMessage());
        ProtectionOutcome facesButNothing = new ProtectionOutcome(true, false, ScriptedProtector.FACES.faces(),
                List.of(), 8, "JPEG", "default");
        IOException broken = assertThrows(IOException.class, () -> ProtectedCopy.protect(
                ScriptedProtector.returning(facesButNothing), new ByteArrayInputStream(original), "x.jpg", temp));
        assertTrue(broken.getMessage().startsWith("the face protector broke its contract"), broken.getMessage());
        assertEquals(List.of(), leftOver());
    }

    @Test
    void thePrivateFolderIsTheOwnersOnlyAndNamesNoPhoto() throws Exception {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        try (ProtectedCopy copy = ProtectedCopy.protectKeepingOriginal(
                ScriptedProtector.returning(ScriptedProtector.FACES), new ByteArrayInputStream(photo(100)),
                "Jane Doe at the beach.jpg", temp)) {
            Path folder = leftOver().get(0);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
            try (Stream<Path> all = Files.walk(temp)) {
                assertTrue(all.noneMatch(p -> p.getFileName().toString().contains("Jane")));
            }
        }
    }

    @Test
    void sha256MatchesTheStandardVectorAndLeavesTheStreamOpen() throws Exception {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ProtectedCopy.sha256(in));
        assertFalse(closed[0]);
    }
}
