package org.segue.lab;

import org.segue.engine.ConsoleRun;
import org.segue.engine.training.TinyTrainings;
import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.generator.ModelInfo;
import org.segue.engine.generator.SegueGenerator;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.DjlRuntime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab's commands end to end on a tiny synthetic dataset: protect a dataset, evaluate, baselines, bench. */
class LabCliIT {

    static ConsoleRun run(String... args) {
        return ConsoleRun.of(LabCli::execute, args);
    }

    /** The generator benchmark writes its table and JSON: one figure per setting, timed runs, peak memory. */
    @Test
    void benchWritesTableAndJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Path markdown = dir.resolve("bench.md");
        ConsoleRun bench = run("bench", "--sizes", "32", "--batches", "2", "--repeats", "2", "--generator-only",
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
    void protectsADatasetAndEvaluatesIt(@TempDir Path dir) throws Exception {
        Path data = TinyTrainings.labelledFolder(dir.resolve("data"), 8, 1);
        Path model = dir.resolve("m.segue");
        DjlRuntime.engine().setRandomSeed(1);
        try (SegueModel m = SegueModel.create(new ModelInfo(SegueGenerator.ARCHITECTURE, 8f / 255f, 32, 32, 16, Map.of()),
                Device.cpu())) {
            m.save(model, Map.of());
        }
        Path out = dir.resolve("protected");
        ConsoleRun protect = run("protect-dataset", "--model", model.toString(), "--input", data.toString(),
                "--output", out.toString());
        assertEquals(0, protect.exit(), protect.err());
        try (Stream<Path> s = Files.walk(out)) {
            assertEquals(24, s.filter(p -> p.toString().endsWith(".png")).count());
        }

        Path json = dir.resolve("eval.json");
        ConsoleRun eval = run("evaluate", "--train", out.toString(), "--test", data.toString(), "--input-size", "32",
                "--epochs", "1", "--json", json.toString());
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.out().contains("clean test accuracy"), eval.out());
        assertTrue(Files.readString(json).contains("\"testAccuracy\""));
    }

    @Test
    void errorsAreMessagesNotStackTraces(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.segue");
        Files.writeString(bad, "garbage");
        ConsoleRun r = run("protect-dataset", "--model", bad.toString(), "--input", dir.toString(), "--output",
                dir.resolve("..").resolve("elsewhere").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("segue-lab: "), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        ConsoleRun help = run("protect-dataset", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--pseudo-labels"));
    }

    @Test
    void protectsWithBaselinesAndRecordsHowTheNoiseWasFound(@TempDir Path dir) throws Exception {
        Path data = TinyTrainings.labelledFolder(dir.resolve("data"), 4, 3);
        Path json = dir.resolve("ue.json");
        ConsoleRun ue = run("protect-baseline", "--method", "ue-class", "--input", data.toString(), "--output",
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
        ConsoleRun lsp = run("protect-baseline", "--method", "lsp", "--input", data.toString(), "--output",
                dir.resolve("lsp").toString(), "--patch-size", "4", "--json", lspJson.toString());
        assertEquals(0, lsp.exit(), lsp.err());
        com.google.gson.JsonObject l = com.google.gson.JsonParser.parseString(Files.readString(lspJson)).getAsJsonObject();
        assertEquals(4, l.get("patchSize").getAsInt());
        assertEquals(8 / 255.0, l.get("rmsEps").getAsDouble(), 1e-6);
        ConsoleRun badPatch = run("protect-baseline", "--method", "lsp", "--input", data.toString(), "--output",
                dir.resolve("lsp0").toString(), "--patch-size", "0");
        assertEquals(1, badPatch.exit());
        assertTrue(badPatch.err().contains("patch size"), badPatch.err());
        assertFalse(Files.exists(dir.resolve("lsp0")), "nothing written for a refused configuration");
        ConsoleRun again = run("protect-baseline", "--method", "lsp", "--input", data.toString(), "--output",
                dir.resolve("lsp").toString());
        assertEquals(1, again.exit(), "an existing output folder is never written into");
    }

}
