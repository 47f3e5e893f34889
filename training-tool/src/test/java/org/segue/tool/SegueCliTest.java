package org.segue.tool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.data.ImageCodec;
import org.segue.engine.data.RgbImage;
import org.segue.engine.model.ModelFile;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end on a tiny synthetic dataset: train, protect, evaluate, errors. */
class SegueCliTest {

    static Path syntheticDataset(Path root, int perClass, long seed) throws Exception {
        Random r = new Random(seed);
        for (int c = 0; c < 3; c++) {
            Path dir = Files.createDirectories(root.resolve("person" + c));
            for (int i = 0; i < perClass; i++) {
                float[] chw = new float[3 * 36 * 36];
                for (int j = 0; j < chw.length; j++) {
                    // class-dependent colour plus noise, so the attacker has something to learn
                    chw[j] = Math.min(1f, Math.max(0f, 0.25f * (c + 1) * ((j / (36 * 36)) == c ? 1.5f : 0.6f)
                            + 0.1f * (float) r.nextGaussian()));
                }
                ImageCodec.writePng(new RgbImage(chw, 36, 36), dir.resolve(i + ".png"));
            }
        }
        return root;
    }

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            int exit = SegueCli.execute(args);
            return new Run(exit, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The generator benchmark writes its table and JSON: one figure per setting, timed runs, peak memory. */
    @Test
    void benchWritesTableAndJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Path markdown = dir.resolve("bench.md");
        Run bench = run("bench", "--sizes", "32", "--batches", "2", "--repeats", "2", "--generator-only",
                "--json", json.toString(), "--markdown", markdown.toString());
        assertEquals(0, bench.exit(), bench.err());
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        com.google.gson.JsonObject r = o.getAsJsonArray("results").get(0).getAsJsonObject();
        assertEquals(32, r.get("inputSize").getAsInt());
        assertEquals(2, r.getAsJsonObject("facesPerSecond").getAsJsonArray("runs").size());
        assertTrue(r.getAsJsonObject("facesPerSecond").get("median").getAsDouble() > 0);
        assertTrue(r.get("gflopPerFace").getAsDouble() > 0);
        assertTrue(Files.readString(markdown).contains("| 32 | 2 |"), Files.readString(markdown));
        assertEquals(1, run("bench", "--repeats", "0").exit(), "a bad option value is refused");
    }

    @Test
    void trainsProtectsAndEvaluates(@TempDir Path dir) throws Exception {
        Path data = syntheticDataset(dir.resolve("data"), 8, 1);
        Path model = dir.resolve("m.segue");
        Run train = run("train", "--data", data.toString(), "--output", model.toString(), "--recipe", "cpu",
                "--epochs", "2", "--input-size", "32", "--batch-size", "8", "--pgd-steps", "1", "--pgd-radius", "2", "--view", "1,16",
                "--crop", "1,0.8,10", "--pgd-on", "surrogate-input");
        assertEquals(0, train.exit(), train.err());
        assertTrue(Files.exists(model));
        assertTrue(Files.exists(Path.of(model + ".ckpt")), "checkpoint kept for resuming");
        ModelFile.Contents c = ModelFile.read(model);
        assertEquals("2", c.info().recipe().get("epochs.completed"));
        assertEquals("32", c.info().recipe().get("input.size"));
        assertTrue(c.info().recipe().get("distortion").contains("adversarialRadius=" + 2f / 255f),
                c.info().recipe().get("distortion"));
        assertTrue(c.info().recipe().get("distortion").contains(
                "viewP=1.0, viewMinSize=16, cropMaxRotation=10.0, adversarialOnSurrogateInput=true"),
                c.info().recipe().get("distortion"));

        Path tuned = dir.resolve("tuned.segue");
        Run fineTune = run("train", "--data", data.toString(), "--output", tuned.toString(), "--init", model.toString(),
                "--epochs", "1", "--input-size", "32", "--batch-size", "8", "--pgd-steps", "0");
        assertEquals(0, fineTune.exit(), fineTune.err());
        assertEquals("m.segue", ModelFile.read(tuned).info().recipe().get("initial.model"));

        Path out = dir.resolve("protected");
        Run protect = run("protect-dataset", "--model", model.toString(), "--input", data.toString(),
                "--output", out.toString());
        assertEquals(0, protect.exit(), protect.err());
        try (Stream<Path> s = Files.walk(out)) {
            assertEquals(24, s.filter(p -> p.toString().endsWith(".png")).count());
        }

        Path json = dir.resolve("eval.json");
        Run eval = run("evaluate", "--train", out.toString(), "--test", data.toString(), "--input-size", "32",
                "--epochs", "1", "--json", json.toString());
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.out().contains("clean test accuracy"), eval.out());
        assertTrue(Files.readString(json).contains("\"testAccuracy\""));
    }

    @Test
    void protectsWithBaselinesAndRecordsHowTheNoiseWasFound(@TempDir Path dir) throws Exception {
        Path data = syntheticDataset(dir.resolve("data"), 4, 3);
        Path json = dir.resolve("ue.json");
        Run ue = run("protect-baseline", "--method", "ue-class", "--input", data.toString(), "--output",
                dir.resolve("ue").toString(), "--input-size", "16", "--max-rounds", "2", "--json", json.toString());
        assertEquals(0, ue.exit(), ue.err());
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals("ue-class", o.get("method").getAsString());
        int rounds = o.get("rounds").getAsInt();
        assertTrue(rounds >= 1 && rounds <= 2, "rounds " + rounds);
        assertEquals(rounds, o.getAsJsonArray("roundAccuracies").size());
        assertEquals(o.get("converged").getAsBoolean(), o.get("noisyTrainAccuracy").getAsDouble() >= 0.9,
                "converged means the class-wise stopping accuracy (90%) was reached");
        assertTrue(o.get("seconds").getAsDouble() > 0);
        try (Stream<Path> s = Files.walk(dir.resolve("ue"))) {
            assertEquals(12, s.filter(p -> p.toString().endsWith(".png")).count());
        }
        Path lspJson = dir.resolve("lsp.json");
        Run lsp = run("protect-baseline", "--method", "lsp", "--input", data.toString(), "--output",
                dir.resolve("lsp").toString(), "--patch-size", "4", "--json", lspJson.toString());
        assertEquals(0, lsp.exit(), lsp.err());
        com.google.gson.JsonObject l = com.google.gson.JsonParser.parseString(Files.readString(lspJson)).getAsJsonObject();
        assertEquals(4, l.get("patchSize").getAsInt());
        assertEquals(8 / 255.0, l.get("rmsEps").getAsDouble(), 1e-6);
        Run badPatch = run("protect-baseline", "--method", "lsp", "--input", data.toString(), "--output",
                dir.resolve("lsp0").toString(), "--patch-size", "0");
        assertEquals(1, badPatch.exit());
        assertTrue(badPatch.err().contains("patch size"), badPatch.err());
        assertFalse(Files.exists(dir.resolve("lsp0")), "nothing written for a refused configuration");
        Run again = run("protect-baseline", "--method", "lsp", "--input", data.toString(), "--output",
                dir.resolve("lsp").toString());
        assertEquals(1, again.exit(), "an existing output folder is never written into");
    }

    @Test
    void theShippedRecipeTrainsWithNameCodesUnlessToldOtherwise(@TempDir Path dir) throws Exception {
        Path data = syntheticDataset(dir.resolve("data"), 2, 3);
        Path model = dir.resolve("shipped.segue");
        Run r = run("train", "--recipe", "shipped", "--data", data.toString(), "--output", model.toString(),
                "--input-size", "48", "--epochs", "1", "--batch-size", "6");
        assertEquals(0, r.exit(), r.err());
        java.util.Map<String, String> recipe = ModelFile.read(model).info().recipe();
        assertEquals("shipped", recipe.get("recipe"));
        assertEquals("2", recipe.get("perturbation.scale"), "the shipped model's band-limited perturbation");
        assertEquals("shipped.segue.stage1", recipe.get("initial.model"), "the second stage fine-tunes the first's model");
        assertEquals("12", recipe.get("epochs"), "--epochs sets the first stage's; the fine-tune keeps its 12");
        assertTrue(recipe.get("distortion").contains("adversarialOnSurrogateInput=true"), recipe.get("distortion"));
        assertFalse(Files.exists(dir.resolve("shipped.segue.stage1")), "the intermediate model is deleted");
        assertTrue(recipe.get("codes").startsWith("folder-name codes"), recipe.get("codes"));
        Path indexed = dir.resolve("indexed.segue");
        assertEquals(0, run("train", "--recipe", "shipped", "--codes", "index", "--data", data.toString(), "--output",
                indexed.toString(), "--input-size", "48", "--epochs", "1", "--batch-size", "6").exit());
        assertEquals("label numbers", ModelFile.read(indexed).info().recipe().get("codes"));
        Run unknown = run("train", "--recipe", "fast", "--data", data.toString(), "--output", dir.resolve("x.segue").toString());
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("shipped, cpu, paper"), unknown.err());
    }

    @Test
    void rerunningTrainResumesFromTheCheckpoint(@TempDir Path dir) throws Exception {
        Path data = syntheticDataset(dir.resolve("data"), 4, 2);
        Path model = dir.resolve("m.segue");
        String[] common = {"--data", data.toString(), "--output", model.toString(), "--input-size", "32",
                "--batch-size", "6", "--pgd-steps", "0"};
        assertEquals(0, run(concat(new String[] {"train", "--epochs", "1"}, common)).exit());
        Run second = run(concat(new String[] {"train", "--epochs", "2"}, common));
        assertEquals(0, second.exit(), second.err());
        // Only epoch 2 ran in the second invocation; epoch 1 came from the checkpoint.
        assertTrue(second.out().contains("epoch  1") && second.out().contains("epoch  2"), second.out());
        assertEquals("2", ModelFile.read(model).info().recipe().get("epochs.completed"));
    }

    @Test
    void errorsAreMessagesNotStackTraces(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.segue");
        Files.writeString(bad, "garbage");
        Run r = run("protect-dataset", "--model", bad.toString(), "--input", dir.toString(), "--output",
                dir.resolve("..").resolve("elsewhere").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("segue: "), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());

        Run missing = run("train", "--data", dir.resolve("nope").toString(), "--output", dir.resolve("x").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("not found"), missing.err());

        Run contradiction = run("train", "--data", dir.toString(), "--output", dir.resolve("y").toString(),
                "--pgd-steps", "0", "--pgd-radius", "2");
        assertEquals(1, contradiction.exit());
        assertTrue(contradiction.err().contains("contradicts"), contradiction.err());

        Run badPlace = run("train", "--data", dir.toString(), "--output", dir.resolve("v").toString(), "--pgd-on", "output");
        assertEquals(1, badPlace.exit());
        assertTrue(badPlace.err().contains("--pgd-on must be generator-input or surrogate-input"), badPlace.err());
        Run placeWithoutPgd = run("train", "--data", dir.toString(), "--output", dir.resolve("u").toString(),
                "--pgd-steps", "0", "--pgd-on", "surrogate-input");
        assertEquals(1, placeWithoutPgd.exit());
        assertTrue(placeWithoutPgd.err().contains("needs PGD steps"), placeWithoutPgd.err());

        Run badView = run("train", "--data", dir.toString(), "--output", dir.resolve("z").toString(), "--view", "0.5,7.5");
        assertEquals(1, badView.exit());
        assertTrue(badView.err().contains("--view takes"), badView.err());

        Run badCrop = run("train", "--data", dir.toString(), "--output", dir.resolve("w").toString(), "--crop", "0.5");
        assertEquals(1, badCrop.exit());
        assertTrue(badCrop.err().contains("--crop takes"), badCrop.err());

        assertEquals(2, run("train").exit(), "missing required options is a usage error");
        Run help = run("protect-dataset", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--pseudo-labels"));
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

        Run dry = run("protect", dir.resolve("in").toString(), "--dry-run");
        assertEquals(1, dry.exit(), "the truncated photo counts as failed: " + dry.err());
        assertTrue(dry.out().contains("holiday/beach.jpg: 1 face(s)"), dry.out());
        assertTrue(!Files.exists(out));

        Run r = run("protect", dir.resolve("in").toString(), "--out", out.toString(), "--person", "Jane Roe");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.out().contains("2 photo(s), 1 face(s) found, 1 protected file(s) written"), r.out());
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
        try (java.io.InputStream s = org.segue.engine.SegueModel.class.getResourceAsStream(
                org.segue.engine.SegueModel.DEFAULT_MODEL_RESOURCE)) {
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
            Run r = run("protect", in.toString(), "--out", out.toString(), "--model", model.toString());
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
