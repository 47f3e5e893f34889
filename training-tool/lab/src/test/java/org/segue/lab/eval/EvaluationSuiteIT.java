package org.segue.lab.eval;

import org.segue.engine.check.Attacker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite end to end on a tiny synthetic face set: the CI smoke configuration of the harness. */
class EvaluationSuiteIT {

    /** Three "identities" told apart by their mean colour, with noise; 32 x 32 px. */
    static void writeSet(Path root, int perClass, long seed) throws Exception {
        Random r = new Random(seed);
        for (int c = 0; c < 3; c++) {
            Path dir = Files.createDirectories(root.resolve("id" + c));
            for (int i = 0; i < perClass; i++) {
                float[] chw = new float[3 * 32 * 32];
                for (int j = 0; j < chw.length; j++) {
                    int channel = j / (32 * 32);
                    chw[j] = Math.min(1f, Math.max(0f, (channel == c ? 0.7f : 0.3f) + 0.15f * (float) r.nextGaussian()));
                }
                ImageCodec.writePng(new RgbImage(chw, 32, 32), dir.resolve(i + ".png"));
            }
        }
    }

    @Test
    void runsAPlanWritesTablesAndChartsAndResumes(@TempDir Path dir) throws Exception {
        writeSet(dir.resolve("train"), 6, 1);
        writeSet(dir.resolve("test"), 3, 2);
        Path plan = dir.resolve("smoke.plan");
        String text = String.join("\n",
                "# smoke",
                "set d = " + dir,
                "row base train=${d}/train test=${d}/test size=32 epochs=1 label=\"clean\" chart=size series=clean x=32",
                "row small train=${d}/train test=${d}/test size=16 epochs=1 arch=mobilenetv2 augment=cutmix jpeg=50 "
                        + "resize=bicubic chart=size series=clean x=16",
                "row adv train=${d}/train test=${d}/test size=32 epochs=1 adv=4 advsteps=1 augment=reframe",
                "quality same clean=${d}/train protected=${d}/train",
                "figure fig clean=${d}/train protected=${d}/train count=2");
        Files.writeString(plan, text);
        Path out = dir.resolve("results");
        List<String> log = new ArrayList<>();
        List<EvaluationSuite.RowResult> results = EvaluationSuite.run(EvaluationPlan.read(plan), out,
                ProgressListener.NONE, Cancellation.none(), line -> {
            log.add(line);
            System.out.println(System.nanoTime() / 1_000_000 + " ms " + line);
        });
        assertEquals(5, results.size());
        assertTrue(Files.size(out.resolve("fig.png")) > 1000);
        for (String id : List.of("base", "small", "adv", "same", "fig")) {
            assertTrue(Files.isRegularFile(out.resolve(id + ".json")), id);
        }
        double accuracy = results.get(0).number("testAccuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1);
        assertEquals(3, (int) results.get(0).number("classes"));
        assertEquals("\"mobilenetv2\"", results.get(1).figures().get("architecture"));
        assertEquals(50, (int) results.get(1).number("jpegQuality"));
        assertEquals(4 / 255.0, results.get(2).number("adversarialRadius"), 1e-6);
        assertEquals(0, results.get(3).number("maxLinfLevels"), 0);
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| small |") && summary.contains("cutmix, JPEG q50"), summary);
        assertTrue(summary.contains("adv. training 4/255 PGD-1"), summary);
        assertTrue(Files.size(out.resolve("size.png")) > 1000);

        // a summary of what is on disk measures nothing, and leaves out rows not measured yet
        Files.writeString(plan, text + "\nrow later train=${d}/train test=${d}/test size=32 epochs=1");
        log.clear();
        List<EvaluationSuite.RowResult> onDisk = EvaluationSuite.run(EvaluationPlan.read(plan), out, false,
                ProgressListener.NONE, Cancellation.none(), log::add);
        assertEquals(5, onDisk.size());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("later: not measured yet")), log.toString());
        assertTrue(!Files.exists(out.resolve("later.json")));

        // only the rows asked for are measured (a new candidate's), the others stay unmeasured
        Files.writeString(plan, text + "\nrow later train=${d}/train test=${d}/test size=32 epochs=1"
                + "\nrow chosen train=${d}/train test=${d}/test size=32 epochs=1");
        List<EvaluationSuite.RowResult> chosen = EvaluationSuite.run(EvaluationPlan.read(plan), out,
                id -> id.equals("chosen"), ProgressListener.NONE, Cancellation.none(), line -> { });
        assertEquals(6, chosen.size());
        assertTrue(Files.exists(out.resolve("chosen.json")) && !Files.exists(out.resolve("later.json")));
        Files.delete(out.resolve("chosen.json"));
        Files.writeString(plan, text);

        // resume: nothing is measured again; an edited row is
        log.clear();
        EvaluationSuite.run(EvaluationPlan.read(plan), out, ProgressListener.NONE, Cancellation.none(), line -> {
            log.add(line);
            System.out.println(System.nanoTime() / 1_000_000 + " ms " + line);
        });
        assertEquals(5, log.stream().filter(l -> l.contains("already measured")).count(), log.toString());
        Files.writeString(plan, text.replace("row adv train=${d}/train test=${d}/test size=32 epochs=1",
                "row adv train=${d}/train test=${d}/test size=32 epochs=2"));
        log.clear();
        List<EvaluationSuite.RowResult> again = EvaluationSuite.run(EvaluationPlan.read(plan), out,
                ProgressListener.NONE, Cancellation.none(), line -> {
            log.add(line);
            System.out.println(System.nanoTime() / 1_000_000 + " ms " + line);
        });
        assertEquals(4, log.stream().filter(l -> l.contains("already measured")).count(), log.toString());
        assertEquals(2, (int) again.get(2).number("epochs"));
    }

    /** Stores each row's result as the suite does, as if row i's attacker had measured {@code accuracy[i]}. */
    private static void writeResults(Path out, EvaluationPlan plan, double... accuracy) throws Exception {
        for (int i = 0; i < accuracy.length; i++) {
            EvaluationPlan.Row row = plan.rows().get(i);
            String body = new AttackerRun.Result(row.attackerRun(), 10, 1.0, accuracy[i], 4.0, 200, 300.0).toJson();
            Files.writeString(out.resolve(row.id() + ".json"), EvaluationSuite.stored(row, body) + "\n");
        }
    }

    /** Rewrites the stored results of rows {@code ids} as results from before a field existed: without it. */
    private static void measuredBeforeTheField(Path out, String field, String... ids) throws Exception {
        for (String id : ids) {
            Path f = out.resolve(id + ".json");
            String json = Files.readString(f);
            String without = json.replaceAll(field, "");
            assertTrue(without.length() < json.length(), "no " + field + " in " + json);
            Files.writeString(f, without);
        }
    }

    @Test
    void rowsThatDifferOnlyInTheirSeedAreAveraged(@TempDir Path out) throws Exception {
        EvaluationPlan plan = EvaluationPlan.parse(String.join("\n",
                "row a train=p test=c size=112 epochs=15 label=\"model A\" chart=size x=112",
                "row a-s1 train=p test=c size=112 epochs=15 seed=1 label=\"model A, seed 1\"",
                "row a-s2 train=p test=c size=112 epochs=15 seed=2 label=\"model A, seed 2\"",
                "row a64 train=p test=c size=64 epochs=15 label=\"model A\"",
                "row b train=q test=c size=112 epochs=15 seed=1 label=\"model B\""), "p");
        writeResults(out, plan, 0.155, 0.12, 0.135, 0.10, 0.30);
        EvaluationSuite.run(plan, out, false, ProgressListener.NONE, Cancellation.none(), line -> { });
        String summary = Files.readString(out.resolve("summary.md"));
        // a, a-s1 and a-s2 measure the same attacker: (15.5 + 12.0 + 13.5) / 3 = 13.67
        assertTrue(summary.contains("| a, a-s1, a-s2 | model A | 0, 1, 2 | 15.5%, 12.0%, 13.5% | **13.7%** |"), summary);
        // another input size or another training set is another measurement, not another seed
        assertTrue(!summary.contains("a64, ") && !summary.contains(", b |"), summary);
        assertTrue(summary.contains("| a-s1 | model A, seed 1 | resnet18, seed 1 |"), summary);
        assertTrue(summary.contains("| a | model A | resnet18 |"), summary);
    }

    @Test
    void seedsOfAnotherNetworkUnderTheSamePlanLineAreNotAveraged(@TempDir Path out) throws Exception {
        EvaluationPlan plan = EvaluationPlan.parse(String.join("\n",
                "row m train=p test=c arch=mobilenetv2 label=\"old\"",
                "row m-s1 train=p test=c arch=mobilenetv2 seed=1 label=\"old, seed 1\"",
                "row d train=p test=c arch=mobilenetv2 label=\"dropout\"",
                "row d-s1 train=p test=c arch=mobilenetv2 seed=1 label=\"dropout, seed 1\""), "p");
        writeResults(out, plan, 0.245, 0.215, 0.125, 0.15);
        String json = Files.readString(out.resolve("d.json"));
        assertTrue(json.contains("\"classifierDropout\":0.2"), "a result names the network's dropout: " + json);
        // m and m-s1 stand for results measured before the networks had dropout: they do not record it
        measuredBeforeTheField(out, "\"classifierDropout\":0\\.2,", "m", "m-s1");
        EvaluationSuite.run(plan, out, false, ProgressListener.NONE, Cancellation.none(), line -> { });
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| m, m-s1 | old | 0, 1 | 24.5%, 21.5% | **23.0%** |"), summary);
        assertTrue(summary.contains("| d, d-s1 | dropout | 0, 1 | 12.5%, 15.0% | **13.8%** |"), summary);
    }

    @Test
    void seedsMeasuredBeforeTheAttackerHadStreamsOfItsOwnAreNotAveragedWithLaterOnes(@TempDir Path out) throws Exception {
        EvaluationPlan plan = EvaluationPlan.parse(String.join("\n",
                "row u train=p test=c label=\"raw\"",
                "row u-s1 train=p test=c seed=1 label=\"raw, seed 1\"",
                "row v train=p test=c label=\"own\"",
                "row v-s1 train=p test=c seed=1 label=\"own, seed 1\""), "p");
        writeResults(out, plan, 0.105, 0.805, 0.78, 0.80);
        String json = Files.readString(out.resolve("v.json"));
        assertTrue(json.contains("\"streamSeed\":" + new Attacker.Config(15, 16, 5e-4f, false, 0).streamSeed() + ","),
                "a result names the seed its attacker's streams started from: " + json);
        // u and u-s1 stand for results measured before: they do not record it
        measuredBeforeTheField(out, "\"streamSeed\":-?[0-9]+,", "u", "u-s1");
        EvaluationSuite.run(plan, out, false, ProgressListener.NONE, Cancellation.none(), line -> { });
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| u, u-s1 | raw | 0, 1 | 10.5%, 80.5% | **45.5%** |"), summary);
        assertTrue(summary.contains("| v, v-s1 | own | 0, 1 | 78.0%, 80.0% | **79.0%** |"), summary);
    }

    @Test
    void planMistakesNameTheirLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationPlan.parse("row a train=x test=y\nrow b train=x test=y arch=vgg", "p"));
        assertTrue(e.getMessage().startsWith("p:2: ") && e.getMessage().contains("vgg"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> EvaluationPlan.parse("row a train=${nope} test=y", "p")).getMessage().contains("${nope}"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> EvaluationPlan.parse("row a train=x test=y colour=red", "p")).getMessage().contains("colour"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> EvaluationPlan.parse("row a train=x test=y\nrow a train=x test=y", "p")).getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> EvaluationPlan.parse("row a test=y", "p")).getMessage().contains("train"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> EvaluationPlan.parse("# nothing\n", "p")).getMessage().contains("no rows"));
    }
}
