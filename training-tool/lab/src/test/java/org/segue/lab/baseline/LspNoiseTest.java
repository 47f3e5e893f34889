package org.segue.lab.baseline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.training.ImageFolder;
import org.segue.engine.internal.RgbImage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LspNoiseTest {

    static final float EPS = 8 / 255f;

    /** An 8-bit image (values k/255), including saturated pixels so clamping is exercised. */
    static RgbImage image8(long seed, int h, int w) {
        Random r = new Random(seed);
        float[] v = new float[3 * h * w];
        for (int i = 0; i < v.length; i++) {
            int k = r.nextInt(10) == 0 ? (r.nextBoolean() ? 0 : 255) : r.nextInt(256);
            v[i] = k / 255f;
        }
        return new RgbImage(v, h, w);
    }

    static double rms(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum / v.length);
    }

    @Test
    void everyPatternHasTheAuthorsL2NormAndIsNotClipped() {
        LspNoise lsp = new LspNoise(64, 48, 16, EPS, 1);
        float max = 0;
        for (int label = 0; label < 5; label++) {
            for (int sample = 0; sample < 4; sample++) {
                float[] n = lsp.noiseFor(label, sample);
                // the authors' comput_l2norm_lim: ||noise||_2 = eps * sqrt(3 H W), a per-pixel RMS of eps
                assertEquals(EPS, rms(n), 1e-6, "label " + label + " sample " + sample);
                for (float v : n) {
                    max = Math.max(max, Math.abs(v));
                }
            }
        }
        assertTrue(max > 1.2f * EPS && max < 4f * EPS, "an L2 ball, not an L-inf one: max |noise| = " + max * 255 + " levels");
    }

    @Test
    void protectedPixelsMoveByTheNoiseAndStayInRange(@TempDir Path dir) throws Exception {
        LspNoise lsp = LspNoise.withDefaults(40, 40, 3);
        for (int label = 0; label < 4; label++) {
            RgbImage x = image8(label, 40, 40);
            RgbImage p = lsp.apply(x, label, 0);
            float[] n = lsp.noiseFor(label, 0);
            for (int i = 0; i < x.chw().length; i++) {
                float expected = Math.min(1f, Math.max(0f, x.chw()[i] + n[i]));
                assertEquals(expected, p.chw()[i], 0f, "pixel " + i);
            }
            Path png = dir.resolve(label + ".png");
            ImageCodec.writePng(p, png);
            RgbImage back = ImageCodec.read(png);
            for (int i = 0; i < x.chw().length; i++) {
                assertEquals(ImageCodec.to8(p.chw()[i]), ImageCodec.to8(back.chw()[i]), "PNG is lossless, pixel " + i);
            }
        }
    }

    @Test
    void eachImageGetsItsOwnPointOfItsClasssCluster() {
        LspNoise a = new LspNoise(32, 32, 8, EPS, 11);
        LspNoise b = new LspNoise(32, 32, 8, EPS, 11);
        float[] n3 = a.noiseFor(3, 5);
        assertArrayEquals(n3, a.noiseFor(3, 5), "deterministic");
        // independent of the order classes and images are asked for, and of the instance
        b.noiseFor(0, 0);
        b.noiseFor(3, 1);
        assertArrayEquals(n3, b.noiseFor(3, 5));
        assertFalse(java.util.Arrays.equals(n3, a.noiseFor(3, 6)), "another image of the class");
        assertFalse(java.util.Arrays.equals(n3, a.noiseFor(4, 5)), "the same index in another class");
        assertFalse(java.util.Arrays.equals(n3, new LspNoise(32, 32, 8, EPS, 12).noiseFor(3, 5)), "seed matters");
        // images of one class are far more alike than images of two classes (class_sep 10 against a spread of ~8)
        double within = 0;
        double between = 0;
        for (int k = 0; k < 20; k++) {
            within += cosine(a.noiseFor(3, k), a.noiseFor(3, k + 20));
            between += cosine(a.noiseFor(3, k), a.noiseFor(7, k));
        }
        // two random centroids of 48 signs have a cosine of 0 +- 0.14; two images of one class about 0.86
        assertTrue(within / 20 > 0.7, "within-class cosine " + within / 20);
        assertTrue(within / 20 - between / 20 > 0.5, "within " + within / 20 + ", between " + between / 20);
    }

    static double cosine(float[] u, float[] v) {
        double dot = 0;
        double uu = 0;
        double vv = 0;
        for (int i = 0; i < u.length; i++) {
            dot += u[i] * v[i];
            uu += u[i] * u[i];
            vv += v[i] * v[i];
        }
        return dot / Math.sqrt(uu * vv);
    }

    @Test
    void noiseIsConstantWithinEachPatch() {
        int h = 36;
        int w = 30; // not multiples of 8: edge cells are cut
        int patch = 8;
        float[] n = new LspNoise(h, w, patch, EPS, 5).noiseFor(2, 1);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float cornerOfCell = n[(c * h + (y / patch) * patch) * w + (x / patch) * patch];
                    assertEquals(cornerOfCell, n[(c * h + y) * w + x], 0f, "c" + c + " y" + y + " x" + x);
                }
            }
        }
        // and the cells themselves differ (a grid of 5x4 cells per channel)
        java.util.Set<Float> values = new java.util.HashSet<>();
        for (float v : n) {
            values.add(v);
        }
        assertEquals(3 * 5 * 4, values.size());
    }

    @Test
    void defaultIsAFourByFourGrid() {
        assertEquals(56, LspNoise.withDefaults(224, 224, 0).patchSize(), "the Segue paper's best LSP on faces");
        assertEquals(8, LspNoise.withDefaults(32, 32, 0).patchSize(), "the authors' CIFAR-10 setting");
        assertEquals(EPS, LspNoise.withDefaults(112, 112, 0).eps());
    }

    @Test
    void otherSizesGetTheSamePatternResampled() {
        LspNoise lsp = new LspNoise(16, 16, 4, EPS, 9);
        float[] base = lsp.noiseFor(1, 2);
        float[] big = lsp.noiseFor(1, 2, 32, 32);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    assertEquals(base[(c * 16 + y / 2) * 16 + x / 2], big[(c * 32 + y) * 32 + x], 0f);
                }
            }
        }
        RgbImage odd = lsp.apply(image8(1, 23, 37), 1, 0);
        assertEquals(23, odd.height());
        assertEquals(37, odd.width());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LspNoise(32, 32, 0, EPS, 0));
        assertThrows(IllegalArgumentException.class, () -> new LspNoise(32, 32, 4, 0f, 0));
        assertThrows(IllegalArgumentException.class, () -> new LspNoise(32, 32, 4, EPS, 0).noiseFor(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LspNoise(32, 32, 4, EPS, 0).noiseFor(0, -1));
    }

    @Test
    void nearestClassMeanOnTheNoiseAloneSeparatesTheLabels() {
        int classes = 10;
        int perClass = 6;
        LspNoise lsp = LspNoise.withDefaults(32, 32, 21);
        List<float[]> residuals = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int label = 0; label < classes; label++) {
            for (int i = 0; i < perClass; i++) {
                RgbImage x = image8(1000L * label + i, 32, 32);
                RgbImage p = lsp.apply(x, label, i);
                float[] d = new float[x.chw().length];
                for (int j = 0; j < d.length; j++) {
                    d[j] = p.chw()[j] - x.chw()[j];
                }
                residuals.add(d);
                labels.add(label);
            }
        }
        // class means from the first half of each class, tested on the second half
        int dim = residuals.get(0).length;
        double[][] means = new double[classes][dim];
        for (int k = 0; k < residuals.size(); k++) {
            if (k % perClass < perClass / 2) {
                for (int j = 0; j < dim; j++) {
                    means[labels.get(k)][j] += residuals.get(k)[j] / (perClass / 2.0);
                }
            }
        }
        for (int k = 0; k < residuals.size(); k++) {
            if (k % perClass >= perClass / 2) {
                int best = -1;
                double bestDistance = Double.POSITIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    double dist = 0;
                    for (int j = 0; j < dim; j++) {
                        double e = residuals.get(k)[j] - means[c][j];
                        dist += e * e;
                    }
                    if (dist < bestDistance) {
                        bestDistance = dist;
                        best = c;
                    }
                }
                assertEquals(labels.get(k), best, "sample " + k);
            }
        }
    }

    @Test
    void protectFolderMirrorsTheDatasetProtectorLayout(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        for (String id : List.of("2", "10", "7")) {
            Files.createDirectories(in.resolve(id));
            for (int i = 0; i < 2; i++) {
                ImageCodec.writePng(image8(id.hashCode() + i, 24, 20), in.resolve(id).resolve("img_" + i + ".png"));
            }
        }
        // a JPEG keeps its name with the extension .png, as DatasetProtector writes it
        try (var out = Files.newOutputStream(in.resolve("7").resolve("photo.jpg"))) {
            javax.imageio.ImageIO.write(ImageCodec.toBuffered(image8(99, 24, 20)), "jpeg", out);
        }
        Path out = dir.resolve("out");
        LspNoise lsp = new LspNoise(24, 20, 3, EPS, 4);
        double seconds = lsp.protectFolder(in, out);
        assertTrue(seconds >= 0);
        ImageFolder source = ImageFolder.scan(in);
        ImageFolder written = ImageFolder.scan(out);
        assertEquals(source.classes(), written.classes());
        assertEquals(source.samples().size(), written.samples().size());
        assertTrue(Files.isRegularFile(out.resolve("7").resolve("photo.png")));
        try (var files = Files.walk(out)) {
            assertTrue(files.filter(Files::isRegularFile).allMatch(p -> p.toString().endsWith(".png")));
        }
        // each file carries its own point of its identity's cluster (ImageFolder order: 2, 7, 10 -> labels
        // 0, 1, 2; images numbered within their identity in the dataset's order)
        int[] seen = new int[source.classes().size()];
        for (ImageFolder.Sample s : source.samples()) {
            String name = s.file().getFileName().toString().replaceAll("\\.[^.]+$", ".png");
            RgbImage clean = ImageCodec.read(s.file());
            RgbImage prot = ImageCodec.read(out.resolve(source.classes().get(s.label())).resolve(name));
            RgbImage expected = lsp.apply(clean, s.label(), seen[s.label()]++);
            for (int i = 0; i < clean.chw().length; i++) {
                assertEquals(ImageCodec.to8(expected.chw()[i]), ImageCodec.to8(prot.chw()[i]), s.file() + " value " + i);
            }
        }
    }
}
