package org.segue.tool.osgi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.tool.osgi.slowstop.SlowStopActivator;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closing the runtime: its cache is removed only once the framework has stopped, however long a bundle takes. */
class FelixRuntimeTest {

    @TempDir
    Path dir;

    @Test
    void theFrameworkWaitsLongerThanTheHotFolderForTheWorkInHand() {
        assertTrue(FelixRuntime.STOP_WAIT_MILLIS > 120_000, "the hot folder gives its photo in hand up to 120 s");
    }

    @Test
    void aFrameworkStillStoppingKeepsItsCache() throws Exception {
        Path bundles = Files.createDirectories(dir.resolve("bundles"));
        slowStopBundle(bundles.resolve("slow-stop.jar"));
        Path release = dir.resolve("release");
        System.setProperty("segue.test.release", release.toString());
        try {
            FelixRuntime runtime = FelixRuntime.start(bundles, dir.resolve("cache"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> runtime.close(1000));
            assertTrue(e.getMessage().contains("left in place"), e.getMessage());
            assertTrue(Files.isDirectory(dir.resolve("cache")), "the cache stays while the bundle is stopping");
            Files.createFile(release);
            runtime.close(60_000);
            assertFalse(Files.exists(dir.resolve("cache")), "removed once stopped");
        } finally {
            System.clearProperty("segue.test.release");
        }
    }

    /** A bundle jar holding only {@link SlowStopActivator}. */
    private static void slowStopBundle(Path jar) throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.segue.test.slowstop");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Activator", SlowStopActivator.class.getName());
        a.putValue("Import-Package", "org.osgi.framework");
        String entry = SlowStopActivator.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m);
             var in = SlowStopActivator.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }
}
