package org.segue.tool.osgi;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code segue dam-runtime} as a user starts it, in its own process from a folder of its own: everything it
 * keeps (the framework cache, the hot folder's state and status) goes into its one work folder, nothing into
 * the folder it was started in, and the framework cache is gone once it stops. Its no-face policy is in force
 * before the first photo is taken, photos waiting in the inbox at its start included.
 */
class DamRuntimeIT {

    @TempDir
    Path dir;

    @Test
    void theRuntimeKeepsItsStateInItsWorkFolderAndNothingWhereItWasStarted() throws Exception {
        Path jar = Path.of("target/segue.jar").toAbsolutePath();
        Assumptions.assumeTrue(Files.exists(jar), "needs the packaged target/segue.jar");
        Path startedIn = Files.createDirectories(dir.resolve("started-here"));
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        int waiting = 6;
        for (int i = 0; i < waiting; i++) { // there before the runtime starts: taken at once, under skip too
            ImageIO.write(OsgiIntegrationIT.synthetic(96, 72, 100 + i), "png", inbox.resolve("early" + i + ".png").toFile());
        }
        Path work = dir.resolve("state");
        Path log = dir.resolve("runtime.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Xmx2g", "-jar", jar.toString(), "dam-runtime", "--watch", "../inbox",
                "--out", "../protected", "--work", "../state", "--quiet-seconds", "0", "--no-face", "skip")
                .directory(startedIn.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!Files.readString(log).contains("Ctrl-C stops")) {
                assertTrue(p.isAlive(), "the runtime stopped:\n" + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "not started within 180 s:\n" + Files.readString(log));
                Thread.sleep(200);
            }
            ImageIO.write(OsgiIntegrationIT.synthetic(96, 72, 5), "png", inbox.resolve("wall.png").toFile());
            Path status = work.resolve("hotfolder-status.txt");
            while (!(Files.exists(status) && Files.readString(status).contains("no face\twall.png\t")
                    && Files.readString(status).contains("# protected 0, no face " + (waiting + 1) + ","))) {
                assertTrue(System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(60), "not handled:\n"
                        + (Files.exists(status) ? Files.readString(status) : "(no status)") + Files.readString(log));
                Thread.sleep(200);
            }
            try (Stream<Path> s = Files.list(Files.createDirectories(dir.resolve("protected")))) {
                assertEquals(List.of(), s.toList(), "no unprotected copy under --no-face skip:\n" + Files.readString(status));
            }
            assertTrue(Files.isDirectory(work.resolve("felix-cache")), "the framework cache is in the work folder");
            try (Stream<Path> s = Files.walk(work.resolve("felix-cache"))) {
                List<Path> copies = s.filter(f -> f.getFileName().toString().equals("bundle.jar")).toList();
                assertEquals(List.of(), copies, "bundles are read in place, not copied into the cache");
            }
            try (Stream<Path> s = Files.walk(work.resolve("felix-cache"))) {
                long bytes = s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
                System.out.printf("dam-runtime: framework cache %.0f MB while running%n", bytes / 1e6);
            }
            try (Stream<Path> s = Files.list(startedIn)) {
                assertEquals(List.of(), s.toList(), "nothing written where it was started");
            }
            Process second = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString(), "dam-runtime", "--watch", "../inbox2", "--out", "../protected2",
                    "--work", "../state").directory(startedIn.toFile()).redirectErrorStream(true).start();
            String said = new String(second.getInputStream().readAllBytes());
            assertTrue(second.waitFor(120, TimeUnit.SECONDS));
            assertEquals(1, second.exitValue(), said);
            assertTrue(said.contains("another dam-runtime uses the work folder"), said);
            assertTrue(Files.isDirectory(work.resolve("felix-cache/bundle1")), "the first one's cache untouched");
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook stops the framework
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "stopped");
        }
        assertFalse(Files.exists(work.resolve("felix-cache")), "the framework cache is removed when it stops:\n"
                + Files.readString(log));
        assertTrue(Files.exists(work.resolve("hotfolder-status.txt")), "the status stays for the user");
    }
}
