package org.segue.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.RgbImage;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consistency measure and the recentre probe on made crops whose changes are known exactly. */
class ConsistencyProbesTest {

    private static final int SIZE = 8;

    /**
     * Writes {@code people} x {@code faces} random clean crops and their protected versions: each face changed by
     * {@code common + pattern(person) + own noise}, in whole levels.
     */
    private static void made(Path clean, Path prot, int people, int faces, float[] common, float noise, long seed)
            throws Exception {
        Random r = new Random(seed);
        for (int p = 0; p < people; p++) {
            float[] pattern = new float[3 * SIZE * SIZE];
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = r.nextBoolean() ? 2 : -2;
            }
            for (int f = 0; f < faces; f++) {
                float[] px = new float[pattern.length];
                float[] changed = new float[pattern.length];
                for (int i = 0; i < px.length; i++) {
                    px[i] = (20 + r.nextInt(200)) / 255f;
                    changed[i] = px[i] + Math.round(common[i] + pattern[i] + noise * r.nextGaussian()) / 255f;
                }
                ImageCodec.writePng(new RgbImage(px, SIZE, SIZE), clean.resolve("p" + p).resolve(f + ".png"));
                ImageCodec.writePng(new RgbImage(changed, SIZE, SIZE), prot.resolve("p" + p).resolve(f + ".png"));
            }
        }
    }

    private static float[] constant(float v) {
        float[] c = new float[3 * SIZE * SIZE];
        java.util.Arrays.fill(c, v);
        return c;
    }

    @Test
    void aPatternRepeatedOnEveryFaceIsSharedAndTheCommonPartIsFound(@TempDir Path dir) throws Exception {
        made(dir.resolve("c"), dir.resolve("p"), 4, 5, constant(3), 0, 1);
        Map<String, List<float[]>> changes = ConsistencyCommand.changesByPerson(dir.resolve("c"), dir.resolve("p"), SIZE);
        assertEquals(List.of("p0", "p1", "p2", "p3"), List.copyOf(changes.keySet()));
        assertEquals(5, changes.get("p0").size());
        float[] common = ConsistencyCommand.commonChange(changes);
        double mean = 0;
        for (float v : common) {
            mean += v / common.length;
        }
        // four random +-2 patterns average to near 0 per sample; the +3 every face carries stays
        assertEquals(3, mean, 0.5);
    }

    @Test
    void recentreTakesAwayWhatOtherPeopleShareAndKeepsTheBudget(@TempDir Path dir) throws Exception {
        made(dir.resolve("c"), dir.resolve("p"), 3, 4, constant(3), 1, 2);
        made(dir.resolve("oc"), dir.resolve("op"), 6, 4, constant(3), 1, 3); // other people, the same common part
        int exit = new CommandLine(new LabCli()).execute("recentre", "--clean", dir.resolve("c").toString(),
                "--protected", dir.resolve("p").toString(), "--common-clean", dir.resolve("oc").toString(),
                "--common-protected", dir.resolve("op").toString(), "--size", String.valueOf(SIZE), "--levels", "2",
                "--output", dir.resolve("out").toString());
        assertEquals(0, exit);
        Map<String, List<float[]>> after = ConsistencyCommand.changesByPerson(dir.resolve("c"), dir.resolve("out"), SIZE);
        double sum = 0;
        int n = 0;
        for (List<float[]> faces : after.values()) {
            for (float[] d : faces) {
                for (float v : d) {
                    assertTrue(Math.abs(v) <= 2.0001, "clipped to the budget: " + v);
                    sum += v;
                    n++;
                }
            }
        }
        assertEquals(0, sum / n, 0.3, "the common +3 is gone");

        exit = new CommandLine(new LabCli()).execute("recentre", "--clean", dir.resolve("c").toString(),
                "--protected", dir.resolve("p").toString(), "--common-clean", dir.resolve("oc").toString(),
                "--common-protected", dir.resolve("op").toString(), "--size", String.valueOf(SIZE), "--class-wise",
                "--output", dir.resolve("cw").toString());
        assertEquals(0, exit);
        Map<String, List<float[]>> classWise = ConsistencyCommand.changesByPerson(dir.resolve("c"), dir.resolve("cw"), SIZE);
        for (List<float[]> faces : classWise.values()) {
            for (int i = 0; i < faces.get(0).length; i++) {
                for (float[] d : faces) {
                    // the same change on every face of a person (no clean sample is near 0 or 1 to clip it)
                    assertEquals(faces.get(0)[i], d[i], 1e-3, "class-wise");
                }
            }
        }
    }
}
