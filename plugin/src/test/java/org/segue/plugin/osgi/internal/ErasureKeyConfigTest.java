package org.segue.plugin.osgi.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.api.ErasureKey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protector configuration's erasure.key.file: read at activation, a bad one refused naming the file only. */
class ErasureKeyConfigTest {

    @Test
    void anEmptyValueIsNotErasable() {
        assertNull(FaceProtectorComponent.erasureKey(""));
        assertNull(FaceProtectorComponent.erasureKey("  "));
        assertNull(FaceProtectorComponent.erasureKey(null));
    }

    @Test
    void aKeyFileIsRead(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("archive.key");
        ErasureKey.generate().write(key);
        ErasureKey read = FaceProtectorComponent.erasureKey(key.toString());
        assertNotNull(read);
        assertFalse(read.isPassphrase());
        assertFalse(read.toString().contains(Files.readAllLines(key, StandardCharsets.US_ASCII).get(1)));
    }

    @Test
    void aMissingOrDamagedKeyFileRefusesTheConfigurationWithoutTheKey(@TempDir Path dir) throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> FaceProtectorComponent.erasureKey(dir.resolve("absent.key").toString()));
        assertTrue(missing.getMessage().startsWith("erasure.key.file: ") && missing.getMessage().contains("absent.key"),
                missing.getMessage());
        assertTrue(missing.getMessage().contains("segue keygen"), missing.getMessage());

        Path damaged = dir.resolve("damaged.key");
        String line = "segue-erasure-key 1\nQUJDREVGR0hJSktMTU5PUA==\n"; // Base64, but 128 bits
        Files.writeString(damaged, line, StandardCharsets.US_ASCII);
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
                () -> FaceProtectorComponent.erasureKey(damaged.toString()));
        assertTrue(shortKey.getMessage().contains("damaged.key") && shortKey.getMessage().contains("256 bits"),
                shortKey.getMessage());
        assertFalse(shortKey.getMessage().contains("QUJDREVGR0hJSktMTU5PUA"), "the key line is never repeated");

        Path notAKey = dir.resolve("photo.key");
        Files.writeString(notAKey, "hello\nworld\n");
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> FaceProtectorComponent.erasureKey(notAKey.toString()));
        assertTrue(foreign.getMessage().contains("not a Segue erasure key file"), foreign.getMessage());
        assertFalse(foreign.getMessage().contains("world"));
    }
}
