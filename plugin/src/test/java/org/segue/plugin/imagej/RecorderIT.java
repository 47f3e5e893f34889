package org.segue.plugin.imagej;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Protect Faces dialog on a screen, with ImageJ's macro recorder on: the recorded line holds the person's
 * alias and no name, not even in a remembered folder; the dialog shows the fields of the chosen mode only and
 * has a Help button. Runs ImageJ with a GUI on an Xvfb display in a JVM of its own (the test JVMs are headless);
 * skipped where Xvfb is not installed ({@code apt-get install xvfb}).
 */
class RecorderIT {

    private static Path xvfb() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "Xvfb");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @Test
    void theRecorderWritesAnAliasAndTheDialogFitsTheMode(@TempDir Path dir) throws Exception {
        Path xvfb = xvfb();
        Assumptions.assumeTrue(xvfb != null, "skipped: Xvfb is not installed (apt-get install xvfb)");
        // -displayfd: Xvfb picks a free display and writes its number, so parallel runs do not collide
        Process screen = new ProcessBuilder(xvfb.toString(), "-displayfd", "1", "-screen", "0", "1280x1024x24",
                "-nolisten", "tcp").redirectError(dir.resolve("xvfb.log").toFile()).start();
        try {
            String display;
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(screen.getInputStream()))) {
                display = r.readLine();
            }
            Assumptions.assumeTrue(display != null && display.strip().matches("\\d+"),
                    "skipped: Xvfb did not start: " + Files.readString(dir.resolve("xvfb.log")));
            display = display.strip();
            Path facts = dir.resolve("facts.txt");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx2g", "-Djava.awt.headless=false", "-Dai.djl.offline=true",
                    "-Duser.home=" + dir.resolve("home"), // ImageJ's preferences go here, not into the user's
                    "-cp", System.getProperty("java.class.path"), RecorderDriver.class.getName(), facts.toString()));
            Path photo = Path.of(System.getProperty("segue.shared", "../shared"), "photos/public-domain/astronaut.png");
            boolean face = Files.exists(photo);
            if (face) {
                cmd.add(photo.toString());
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("driver.log").toFile());
            pb.environment().put("DISPLAY", ":" + display);
            Process driver = pb.start();
            boolean ended = driver.waitFor(240, TimeUnit.SECONDS);
            if (!ended) {
                driver.destroyForcibly();
            }
            String log = Files.readString(dir.resolve("driver.log"));
            System.out.println("RecorderDriver's output:\n" + log);
            assertTrue(ended && Files.exists(facts), "the driver ran to its end: " + log);
            String f = Files.readString(facts);
            System.out.println("RecorderDriver's facts:\n" + f);
            assertTrue(f.contains("finished=true"), f + log);
            assertFalse(f.contains("failure="), f + log);
            String recorded = f.substring(f.indexOf("recorded="));
            assertTrue(recorded.contains("run(\"Protect Faces\""), "the run was recorded: " + f);
            assertTrue(recorded.matches("(?s).*person=code:[0-9a-f]{4}.*"), "the alias is recorded: " + recorded);
            assertFalse(recorded.contains("Ada") || recorded.contains("Lovelace"), "no name recorded: " + recorded);
            assertFalse(recorded.contains("input=") || recorded.contains("output="),
                    "no folders recorded for the current image: " + recorded);
            assertTrue(recorded.contains("apply=[Current image]") && recorded.contains("no-face=copy"), recorded);
            assertTrue(f.contains("image mode shows folders=false"), f);
            assertTrue(f.contains("folder mode shows folders=true"), f);
            assertTrue(f.contains("folder mode shows detections=false"), f);
            assertTrue(f.contains("image mode shows detections=true"), f);
            assertTrue(f.contains("help button=true"), f);
            assertTrue(f.contains("preview box=true"), f);
            assertTrue(f.contains("source overlay after=none"), "the preview's outlines go when the dialog closes: " + f);
            if (face) {
                assertTrue(f.contains("preview outlines=1"), "the preview outlines the face: " + f);
                assertTrue(f.contains("result=astronaut-protected.png"), f);
                // a stack with a slice without a face, run by hand: partly protected, and a message says so
                assertTrue(f.contains("stack result=stack-partly-protected partial 1"), f);
                assertTrue(f.matches("(?s).*stack message=[^\\n]*is only partly protected[^\\n]*slice\\(s\\) \\[2\\].*"), f);
            } else {
                assertTrue(f.contains("preview outlines=0"), "the preview ran and found no face: " + f);
                assertTrue(f.contains("message shown"), "no face found in a ramp: a message says so: " + f);
            }
        } finally {
            screen.destroy();
            screen.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
