package org.segue.tool;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.ConsoleRun;
import org.segue.engine.api.Restorer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Erasable protection on the command line, on the astronaut portrait (a face the shipped detector finds):
 * keygen, protect --erasable, restore bit for bit (PNG) and region for region (JPEG, restored as PNG), and each
 * refusal with its exit code: bad usage (2) before anything is written, a photo that cannot be restored (1).
 */
class ErasableCliIT {

    private static final Path ASTRONAUT = Path.of(System.getProperty("segue.shared", "../shared"))
            .resolve("photos/public-domain/astronaut.png");

    static ConsoleRun run(String... args) {
        return ConsoleRun.of(SegueCli::execute, args);
    }

    private static boolean samePixels(Raster a, Raster b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight() || a.getNumBands() != b.getNumBands()) {
            return false;
        }
        int[] pa = a.getPixels(0, 0, a.getWidth(), a.getHeight(), (int[]) null);
        int[] pb = b.getPixels(0, 0, b.getWidth(), b.getHeight(), (int[]) null);
        return java.util.Arrays.equals(pa, pb);
    }

    private static boolean isEmptyOrAbsent(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    @Test
    void keygenProtectRestoreAndEveryRefusal(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ASTRONAUT), "skipped: " + ASTRONAUT + " is absent (../shared)");
        Path key = dir.resolve("archive.key");
        ConsoleRun keygen = run("keygen", key.toString());
        assertEquals(0, keygen.exit(), keygen.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String secret = Files.readAllLines(key, StandardCharsets.US_ASCII).get(1);
        assertFalse(keygen.out().contains(secret) || keygen.err().contains(secret), "the key is never printed");
        byte[] keyBefore = Files.readAllBytes(key);
        assertEquals(2, run("keygen", key.toString()).exit(), "an existing key file is bad usage");
        assertTrue(java.util.Arrays.equals(keyBefore, Files.readAllBytes(key)), "and it is not overwritten");

        Path in = dir.resolve("in");
        Files.createDirectories(in);
        Path png = Files.copy(ASTRONAUT, in.resolve("astronaut.png"));
        BufferedImage original = ImageIO.read(png.toFile());
        Path jpg = in.resolve("astronaut.jpg");
        ImageIO.write(original, "jpeg", jpg.toFile());
        Path out = dir.resolve("out");

        // bad usage: nothing is written
        assertEquals(2, run("protect", "--erasable", png.toString(), "--out", out.toString()).exit());
        ConsoleRun missingKey = run("protect", "--erasable", "--key", dir.resolve("none.key").toString(), png.toString(),
                "--out", out.toString());
        assertEquals(2, missingKey.exit());
        assertTrue(missingKey.err().contains("key file not found"), missingKey.err());
        assertEquals(2, run("protect", "--key", key.toString(), png.toString(), "--out", out.toString()).exit(),
                "--key without --erasable");
        Path notAKey = Files.writeString(dir.resolve("not.key"), "hello\n");
        assertEquals(2, run("protect", "--erasable", "--key", notAKey.toString(), png.toString(), "--out", out.toString()).exit());
        assertTrue(isEmptyOrAbsent(out), "bad usage writes nothing");

        // at the full budget, so the face region differs from the original everywhere the restore must give it back
        ConsoleRun protect = run("protect", "--erasable", "--key", key.toString(), "--strength", "high", png.toString(),
                jpg.toString(),
                "--out", out.toString());
        assertEquals(0, protect.exit(), protect.out() + protect.err());
        assertTrue(Restorer.hasPayload(out.resolve("astronaut.png")));
        assertTrue(Restorer.hasPayload(out.resolve("astronaut.jpg")));
        String report = Files.readString(out.resolve("protection-report.json"));
        assertFalse(report.contains(secret) || protect.out().contains(secret) || protect.err().contains(secret));

        Path restored = dir.resolve("restored");
        ConsoleRun restore = run("restore", "--key", key.toString(), out.resolve("astronaut.png").toString(),
                out.resolve("astronaut.jpg").toString(), "--out", restored.toString());
        assertEquals(0, restore.exit(), restore.out() + restore.err());
        assertTrue(restore.out().contains("2 restored"), restore.out());
        assertTrue(samePixels(original.getRaster(), ImageIO.read(restored.resolve("astronaut.png").toFile()).getRaster()),
                "the PNG comes back bit for bit");
        // astronaut.jpg restores as astronaut.png, which the PNG took in this run: it is kept beside it
        assertTrue(Files.exists(restored.resolve("astronaut.jpg.png")), restore.out());
        Path restoredJpeg = dir.resolve("restored-jpeg");
        assertEquals(0, run("restore", "--key", key.toString(), out.resolve("astronaut.jpg").toString(), "--out",
                restoredJpeg.toString()).exit());
        Raster jpegOriginal = ImageIO.read(jpg.toFile()).getRaster();
        Raster jpegRestored = ImageIO.read(restoredJpeg.resolve("astronaut.png").toFile()).getRaster();
        Raster jpegProtected = ImageIO.read(out.resolve("astronaut.jpg").toFile()).getRaster();
        int differing = 0;
        int restoredDiffering = 0;
        for (int y = 0; y < jpegOriginal.getHeight(); y++) {
            for (int x = 0; x < jpegOriginal.getWidth(); x++) {
                for (int b = 0; b < 3; b++) {
                    int o = jpegOriginal.getSample(x, y, b);
                    int r = jpegRestored.getSample(x, y, b);
                    int p = jpegProtected.getSample(x, y, b);
                    // every sample is the original's (in the regions) or the protected JPEG's (outside)
                    assertTrue(r == o || r == p, "sample " + b + " at " + x + "," + y);
                    differing += o != p ? 1 : 0;
                    restoredDiffering += o != r ? 1 : 0;
                }
            }
        }
        // the face region (about 150x150 pixels) came back: tens of thousands of samples are the original's again
        assertTrue(differing - restoredDiffering > 30000, "restored " + (differing - restoredDiffering) + " of "
                + differing + " differing samples (the rest lie outside the region: the JPEG's re-encoding)");

        // per-photo refusals: exit 1, the others still restored, nothing written for the refused
        Path other = dir.resolve("other.key");
        assertEquals(0, run("keygen", other.toString()).exit());
        Path wrong = dir.resolve("wrong");
        ConsoleRun wrongKey = run("restore", "--key", other.toString(), out.resolve("astronaut.png").toString(),
                "--out", wrong.toString());
        assertEquals(1, wrongKey.exit());
        assertTrue(wrongKey.err().contains("wrong key"), wrongKey.err());
        assertTrue(isEmptyOrAbsent(wrong));
        Path plain = dir.resolve("plain");
        assertEquals(0, run("protect", png.toString(), "--out", plain.toString()).exit());
        ConsoleRun none = run("restore", "--key", key.toString(), plain.resolve("astronaut.png").toString(),
                out.resolve("astronaut.png").toString(), "--out", dir.resolve("mixed").toString());
        assertEquals(1, none.exit());
        assertTrue(none.err().contains("carries no restoration payload"), none.err());
        assertTrue(none.out().contains("1 restored, 1 failed"), none.out());
        ConsoleRun twice = run("protect", "--erasable", "--key", key.toString(), out.resolve("astronaut.png").toString(),
                "--out", dir.resolve("twice").toString());
        assertEquals(1, twice.exit());
        assertTrue(twice.err().contains("already protected erasably"), twice.err());
        assertFalse(Files.exists(dir.resolve("twice/astronaut.png")));
        assertEquals(2, run("restore", "--key", dir.resolve("none.key").toString(), out.resolve("astronaut.png").toString(),
                "--out", dir.resolve("r2").toString()).exit(), "a missing key file is bad usage");
        assertEquals(2, run("restore", out.resolve("astronaut.png").toString(), "--out", dir.resolve("r3").toString()).exit(),
                "restore needs a key");
        assertFalse(Files.exists(dir.resolve("r2")) || Files.exists(dir.resolve("r3")));

        // a passphrase file instead of a key file
        Path pass = Files.writeString(dir.resolve("pass.txt"), "a passphrase long enough\n");
        assertEquals(0, run("protect", "--erasable", "--passphrase-file", pass.toString(), png.toString(), "--out",
                dir.resolve("pp").toString()).exit());
        assertEquals(0, run("restore", "--passphrase-file", pass.toString(), dir.resolve("pp/astronaut.png").toString(),
                "--out", dir.resolve("pp-restored").toString()).exit());
        assertTrue(samePixels(original.getRaster(),
                ImageIO.read(dir.resolve("pp-restored/astronaut.png").toFile()).getRaster()));
        List<String> help = List.of(run("--help").out(), run("restore", "--help").out());
        assertTrue(help.get(0).contains("restore") && help.get(0).contains("keygen"), help.get(0));
        assertTrue(help.get(1).contains("--passphrase-file"), help.get(1));
    }

    /** The group registry's options: a key is needed, it keeps automatic grouping only, and its file is written 0600. */
    @Test
    void aGroupRegistryIsKeyedOptInAndWrittenOwnerOnly(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.exists(ASTRONAUT), "skipped: " + ASTRONAUT + " is absent");
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(ASTRONAUT, in.resolve("a.png"));
        Path key = dir.resolve("k.key");
        assertEquals(0, run("keygen", key.toString()).exit());
        Path registry = dir.resolve("groups.registry");
        ConsoleRun noKey = run("protect", in.toString(), "--out", dir.resolve("o1").toString(), "--group-registry",
                registry.toString());
        assertEquals(2, noKey.exit(), noKey.err());
        assertTrue(noKey.err().contains("--group-registry needs --key"), noKey.err());
        ConsoleRun named = run("protect", in.toString(), "--out", dir.resolve("o2").toString(), "--group-registry",
                registry.toString(), "--key", key.toString(), "--person", "Someone");
        assertEquals(2, named.exit(), named.err());
        ConsoleRun keyAlone = run("protect", in.toString(), "--out", dir.resolve("o3").toString(), "--key", key.toString());
        assertEquals(2, keyAlone.exit(), keyAlone.err());
        assertFalse(Files.exists(registry), "nothing written by refused commands");

        ConsoleRun ok = run("protect", in.toString(), "--out", dir.resolve("o4").toString(), "--group-registry",
                registry.toString(), "--key", key.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(registry)));
        ConsoleRun otherKey = run("protect", in.toString(), "--out", dir.resolve("o5").toString(), "--group-registry",
                registry.toString(), "--passphrase-file", Files.writeString(dir.resolve("p.txt"), "another passphrase").toString());
        assertEquals(1, otherKey.exit(), otherKey.err());
        assertTrue(otherKey.err().toLowerCase(java.util.Locale.ROOT).contains("key"), otherKey.err());
        assertFalse(Files.exists(dir.resolve("o5").resolve("a.png")), "nothing protected under a wrong registry key");
    }
}
