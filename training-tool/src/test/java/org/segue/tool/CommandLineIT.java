package org.segue.tool;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.ConsoleRun;
import org.segue.engine.training.TinyTrainings;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as its users meet it: the exit-code table command by command (0 done, 1 error or some photos
 * failed, 2 bad usage with nothing written, 130 cancelled), the dry run as text and as JSON, a photo given twice,
 * read-only and immutable originals in place, photos without a face, and help that reads.
 */
class CommandLineIT {

    private static final Path ASTRONAUT = Path.of(System.getProperty("segue.shared", "../shared"))
            .resolve("photos/public-domain/astronaut.png");

    static ConsoleRun run(String... args) {
        return ConsoleRun.of(SegueCli::execute, args);
    }

    /** A smooth gradient: a photo in which no face is found. */
    static Path faceless(Path file, int seed) throws Exception {
        return faceless(file, seed, 160, 120);
    }

    static Path faceless(Path file, int seed, int width, int height) throws Exception {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, ((x + seed) % 256) << 16 | (y * 2 % 256) << 8 | (seed * 40 % 256));
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    private static List<String> tree(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(p -> dir.relativize(p).toString()).filter(s -> !s.isEmpty()).sorted().toList();
        }
    }

    /** A model file with untrained weights whose budget is {@code levels}: what a --budget training records. */
    private static Path modelTrainedFor(int levels, Path file) throws java.io.IOException {
        try (org.segue.engine.generator.SegueModel m = org.segue.engine.generator.SegueModel.create(
                new org.segue.engine.generator.ModelInfo(org.segue.engine.generator.SegueGenerator.ARCHITECTURE,
                        levels / 255f, 32, 32, 16, java.util.Map.of()), ai.djl.Device.cpu())) {
            m.save(file, java.util.Map.of());
        }
        return file;
    }

    private static void usage(ConsoleRun r, String says) {
        assertEquals(2, r.exit(), "bad usage: " + r.err());
        assertTrue(r.err().startsWith("segue: ") && r.err().contains(says), r.err());
        assertTrue(r.err().contains("--help"), "points to the help: " + r.err());
    }

    @Test
    void theExitCodeTableCommandByCommand(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Path photo = faceless(in.resolve("a.png"), 1);
        Path out = dir.resolve("out");
        Path twoLevels = modelTrainedFor(2, dir.resolve("two-levels.segue"));
        List<String> before = tree(dir);

        // 2: bad usage, checked before anything is written (no output folder, no report)
        usage(run("protect", dir.resolve("missing.jpg").toString(), "--out", out.toString()), "no such file or folder");
        usage(run("protect", in.toString(), "--out", out.toString(), "--epsilon", "9"), "strength");
        usage(run("protect", in.toString(), "--out", out.toString(), "--strength", "strong"), "low, medium, high or 1..8");
        usage(run("protect", in.toString(), "--out", out.toString(), "--strength", "9"), "low, medium, high or 1..8");
        usage(run("protect", in.toString(), "--out", out.toString(), "--strength", "high", "--epsilon", "3"),
                "not both");
        usage(run("protect", in.toString(), "--out", out.toString(), "--model", twoLevels.toString(), "--strength",
                "high"), "exceeds the budget");
        usage(run("protect", in.toString(), "--out", out.toString(), "--quality", "0"), "quality");
        usage(run("protect", in.toString(), "--out", in.resolve("protected").toString()), "must not lie inside");
        usage(run("protect", in.toString(), "--out", out.toString(), "--person", "A", "--mapping", photo.toString()),
                "either --person or --mapping");
        usage(run("protect", in.toString()), "--out DIR is required");
        usage(run("protect", in.toString(), "--in-place", "--dry-run"), "cannot be combined");
        usage(run("protect", in.toString(), "--out", out.toString(), "--force"), "--force only applies to --in-place");
        usage(run("protect", in.toString(), "--out", out.toString(), "--no-face", "maybe"), "copy, skip or fail");
        usage(run("protect", in.toString(), "--out", out.toString(), "--model", dir.resolve("none.segue").toString()),
                "model file not found");
        usage(run("protect", in.toString(), "--out", out.toString(), "--device", "tpu"), "--device must be");
        usage(run("protect", in.toString(), "--out", out.toString(), "--mapping", dir.resolve("no.csv").toString()),
                "mapping file not found");
        usage(run("protect", in.toString(), "--out", out.toString(), "--no-such-option"), "no-such-option");
        usage(run("protect", in.toString(), "--out", photo.toString()), "--out must be a folder");
        usage(run("train", "--data", dir.resolve("nothing").toString(), "--output", dir.resolve("m.segue").toString()),
                "training folder not found");
        usage(run("train", "--data", in.toString(), "--output", dir.resolve("m.segue").toString(), "--recipe", "fast"),
                "recipe");
        usage(run("train", "--data", in.toString(), "--output", dir.resolve("m.segue").toString(), "--device", "tpu"),
                "--device must be");
        usage(run("dam-runtime", "--out", out.toString()), "--watch");
        usage(run("no-such-command"), "no-such-command");
        usage(run(), "a command is needed");
        assertEquals(before, tree(dir), "bad usage writes nothing");

        // 0: done; help and version too
        assertEquals(0, run("--help").exit());
        assertEquals(0, run("--version").exit());
        assertEquals(0, run("protect", "--help").exit());
        ConsoleRun done = run("protect", in.toString(), "--out", out.toString());
        assertEquals(0, done.exit(), done.err());
        assertTrue(Files.isRegularFile(out.resolve("a.png")) && Files.isRegularFile(out.resolve("protection-report.json")));

        // 1: some photos failed, or an error
        Files.writeString(in.resolve("broken.jpg"), "text, not a photo");
        ConsoleRun failed = run("protect", in.toString(), "--out", dir.resolve("out2").toString());
        assertEquals(1, failed.exit(), failed.err());
        assertTrue(failed.err().contains("failed: broken.jpg: not a JPEG"), failed.err());
        Path notAModel = Files.writeString(dir.resolve("bad.segue"), "not a model");
        ConsoleRun error = run("protect", photo.toString(), "--out", dir.resolve("out3").toString(), "--model",
                notAModel.toString());
        assertEquals(1, error.exit(), "a damaged model is an error: " + error.err());
        assertFalse(Files.exists(dir.resolve("out3")));
        Path emptyData = Files.createDirectories(dir.resolve("data/ada"));
        Files.writeString(emptyData.resolve("0.png"), "not an image");
        ConsoleRun trainError = run("train", "--data", dir.resolve("data").toString(), "--output",
                dir.resolve("m.segue").toString(), "--input-size", "32", "--epochs", "1");
        assertEquals(1, trainError.exit(), "an unreadable dataset is an error: " + trainError.err());
        assertFalse(trainError.err().contains("\tat "), trainError.err());
    }

    /** 130: Ctrl-C (SIGINT) finishes the photo in hand, writes nothing half, says so, and exits with 130. */
    @Test
    void ctrlCExitsWith130AndLeavesNothingHalfWritten(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(new File("/bin/kill").canExecute() || new File("/usr/bin/kill").canExecute(),
                "skipped: no kill command to send SIGINT");
        Path in = dir.resolve("in");
        for (int i = 0; i < 60; i++) {
            faceless(in.resolve(String.format("p%02d.png", i)), i, 1200, 900); // a few tenths of a second each
        }
        Path out = dir.resolve("out");
        int exit = interrupted(dir, text -> text.contains("% protect"), "protect", in.toString(), "--out", out.toString(),
                "--person", "someone", "--device", "cpu");
        assertEquals(130, exit, Files.readString(dir.resolve("err.txt")));
        String summary = Files.readString(dir.resolve("out.txt"));
        assertTrue(summary.contains("; cancelled"), summary);
        List<String> written = tree(out).stream().filter(n -> n.endsWith(".png")).toList();
        assertTrue(written.size() < 60, "stopped early: " + written.size());
        for (String name : written) { // each written photo is whole
            assertTrue(ImageIO.read(out.resolve(name).toFile()) != null, name);
        }
        assertTrue(tree(out).stream().noneMatch(n -> n.endsWith(".part")), "no temporary file left: " + tree(out));
    }

    /**
     * Runs the command line in a JVM of its own, sends it Ctrl-C (SIGINT) once its standard error shows {@code ready},
     * and returns its exit code; its output is in {@code dir}'s out.txt and err.txt.
     */
    private static int interrupted(Path dir, java.util.function.Predicate<String> ready, String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx2g", "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), SegueCli.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("err.txt").toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!ready.test(Files.readString(dir.resolve("err.txt"))) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(p.isAlive(), "finished before it could be stopped: " + Files.readString(dir.resolve("err.txt")));
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "did not stop");
            return p.exitValue();
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * 130 for train too: Ctrl-C keeps the checkpoint of the last complete epoch and writes no model; the same command
     * resumes from the checkpoint, and once the model is written the checkpoint is gone.
     */
    @Test
    void anInterruptedTrainingExitsWith130AndResumes(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(new File("/bin/kill").canExecute() || new File("/usr/bin/kill").canExecute(),
                "skipped: no kill command to send SIGINT");
        Path data = TinyTrainings.labelledFolder(dir.resolve("data"), 4, 2);
        Path model = dir.resolve("m.segue");
        Path checkpoint = dir.resolve("m.segue.ckpt");
        String[] train = {"train", "--data", data.toString(), "--output", model.toString(), "--epochs", "400",
                "--input-size", "32", "--batch-size", "6", "--pgd-steps", "0", "--device", "cpu"};
        int exit = interrupted(dir, text -> Files.isRegularFile(checkpoint), train);
        assertEquals(130, exit, Files.readString(dir.resolve("err.txt")));
        assertTrue(Files.readString(dir.resolve("err.txt")).contains("run the same job again to resume"),
                Files.readString(dir.resolve("err.txt")));
        assertTrue(Files.isRegularFile(checkpoint), "the checkpoint stays for the rerun");
        assertFalse(Files.exists(model), "no model from a stopped training");

        String[] shorter = train.clone();
        shorter[6] = "2"; // the same job, to an end within reach of a test
        ConsoleRun resumed = run(shorter);
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.err().contains("(found: resuming from it)"), resumed.err());
        assertTrue(Files.isRegularFile(model));
        assertFalse(Files.exists(checkpoint), "the checkpoint goes with the model written");
    }

    @Test
    void theDryRunReadsAsTextAndAsJson(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.exists(ASTRONAUT), "skipped: " + ASTRONAUT + " is absent");
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(ASTRONAUT, in.resolve("astronaut.png"));
        faceless(in.resolve("wall.png"), 3);
        ConsoleRun text = run("protect", in.toString(), "--dry-run");
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().matches("(?s).*astronaut\\.png: 1 face: \\d+x\\d+ at \\(\\d+,\\d+\\)\\n.*"), text.out());
        assertTrue(text.out().contains("wall.png: no face found"), text.out());
        assertTrue(text.out().contains("2 photos, 1 face found: 1 with faces (dry run: no photo written), "
                + "1 without a face, 0 failed"), text.out());
        assertTrue(text.out().contains("No face found, nothing protected") && text.out().contains("  wall.png"), text.out());
        assertFalse(text.out().contains("FaceBox") || text.out().contains("["), "no Java record syntax: " + text.out());

        ConsoleRun json = run("protect", in.toString(), "--dry-run", "--json");
        assertEquals(0, json.exit(), json.err());
        JsonObject tree = JsonParser.parseString(json.out()).getAsJsonObject();
        assertEquals(2, tree.get("photos").getAsInt());
        JsonArray reports = tree.getAsJsonArray("reports");
        JsonObject astronaut = reports.get(0).getAsJsonObject();
        assertEquals("astronaut.png", astronaut.get("photo").getAsString());
        assertEquals("detected", astronaut.get("status").getAsString());
        JsonObject face = astronaut.getAsJsonArray("faces").get(0).getAsJsonObject();
        assertTrue(face.get("width").getAsInt() > 50 && face.has("x") && face.has("y") && face.has("height"), face.toString());
        assertEquals("wall.png", tree.getAsJsonArray("withoutFaces").get(0).getAsString());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    /** Each preset reaches the photo: the report's largest change is the preset's, and the summary names it. */
    @Test
    void theStrengthPresetsSetTheLargestChange(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ASTRONAUT), "needs ../shared: " + ASTRONAUT);
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        Files.copy(ASTRONAUT, in.resolve("astronaut.png"));
        for (String preset : new String[] {null, "high"}) {
            Path out = dir.resolve("out-" + preset);
            ConsoleRun r = preset == null ? run("protect", in.toString(), "--out", out.toString())
                    : run("protect", in.toString(), "--out", out.toString(), "--strength", preset);
            assertEquals(0, r.exit(), r.err());
            int levels = preset == null ? org.segue.engine.api.StrengthPreset.DEFAULT.levels()
                    : org.segue.engine.api.StrengthPreset.parse(preset);
            assertTrue(r.out().contains("1 protected (strength "
                    + org.segue.engine.api.StrengthPreset.describe(levels) + ")"), r.out());
            JsonObject report = JsonParser.parseString(Files.readString(out.resolve("protection-report.json")))
                    .getAsJsonObject().getAsJsonArray("reports").get(0).getAsJsonObject();
            assertEquals("protected", report.get("status").getAsString());
            assertEquals(levels, report.get("maxChange").getAsInt(), "preset " + preset);
        }
    }

    @Test
    void aPhotoGivenTwiceIsProtectedOnce(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Path a = faceless(in.resolve("a.png"), 4);
        ConsoleRun r = run("protect", a.toString(), a.toString(), in.toString(), "--out", dir.resolve("out").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("1 photo, 0 faces found"), r.out());
    }

    @Test
    void photosWithoutAFaceAreListedAndNeverCalledProtected(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        faceless(in.resolve("wall.png"), 5);
        faceless(in.resolve("sky.png"), 6);
        ConsoleRun copy = run("protect", in.toString(), "--out", dir.resolve("copy").toString());
        assertEquals(0, copy.exit(), copy.err());
        assertTrue(copy.out().contains("2 photos, 0 faces found: 0 protected, 2 without a face (copied unprotected, "
                + "metadata cleaned), 0 failed"), copy.out());
        assertTrue(copy.out().contains("No face found, nothing protected") && copy.out().contains("  sky.png")
                && copy.out().contains("  wall.png"), copy.out());
        assertTrue(Files.isRegularFile(dir.resolve("copy/wall.png")));
        assertTrue(Files.readString(dir.resolve("copy/protection-report.json")).contains("\"status\": \"no_face\""));

        ConsoleRun skip = run("protect", in.toString(), "--out", dir.resolve("skip").toString(), "--no-face", "skip");
        assertEquals(0, skip.exit(), skip.err());
        assertTrue(skip.out().contains("2 without a face (not written)"), skip.out());
        assertFalse(Files.exists(dir.resolve("skip/wall.png")));

        ConsoleRun fail = run("protect", in.toString(), "--out", dir.resolve("fail").toString(), "--no-face", "FAIL");
        assertEquals(1, fail.exit(), fail.err());
        assertTrue(fail.err().contains("failed: wall.png: no face found"), fail.err());
        assertFalse(Files.exists(dir.resolve("fail/wall.png")));
    }

    /** The astronaut turned by {@code degrees} about the centre, on a canvas that holds all of it. */
    private static Path turned(Path file, double degrees) throws Exception {
        BufferedImage src = ImageIO.read(ASTRONAUT.toFile());
        double r = Math.toRadians(degrees);
        int w = (int) Math.ceil(Math.abs(src.getWidth() * Math.cos(r)) + Math.abs(src.getHeight() * Math.sin(r)));
        int h = (int) Math.ceil(Math.abs(src.getWidth() * Math.sin(r)) + Math.abs(src.getHeight() * Math.cos(r)));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.translate(w / 2.0, h / 2.0);
        g.rotate(r);
        g.drawImage(src, -src.getWidth() / 2, -src.getHeight() / 2, null);
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(out, "png", file.toFile());
        return file;
    }

    /** The astronaut shrunk until her face is about 10 px wide, on a 640x480 canvas: below what any detector finds. */
    private static Path tiny(Path file) throws Exception {
        BufferedImage src = ImageIO.read(ASTRONAUT.toFile());
        BufferedImage out = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(java.awt.Color.GRAY);
        g.fillRect(0, 0, 640, 480);
        g.drawImage(src, 300, 200, src.getWidth() / 10, src.getHeight() / 10, null);
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(out, "png", file.toFile());
        return file;
    }

    /**
     * A face the detector may find (tilted 35 degrees) and one it misses (10 px wide): whatever the detector finds,
     * a photo is reported protected only with the faces that were protected, and one where none was found is listed
     * by name as not protected.
     */
    @Test
    void aMissedFaceIsNeverReportedProtected(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.exists(ASTRONAUT), "skipped: " + ASTRONAUT + " is absent");
        Path in = dir.resolve("in");
        turned(in.resolve("tilted.png"), 35);
        tiny(in.resolve("tiny.png"));
        ConsoleRun r = run("protect", in.toString(), "--out", dir.resolve("out").toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonObject tree = JsonParser.parseString(r.out()).getAsJsonObject();
        List<String> without = new ArrayList<>();
        tree.getAsJsonArray("withoutFaces").forEach(e -> without.add(e.getAsString()));
        for (var e : tree.getAsJsonArray("reports")) {
            JsonObject photo = e.getAsJsonObject();
            String name = photo.get("photo").getAsString();
            int faces = photo.getAsJsonArray("faces").size();
            String status = photo.get("status").getAsString();
            System.out.println(name + ": " + faces + " face(s), " + status);
            assertEquals(faces > 0 ? "protected" : "no_face", status, name);
            assertEquals(faces == 0, without.contains(name), name + " in withoutFaces");
        }
        assertEquals(2, tree.getAsJsonArray("reports").size());
        assertEquals(List.of("tiny.png"), without, "the 10 px face is missed and listed; the tilted one is found: " + r.out());
    }

    @Test
    void inPlaceKeepsReadOnlyOriginalsUnlessForced(@TempDir Path dir) throws Exception {
        Path photo = faceless(dir.resolve("in/locked.png"), 7);
        Files.setPosixFilePermissions(photo, PosixFilePermissions.fromString("r--r--r--"));
        byte[] original = Files.readAllBytes(photo);
        ConsoleRun kept = run("protect", photo.toString(), "--in-place");
        assertEquals(1, kept.exit(), kept.err());
        assertTrue(kept.err().contains("failed: locked.png: read-only file") && kept.err().contains("--force"), kept.err());
        assertArrayEquals(original, Files.readAllBytes(photo));

        Object file = Files.getAttribute(photo, "unix:ino");
        ConsoleRun forced = run("protect", photo.toString(), "--in-place", "--force");
        assertEquals(0, forced.exit(), forced.err());
        assertFalse(file.equals(Files.getAttribute(photo, "unix:ino")), "replaced by a new file");
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(photo)));
    }

    @Test
    void anImmutableFileGetsAClearMessage(@TempDir Path dir) throws Exception {
        Path photo = faceless(dir.resolve("in/frozen.png"), 8);
        Assumptions.assumeTrue(chattr("+i", photo), "skipped: chattr +i is not available here");
        try {
            ConsoleRun r = run("protect", photo.toString(), "--in-place", "--force");
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().contains("frozen.png") && r.err().contains("immutable or locked"), r.err());
            assertFalse(r.err().contains("FileSystemException") || r.err().contains(".part")
                    || r.err().contains(".frozen.png."), "no raw exception, no temporary file: " + r.err());
        } finally {
            chattr("-i", photo);
        }
    }

    private static boolean chattr(String flag, Path file) {
        try {
            Process p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Help reads: within 80 columns, wrapped where the width ends (a line never stops early while its next word would
     * have fitted: the mark of hand-broken lines wrapped again), and every command lists its exit codes, 130 too.
     */
    @Test
    void helpReadsAndListsTheExitCodes() {
        for (String[] command : List.of(new String[] {"--help"}, new String[] {"protect", "--help"},
                new String[] {"train", "--help"})) {
            ConsoleRun help = run(command);
            assertEquals(0, help.exit(), String.join(" ", command));
            String[] lines = help.out().split("\\R");
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].length() > 80) {
                    problems.add("wider than 80: " + lines[i]);
                }
                if (i + 1 < lines.length && ragged(lines[i], lines[i + 1])) {
                    problems.add("wrapped early: '" + lines[i] + "' / '" + lines[i + 1] + "'");
                }
            }
            assertEquals(List.of(), problems, String.join(" ", command) + ":\n" + help.out());
            assertTrue(help.out().contains("Exit codes") && help.out().matches("(?s).*\\n  130 +cancelled.*"),
                    help.out());
            assertTrue(help.out().matches("(?s).*\\n  2 +bad usage.*"), help.out());
        }
    }

    /** A line followed by a continuation of the same text (same indent) whose first word would have fitted on it. */
    private static boolean ragged(String line, String next) {
        String text = line.strip();
        String following = next.strip();
        if (text.isEmpty() || following.isEmpty() || text.startsWith("Usage:") || following.startsWith("-") || Character.isDigit(following.charAt(0))
                || following.startsWith("[") || following.startsWith("Usage")) {
            return false;
        }
        int indent = line.length() - line.stripLeading().length();
        int nextIndent = next.length() - next.stripLeading().length();
        // a paragraph's next line (at the margin), or a description's hanging continuation; never a table's next row
        boolean continues = (nextIndent == indent && (indent == 0 || indent >= 20)) || (nextIndent > indent && nextIndent >= 20);
        if (text.startsWith("-") && !text.contains("  ")) {
            return false; // an option too long for its column: picocli starts its description on the next line
        }
        String firstWord = following.split(" ")[0];
        // picocli fills its columns to 79 characters, keeping the 80th free
        return continues && line.stripTrailing().length() + 1 + firstWord.length() <= 79 && !text.endsWith(":");
    }

    @Test
    void trainingLeavesNoCheckpointBesideTheModel(@TempDir Path dir) throws Exception {
        Path data = TinyTrainings.labelledFolder(dir.resolve("data"), 4, 2);
        Path model = dir.resolve("m.segue");
        ConsoleRun r = run("train", "--data", data.toString(), "--output", model.toString(), "--epochs", "1",
                "--input-size", "32", "--batch-size", "6", "--pgd-steps", "0");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("m.segue"), Files.list(dir).map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("m.segue")).toList(), "only the model beside the model");
    }
}
