package org.segue.tool.osgi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.api.ErasureKey;
import org.segue.engine.api.Restorer;
import org.segue.plugin.osgi.api.FaceProtector;
import org.segue.plugin.osgi.api.ProtectionOutcome;
import org.segue.plugin.osgi.api.RestoreOutcome;

import javax.imageio.ImageIO;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Erasable protection through the OSGi service in a real embedded Felix (the bundles this build produced): a
 * key file in the protector's configuration, a real photo protected and restored through {@link FaceProtector},
 * the restored PNG equal to the original bit for bit; restoring without a key, with another key or a photo
 * without a payload is refused and writes nothing.
 */
class ErasableOsgiIT {

    private static final Path ASTRONAUT = Path.of(System.getProperty("segue.shared", "../shared"))
            .resolve("photos/public-domain/astronaut.png");

    @TempDir
    static Path work;
    private static FelixRuntime felix;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ASTRONAUT), "skipped: " + ASTRONAUT + " is absent (../shared)");
        felix = FelixRuntime.start(Path.of("target/dam-runtime/bundles"), work.resolve("felix"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (felix != null) {
            felix.close();
        }
    }

    private static FaceProtector protector() throws Exception {
        return felix.service(FaceProtector.class, 30_000);
    }

    private static int[] samples(Path png) throws IOException {
        Raster r = ImageIO.read(png.toFile()).getRaster();
        return r.getPixels(0, 0, r.getWidth(), r.getHeight(), (int[]) null);
    }

    /** Configures {@code key} and waits until protection carries a payload (Configuration Admin is asynchronous). */
    private static Path protectErasably(Path key, Path output) throws Exception {
        felix.configure(FaceProtector.PID, Map.of("erasure.key.file", key.toString()));
        for (int attempt = 0; attempt < 100; attempt++) {
            Files.deleteIfExists(output);
            ProtectionOutcome o = protector().protect(ASTRONAUT, output);
            assertTrue(o.facesFound(), "the astronaut's face is found");
            if (Restorer.hasPayload(output)) {
                return output;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the erasure key file never came into force");
    }

    @Test
    void aPhotoProtectedThroughTheServiceIsRestoredBitForBit() throws Exception {
        Path plain = work.resolve("plain.png");
        ProtectionOutcome unkeyed = protector().protect(ASTRONAUT, plain);
        assertTrue(unkeyed.facesFound());
        assertFalse(Restorer.hasPayload(plain), "not erasable without a key file");
        IOException noKey = assertThrows(IOException.class, () -> protector().restore(plain, work.resolve("x.png")));
        assertTrue(noKey.getMessage().contains("erasure.key.file"), noKey.getMessage());
        assertFalse(Files.exists(work.resolve("x.png")));

        Path key = work.resolve("keys/archive.key");
        ErasureKey.generate().write(key);
        String secret = Files.readAllLines(key, StandardCharsets.US_ASCII).get(1);
        Path protectedPhoto = protectErasably(key, work.resolve("astronaut-protected.png"));
        assertFalse(Arrays.equals(samples(ASTRONAUT), samples(protectedPhoto)), "the face was changed");

        Path restored = work.resolve("restored/astronaut.png");
        Files.createDirectories(restored.getParent());
        RestoreOutcome r = protector().restore(protectedPhoto, restored);
        assertEquals("PNG", r.format());
        assertEquals("PNG", r.outputFormat());
        assertTrue(r.wholeImageExact());
        assertEquals(1, r.regions().size(), "the astronaut's face region");
        assertArrayEquals(samples(ASTRONAUT), samples(restored), "restored bit for bit");
        assertFalse(r.toString().contains(secret), "the outcome holds nothing of the key");

        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        RestoreOutcome viaStream = protector().restore(new ByteArrayInputStream(Files.readAllBytes(protectedPhoto)),
                "astronaut-protected.png", streamed);
        assertEquals(r, viaStream);
        Raster back = ImageIO.read(new ByteArrayInputStream(streamed.toByteArray())).getRaster();
        assertArrayEquals(samples(ASTRONAUT), back.getPixels(0, 0, back.getWidth(), back.getHeight(), (int[]) null));

        IOException noPayload = assertThrows(IOException.class, () -> protector().restore(plain, work.resolve("y.png")));
        assertTrue(noPayload.getMessage().toLowerCase(java.util.Locale.ROOT).contains("payload"), noPayload.getMessage());
        assertFalse(Files.exists(work.resolve("y.png")), "nothing written");

        Path other = work.resolve("keys/other.key");
        ErasureKey.generate().write(other);
        felix.configure(FaceProtector.PID, Map.of("erasure.key.file", other.toString()));
        IOException wrongKey = null;
        for (int attempt = 0; attempt < 100 && wrongKey == null; attempt++) {
            try {
                Files.deleteIfExists(work.resolve("z.png"));
                protector().restore(protectedPhoto, work.resolve("z.png"));
                Thread.sleep(200); // the first key still in force
            } catch (IOException e) {
                wrongKey = e;
            }
        }
        assertTrue(wrongKey != null && wrongKey.getMessage().contains("key"), "another key is refused: " + wrongKey);
        assertFalse(Files.exists(work.resolve("z.png")), "nothing written");

        // a damaged key file refuses the configuration: nothing is protected until it is put right
        Path damaged = work.resolve("keys/damaged.key");
        Files.writeString(damaged, "segue-erasure-key 1\n" + secret.substring(0, 20) + "\n", StandardCharsets.US_ASCII);
        felix.configure(FaceProtector.PID, Map.of("erasure.key.file", damaged.toString()));
        IOException refused = null;
        for (int attempt = 0; attempt < 100 && refused == null; attempt++) {
            Path attemptOut = work.resolve("refused.png");
            try {
                protector().protect(ASTRONAUT, attemptOut);
                Files.deleteIfExists(attemptOut); // the previous configuration still in force
                Thread.sleep(200);
            } catch (IOException e) {
                refused = e;
            }
        }
        assertTrue(refused != null, "a damaged key file stops protection");
        assertTrue(refused.getMessage().contains("erasure.key.file") && refused.getMessage().contains("damaged.key"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains(secret.substring(0, 20)), "the key line is never repeated");
        assertFalse(Files.exists(work.resolve("refused.png")), "nothing written");
        assertTrue(refused instanceof org.segue.plugin.osgi.api.ProtectorUnavailableException, refused.toString());

        // the hot folder keeps a photo that arrives meanwhile waiting, rather than setting it aside as failed
        Path hotIn = Files.createDirectories(work.resolve("hot/in"));
        Path hotOut = work.resolve("hot/out");
        Path hotFailed = work.resolve("hot/failed");
        Path hotWork = work.resolve("hot/work");
        felix.configure("org.segue.hotfolder", Map.of("watch.folder", hotIn.toString(), "output.folder",
                hotOut.toString(), "failed.folder", hotFailed.toString(), "work.folder", hotWork.toString(),
                "poll.millis", 200L, "quiet.millis", 300L, "give.up.seconds", 2L));
        Files.copy(ASTRONAUT, hotIn.resolve("astronaut.png"));
        Path status = hotWork.resolve("hotfolder-status.txt");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !(Files.exists(status)
                && Files.readString(status).contains("configuration was refused"))) {
            Thread.sleep(200);
        }
        String waiting = Files.readString(status);
        assertTrue(waiting.contains("pending\tastronaut.png\tnot taken: the face protector's configuration was refused"),
                waiting);
        assertFalse(waiting.contains(secret.substring(0, 20)), "the key line never reaches the status file");
        Thread.sleep(3000); // past the give-up period: still waiting, never failed
        assertFalse(Files.exists(hotFailed.resolve("astronaut.png")), "not set aside as failed");
        assertFalse(Files.exists(hotOut.resolve("astronaut.png")), "not protected under refused settings");

        felix.configure(FaceProtector.PID, Map.of("erasure.key.file", ""));
        deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !Files.exists(hotOut.resolve("astronaut.png"))) {
            Thread.sleep(200);
        }
        assertTrue(Files.exists(hotOut.resolve("astronaut.png")), "taken once the configuration is put right");
        assertTrue(Files.exists(hotIn.resolve("astronaut.png")), "the original stays where it was dropped");
        ProtectionOutcome serving = null;
        for (int attempt = 0; attempt < 100 && serving == null; attempt++) {
            try {
                serving = protector().protect(ASTRONAUT, work.resolve("again.png"));
            } catch (IOException e) {
                Thread.sleep(200); // the refusal still in force
            }
        }
        assertTrue(serving != null && serving.facesFound(), "a good configuration serves again");
        assertFalse(Restorer.hasPayload(work.resolve("again.png")), "not erasable without a key file");
    }
}
