package org.segue.engine.erasure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.SharedData;
import org.segue.engine.api.ErasureKey;
import org.segue.engine.api.ModelSource;
import org.segue.engine.api.PhotoResult;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.Protector;
import org.segue.engine.api.Restorer;
import org.segue.engine.api.Segue;
import org.segue.engine.photo.TestPhotos;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What erasable protection costs on a real photo (the astronaut portrait, with the shipped detector): the
 * payload's bytes per face and share of the file, and the time to protect and to restore. The figures are
 * printed for docs/security.md; the test checks the round trip and that the payload stays a fraction of the file.
 */
class ErasableOverheadIT {

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }

    @Test
    void stretchingAPassphraseTakesAFractionOfASecond() throws Exception {
        KeyMaterial.Passphrase passphrase = new KeyMaterial.Passphrase("a passphrase long enough".toCharArray());
        long t0 = System.nanoTime();
        KeyMaterial.Keys first = passphrase.keys(passphrase.kdfForNewPayload());
        long t1 = System.nanoTime();
        KeyMaterial.Keys again = passphrase.keys(passphrase.kdfForNewPayload()); // remembered for the same salt
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "ERASABLE Argon2id 64 MiB, 3 passes: %.2f s; again with the same salt: %.4f s%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        assertTrue(java.util.Arrays.equals(first.encryption(), again.encryption()));
        assertTrue((t1 - t0) / 1e9 < 10, "stretching stays usable on a slow machine");
    }

    @Test
    void sizeAndTimeOnTheAstronaut(@TempDir Path dir) throws Exception {
        Path astronaut = SharedData.require("photos/public-domain/astronaut.png");
        BufferedImage image = ImageIO.read(astronaut.toFile());
        Files.write(dir.resolve("astronaut.jpg"), TestPhotos.encode(image, "jpeg"));
        ErasureKey key = ErasureKey.generate();
        try (Protector protector = Segue.open(ModelSource.shipped(), "cpu")) {
            for (Path input : new Path[] {astronaut, dir.resolve("astronaut.jpg")}) {
                String name = input.getFileName().toString();
                Path plain = dir.resolve("plain-" + name);
                Path erasable = dir.resolve("erasable-" + name);
                protector.protect(input, plain, ProtectionOptions.defaults()); // warms the model up
                ProtectionOptions options = ProtectionOptions.builder().erasable(key).build();
                protector.protect(input, erasable, options); // and the erasable path
                Path restored = dir.resolve("restored").resolve(Restorer.restoredFileName(erasable));
                double[] plainTimes = new double[3];
                double[] erasableTimes = new double[3];
                double[] restoreTimes = new double[3];
                PhotoResult result = null;
                org.segue.engine.api.RestoreResult r = null;
                for (int i = 0; i < 3; i++) { // the median of three of each
                    long t0 = System.nanoTime();
                    protector.protect(input, plain, ProtectionOptions.defaults());
                    long t1 = System.nanoTime();
                    result = protector.protect(input, erasable, options);
                    long t2 = System.nanoTime();
                    r = Restorer.restore(erasable, restored, key);
                    long t3 = System.nanoTime();
                    plainTimes[i] = (t1 - t0) / 1e9;
                    erasableTimes[i] = (t2 - t1) / 1e9;
                    restoreTimes[i] = (t3 - t2) / 1e9;
                }
                int faces = result.faces().size();
                assertTrue(faces >= 1, "the shipped detector finds the astronaut's face");
                long plainSize = Files.size(plain);
                long erasableSize = Files.size(erasable);
                long overhead = erasableSize - plainSize;
                int area = result.faces().stream().mapToInt(f -> f.width() * f.height()).sum();
                System.out.printf(Locale.ROOT, "ERASABLE %s %dx%d: %d face(s), regions %d px; protected %d bytes, "
                                + "erasable %d bytes: +%d bytes (%d per face, %.1f%% of the file); payload %d bytes; "
                                + "protect %.2f s (erasable %.2f s), restore %.2f s%n", name, image.getWidth(),
                        image.getHeight(), faces, area, plainSize, erasableSize, overhead, overhead / faces,
                        100.0 * overhead / erasableSize, r.payloadBytes(), median(plainTimes), median(erasableTimes),
                        median(restoreTimes));
                assertEquals(faces, r.regions().size());
                assertTrue(overhead < erasableSize, "the payload is smaller than the photo");
            }
        }
    }
}
