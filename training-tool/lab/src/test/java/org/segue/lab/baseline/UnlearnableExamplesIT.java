package org.segue.lab.baseline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.lab.baseline.UnlearnableExamples.Config;
import org.segue.lab.baseline.UnlearnableExamples.Result;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unlearnable Examples on tiny synthetic data whose labels cannot be learned from the clean images:
 * every image is one shared texture plus a faint per-image variation, and labels are random. A
 * model can only fit such a set through the noise, so the generator's model must end up more
 * accurate on the noisy images than on the clean ones.
 */
class UnlearnableExamplesIT {

    static final int SIZE = 32;
    static final int N = 24;
    static final int CLASSES = 3;
    static final float EPS = 16f / 255f;

    static Config tiny(boolean classWise) {
        return new Config(SIZE, EPS, 4, 5, EPS / 4, 0.99f, 3, 32, 5e-4f, classWise, 1);
    }

    /** A smooth shared texture in [0.2, 0.8] with a faint (+-0.02) per-image variation. */
    static RgbImage texture(Random rng, int height, int width) {
        float[] chw = new float[3 * height * width];
        for (int j = 0; j < chw.length; j++) {
            int x = j % width;
            int y = (j / width) % height;
            int c = j / (width * height);
            chw[j] = 0.5f + 0.25f * (float) (Math.sin(x * 0.4 + c) * Math.cos(y * 0.3)) + 0.02f * (2 * rng.nextFloat() - 1);
        }
        return new RgbImage(chw, height, width);
    }

    static List<RgbImage> images(long seed) {
        Random rng = new Random(seed);
        List<RgbImage> out = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            out.add(texture(rng, SIZE, SIZE));
        }
        return out;
    }

    /** N / CLASSES images per class in random order. */
    static int[] randomLabels(long seed) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            l.add(i % CLASSES);
        }
        java.util.Collections.shuffle(l, new Random(seed));
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    static void assertWithinBound(float[][] noise) {
        for (float[] n : noise) {
            for (float v : n) {
                assertTrue(Math.abs(v) <= EPS, "noise value " + v + " beyond eps " + EPS);
            }
        }
    }

    static boolean nonZero(float[] values) {
        for (float v : values) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }

    private static Result generate(boolean classWise, List<ProgressListener.Progress> reports) {
        long t = System.nanoTime();
        Result r = new UnlearnableExamples(tiny(classWise)).generate(images(7), randomLabels(7), CLASSES,
                reports::add, Cancellation.none());
        System.out.printf("UE %s: %d rounds, accuracy noisy %.3f clean %.3f, loss noisy %.4f clean %.4f, %.1f s%n",
                classWise ? "class-wise" : "sample-wise", r.rounds(), r.accuracy(), r.cleanAccuracy(), r.loss(),
                r.cleanLoss(), (System.nanoTime() - t) / 1e9);
        r.history().forEach(h -> System.out.println("  " + h));
        return r;
    }

    @Test
    void classWiseNoiseIsBoundedSharedWithinAClassAndFitsBetterThanCleanData() {
        List<ProgressListener.Progress> reports = new ArrayList<>();
        Result r = generate(true, reports);
        int[] labels = randomLabels(7);
        assertEquals(N, r.noise().length);
        assertEquals(CLASSES, r.classNoise().length);
        assertWithinBound(r.noise());
        assertWithinBound(r.classNoise());
        for (int i = 0; i < N; i++) {
            assertArrayEquals(r.classNoise()[labels[i]], r.noise()[i], "sample " + i + " carries its class's noise");
        }
        assertTrue(nonZero(r.classNoise()[0]), "noise was found");
        assertTrue(r.rounds() >= 1 && r.rounds() <= 3);
        assertEquals(r.rounds(), r.history().size());
        assertTrue(r.accuracy() > r.cleanAccuracy(), r.accuracy() + " vs clean " + r.cleanAccuracy());
        assertTrue(r.loss() < r.cleanLoss(), r.loss() + " vs clean " + r.cleanLoss());
        assertTrue(reports.stream().anyMatch(p -> p.phase().equals("ue-noise")));
    }

    @Test
    void sampleWiseNoiseIsBoundedKeepsPixelsValidAndFitsBetterThanCleanData() {
        Result r = generate(false, new ArrayList<>());
        assertNull(r.classNoise());
        assertWithinBound(r.noise());
        List<RgbImage> clean = images(7);
        for (int i = 0; i < N; i++) {
            float[] x = clean.get(i).chw();
            for (int j = 0; j < x.length; j++) {
                float v = x[j] + r.noise()[i][j];
                assertTrue(v >= -1e-6f && v <= 1 + 1e-6f);
            }
        }
        assertTrue(r.accuracy() > r.cleanAccuracy(), r.accuracy() + " vs clean " + r.cleanAccuracy());
        assertTrue(r.loss() < r.cleanLoss(), r.loss() + " vs clean " + r.cleanLoss());
    }

    @Test
    void protectFolderWritesPngsAtTheOriginalResolutionWithinTheBound(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        Random rng = new Random(3);
        int h = 36;
        int w = 40;
        List<Path> files = new ArrayList<>();
        for (String identity : List.of("alice", "bob")) {
            for (int k = 0; k < 3; k++) {
                Path f = in.resolve(identity).resolve("img" + k + ".png");
                Files.createDirectories(f.getParent());
                ImageCodec.writePng(texture(rng, h, w), f);
                files.add(f);
            }
        }
        Config config = new Config(SIZE, EPS, 2, 2, EPS / 2, 0.99f, 1, 4, 5e-4f, false, 1);
        UnlearnableExamples.Result result = UnlearnableExamples.protectFolder(in, out, config, ProgressListener.NONE,
                Cancellation.none());
        assertTrue(result.seconds() > 0);
        assertEquals(1, result.rounds(), "one round allowed");
        int bound = Math.round(EPS * 255);
        int changed = 0;
        for (Path f : files) {
            Path written = out.resolve(in.relativize(f).getParent()).resolve(f.getFileName());
            assertTrue(Files.exists(written), written + " written");
            RgbImage original = ImageCodec.read(f);
            RgbImage protectedImage = ImageCodec.read(written);
            assertEquals(h, protectedImage.height());
            assertEquals(w, protectedImage.width());
            for (int j = 0; j < original.chw().length; j++) {
                int a = ImageCodec.to8(original.chw()[j]);
                int b = ImageCodec.to8(protectedImage.chw()[j]);
                assertTrue(Math.abs(a - b) <= bound, "pixel " + j + " of " + f + " moved " + (b - a) + " levels");
                changed += a != b ? 1 : 0;
            }
        }
        assertTrue(changed > 0, "the noise changed the images");
    }

    @Test
    void cancellationStopsTheGeneration() {
        Cancellation c = Cancellation.none();
        c.cancel();
        assertThrows(CancellationException.class, () -> new UnlearnableExamples(tiny(true))
                .generate(images(1), randomLabels(1), CLASSES, ProgressListener.NONE, c));
    }

    @Test
    void pngNamesFollowDatasetProtector() {
        assertEquals("a.b.png", org.segue.lab.dataset.DatasetProtector.pngName(Path.of("x", "a.b.jpg")));
        assertEquals("noext.png", org.segue.lab.dataset.DatasetProtector.pngName(Path.of("noext")));
    }
}
