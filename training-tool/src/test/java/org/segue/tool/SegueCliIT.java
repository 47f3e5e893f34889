package org.segue.tool;

import org.segue.engine.ConsoleRun;
import org.segue.engine.training.TinyTrainings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.generator.ModelFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end on a tiny synthetic dataset and a real photo: train, protect, errors. */
class SegueCliIT {

    static ConsoleRun run(String... args) {
        return ConsoleRun.of(SegueCli::execute, args);
    }

    @Test
    void trainsProtectsAndEvaluates(@TempDir Path dir) throws Exception {
        Path data = TinyTrainings.labelledFolder(dir.resolve("data"), 8, 1);
        Path model = dir.resolve("m.segue");
        ConsoleRun train = run("train", "--data", data.toString(), "--output", model.toString(), "--recipe", "cpu",
                "--epochs", "2", "--input-size", "32", "--batch-size", "8", "--pgd-steps", "1", "--pgd-radius", "2", "--view", "1,16",
                "--crop", "1,0.8,10", "--pgd-on", "surrogate-input");
        assertEquals(0, train.exit(), train.err());
        assertTrue(Files.exists(model));
        assertFalse(Files.exists(Path.of(model + ".ckpt")), "the default checkpoint goes once the model is written");
        ModelFile.Contents c = ModelFile.read(model);
        assertEquals("2", c.info().recipe().get("epochs.completed"));
        assertEquals("32", c.info().recipe().get("input.size"));
        assertTrue(c.info().recipe().get("distortion").contains("adversarialRadius=" + 2f / 255f),
                c.info().recipe().get("distortion"));
        assertTrue(c.info().recipe().get("distortion").contains(
                "viewP=1.0, viewMinSize=16, cropMaxRotation=10.0, adversarialOnSurrogateInput=true"),
                c.info().recipe().get("distortion"));

        Path tuned = dir.resolve("tuned.segue");
        ConsoleRun fineTune = run("train", "--data", data.toString(), "--output", tuned.toString(), "--init", model.toString(),
                "--epochs", "1", "--input-size", "32", "--batch-size", "8", "--pgd-steps", "0");
        assertEquals(0, fineTune.exit(), fineTune.err());
        assertEquals("m.segue", ModelFile.read(tuned).info().recipe().get("initial.model"));

    }

    /** Pseudo labels train the generator on the codes automatic grouping gives its groups when protecting. */
    @Test
    void pseudoLabelsTrainOnTheCodesOfAutomaticGrouping(@TempDir Path dir) throws Exception {
        Path data = TinyTrainings.labelledFolder(dir.resolve("data"), 4, 5);
        Path model = dir.resolve("pseudo.segue");
        ConsoleRun r = run("train", "--data", data.toString(), "--output", model.toString(), "--pseudo-labels", "3",
                "--epochs", "1", "--input-size", "32", "--batch-size", "6", "--pgd-steps", "0");
        assertEquals(0, r.exit(), r.err());
        java.util.Map<String, String> recipe = ModelFile.read(model).info().recipe();
        assertEquals(org.segue.engine.generator.SegueModel.GROUP_CODES, recipe.get("codes"));
        try (org.segue.engine.generator.SegueModel m = org.segue.engine.generator.SegueModel.load(model)) {
            assertEquals(org.segue.engine.sideinfo.LabelCode.labelForGroup(2), m.codeForCluster(2));
            assertEquals(org.segue.engine.sideinfo.LabelCode.labelForGroup(1), m.codesFor(List.of("a", "b"))[1]);
        }
    }

    @Test
    void theShippedRecipeTrainsWithNameCodesUnlessToldOtherwise(@TempDir Path dir) throws Exception {
        Path data = TinyTrainings.labelledFolder(dir.resolve("data"), 2, 3);
        Path model = dir.resolve("shipped.segue");
        ConsoleRun r = run("train", "--recipe", "shipped", "--data", data.toString(), "--output", model.toString(),
                "--input-size", "48", "--epochs", "1", "--batch-size", "6");
        assertEquals(0, r.exit(), r.err());
        java.util.Map<String, String> recipe = ModelFile.read(model).info().recipe();
        assertEquals("shipped", recipe.get("recipe"));
        assertEquals("2", recipe.get("perturbation.scale"), "the shipped model's band-limited perturbation");
        assertEquals("shipped.segue.stage2", recipe.get("initial.model"), "the last stage fine-tunes the second's model");
        assertEquals("15", recipe.get("epochs"), "--epochs sets the first stage's; the fine-tunes keep theirs");
        assertFalse(recipe.get("distortion").contains("adversarialOnSurrogateInput=true"), recipe.get("distortion"));
        assertFalse(Files.exists(dir.resolve("shipped.segue.stage1")) || Files.exists(dir.resolve("shipped.segue.stage2")),
                "the intermediate models are deleted");
        assertTrue(recipe.get("codes").startsWith("folder-name codes"), recipe.get("codes"));
        Path indexed = dir.resolve("indexed.segue");
        assertEquals(0, run("train", "--recipe", "shipped", "--codes", "index", "--data", data.toString(), "--output",
                indexed.toString(), "--input-size", "48", "--epochs", "1", "--batch-size", "6").exit());
        assertEquals("label numbers", ModelFile.read(indexed).info().recipe().get("codes"));
        ConsoleRun unknown = run("train", "--recipe", "fast", "--data", data.toString(), "--output", dir.resolve("x.segue").toString());
        assertEquals(2, unknown.exit(), "an unknown recipe is bad usage");
        assertTrue(unknown.err().contains("shipped, cpu, paper"), unknown.err());
    }

    @Test
    void aNamedCheckpointIsKeptAndAnotherRunContinuesFromIt(@TempDir Path dir) throws Exception {
        Path data = TinyTrainings.labelledFolder(dir.resolve("data"), 4, 2);
        Path model = dir.resolve("m.segue");
        Path checkpoint = dir.resolve("work/m.ckpt");
        String[] common = {"--data", data.toString(), "--output", model.toString(), "--input-size", "32",
                "--batch-size", "6", "--pgd-steps", "0", "--checkpoint", checkpoint.toString()};
        ConsoleRun first = run(concat(new String[] {"train", "--epochs", "1"}, common));
        assertEquals(0, first.exit(), first.err());
        assertTrue(Files.isRegularFile(checkpoint), "a checkpoint the user named is kept");
        assertFalse(Files.exists(Path.of(model + ".ckpt")));
        ConsoleRun second = run(concat(new String[] {"train", "--epochs", "2"}, common));
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.err().contains("(found: resuming from it)"), second.err());
        // Only epoch 2 ran in the second invocation; epoch 1 came from the checkpoint.
        assertTrue(second.out().contains("epoch  1") && second.out().contains("epoch  2"), second.out());
        assertEquals("2", ModelFile.read(model).info().recipe().get("epochs.completed"));
    }

    @Test
    void errorsAreMessagesNotStackTraces(@TempDir Path dir) throws Exception {
        ConsoleRun missing = run("train", "--data", dir.resolve("nope").toString(), "--output", dir.resolve("x").toString());
        assertEquals(2, missing.exit(), "a missing path is bad usage");
        assertTrue(missing.err().contains("not found"), missing.err());

        ConsoleRun contradiction = run("train", "--data", dir.toString(), "--output", dir.resolve("y").toString(),
                "--pgd-steps", "0", "--pgd-radius", "2");
        assertEquals(2, contradiction.exit());
        assertTrue(contradiction.err().contains("contradicts"), contradiction.err());

        ConsoleRun badPlace = run("train", "--data", dir.toString(), "--output", dir.resolve("v").toString(), "--pgd-on", "output");
        assertEquals(2, badPlace.exit());
        assertTrue(badPlace.err().contains("--pgd-on must be generator-input or surrogate-input"), badPlace.err());
        ConsoleRun placeWithoutPgd = run("train", "--data", dir.toString(), "--output", dir.resolve("u").toString(),
                "--pgd-steps", "0", "--pgd-on", "surrogate-input");
        assertEquals(2, placeWithoutPgd.exit());
        assertTrue(placeWithoutPgd.err().contains("needs PGD steps"), placeWithoutPgd.err());

        ConsoleRun badView = run("train", "--data", dir.toString(), "--output", dir.resolve("z").toString(), "--view", "0.5,7.5");
        assertEquals(2, badView.exit());
        assertTrue(badView.err().contains("--view takes"), badView.err());

        ConsoleRun badCrop = run("train", "--data", dir.toString(), "--output", dir.resolve("w").toString(), "--crop", "0.5");
        assertEquals(2, badCrop.exit());
        assertTrue(badCrop.err().contains("--crop takes"), badCrop.err());

        assertTrue(missing.err().startsWith("segue: ") && !missing.err().contains("\tat "), "no stack trace: " + missing.err());
        assertEquals(2, run("train").exit(), "missing required options is a usage error");
        ConsoleRun help = run("train", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--pseudo-labels"));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "nothing is written for a command line that is wrong");
        }
    }

    @Test
    void protectsRealPhotosAndCountsFailures(@TempDir Path dir) throws Exception {
        Path shared = Path.of(System.getProperty("segue.shared", "../shared"));
        Path photo = shared.resolve("photos/celeba-wild/id07460/004134.jpg");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(photo), "skipped: " + photo + " is absent");
        Path in = Files.createDirectories(dir.resolve("in/holiday"));
        Files.copy(photo, in.resolve("beach.jpg"));
        Files.write(in.resolve("broken.jpg"), java.util.Arrays.copyOf(Files.readAllBytes(photo), 2000));
        Path out = dir.resolve("out");

        ConsoleRun dry = run("protect", dir.resolve("in").toString(), "--dry-run");
        assertEquals(1, dry.exit(), "the truncated photo counts as failed: " + dry.err());
        assertTrue(dry.out().contains("holiday/beach.jpg: 1 face: "), dry.out());
        assertTrue(!Files.exists(out));

        ConsoleRun r = run("protect", dir.resolve("in").toString(), "--out", out.toString(), "--person", "Jane Roe");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.out().contains("2 photos, 1 face found: 1 protected (strength low, 1 of 255), 0 without a face, "
                + "1 failed"), r.out());
        assertTrue(r.err().contains("failed: holiday/broken.jpg: truncated JPEG") || r.err().contains("failed: holiday/broken.jpg: damaged JPEG"), r.err());
        assertTrue(Files.size(out.resolve("holiday/beach.jpg")) > 10000);
        assertTrue(!Files.readString(out.resolve("protection-report.json")).contains("Jane"));
        assertTrue(!r.out().contains("Jane") && !r.err().contains("Jane"), "person names never reach the output or logs");

        assertEquals(2, run("protect", dir.resolve("in").toString()).exit(), "no --out is a usage error");
        assertEquals(0, run("protect", in.resolve("beach.jpg").toString(), "--out", dir.resolve("one").toString()).exit());
    }

    @Test
    void aDamagedModelIsRefusedBeforeAnyPhotoIsTouched(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        javax.imageio.ImageIO.write(img, "png", in.resolve("photo.png").toFile());
        byte[] original = Files.readAllBytes(in.resolve("photo.png"));
        byte[] good;
        try (java.io.InputStream s = org.segue.engine.generator.SegueModel.class.getResourceAsStream(
                org.segue.engine.generator.SegueModel.DEFAULT_MODEL_RESOURCE)) {
            good = s.readAllBytes();
        }
        byte[] tampered = good.clone();
        tampered[tampered.length - 5] ^= 0x40; // a weight changed, the recorded checksum kept
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        byte[] future = good.clone();
        future[11] = 9; // format version (big-endian int after the 8-byte magic): from a newer Segue
        for (byte[] bad : new byte[][] {tampered, truncated, future}) {
            Path model = dir.resolve("bad.segue");
            Files.write(model, bad);
            Path out = dir.resolve("out");
            ConsoleRun r = run("protect", in.toString(), "--out", out.toString(), "--model", model.toString());
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().startsWith("segue: ") && r.err().contains("bad.segue"), r.err());
            assertTrue(!Files.exists(out), "nothing written when the model is refused");
            assertTrue(java.util.Arrays.equals(original, Files.readAllBytes(in.resolve("photo.png"))));
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
