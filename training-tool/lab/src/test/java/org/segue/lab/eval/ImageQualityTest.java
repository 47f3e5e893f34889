package org.segue.lab.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.lab.baseline.LspNoise;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.RgbImage;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageQualityTest {

    static RgbImage random(long seed, int h, int w) {
        Random r = new Random(seed);
        float[] v = new float[3 * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.1f + 0.8f * r.nextFloat();
        }
        return new RgbImage(v, h, w);
    }

    static RgbImage plus(RgbImage x, long seed, float amplitude) {
        Random r = new Random(seed);
        float[] v = x.chw().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] += amplitude * (2 * r.nextFloat() - 1);
        }
        return new RgbImage(v, x.height(), x.width());
    }

    static RgbImage constant(float value, int h, int w) {
        float[] v = new float[3 * h * w];
        java.util.Arrays.fill(v, value);
        return new RgbImage(v, h, w);
    }

    @Test
    void psnrMatchesTheMseOfUniformNoise() {
        RgbImage x = random(1, 32, 40);
        RgbImage y = plus(x, 2, 0.03f);
        double sum = 0;
        for (int i = 0; i < x.chw().length; i++) {
            double d = (double) y.chw()[i] - x.chw()[i];
            sum += d * d;
        }
        double mse = sum / x.chw().length;
        assertEquals(10 * Math.log10(1 / mse), ImageQuality.psnr(x, y), 1e-6);
        assertEquals(10 * Math.log10(1 / mse), ImageQuality.compare(x, y).psnr(), 1e-6);
        // expected MSE of U(-a, a) is a^2/3: the realised one is close on 3840 values
        assertEquals(0.03 * 0.03 / 3, mse, 0.1 * 0.03 * 0.03 / 3);
    }

    @Test
    void psnrOfAnExactlyKnownMse() {
        // dyadic values: every sum is exact in float, so the MSE is exactly (1/64)^2
        float[] a = new float[3 * 16 * 16];
        float[] b = new float[a.length];
        Random r = new Random(3);
        for (int i = 0; i < a.length; i++) {
            a[i] = (64 + r.nextInt(128)) / 256f;
            b[i] = a[i] + (r.nextBoolean() ? 1 : -1) / 64f;
        }
        double psnr = ImageQuality.psnr(new RgbImage(a, 16, 16), new RgbImage(b, 16, 16));
        assertEquals(10 * Math.log10(4096), psnr, 1e-9);
    }

    @Test
    void identicalImages() {
        RgbImage x = random(4, 24, 24);
        ImageQuality.Stats s = ImageQuality.compare(x, new RgbImage(x.chw().clone(), 24, 24));
        assertEquals(Double.POSITIVE_INFINITY, s.psnr());
        assertEquals(1.0, s.ssim(), 1e-12);
        assertEquals(0.0, s.linf());
        assertEquals(0.0, s.l2());
    }

    @Test
    void ssimFallsWithNoise() {
        RgbImage x = random(5, 48, 48);
        double previous = ImageQuality.ssim(x, x);
        assertEquals(1.0, previous, 1e-12);
        for (float amplitude : new float[] {0.01f, 0.03f, 0.1f, 0.3f}) {
            double s = ImageQuality.ssim(x, plus(x, 6, amplitude));
            assertTrue(s < previous, "SSIM " + s + " at noise " + amplitude + " not below " + previous);
            previous = s;
        }
    }

    @Test
    void ssimOfConstantImagesIsTheLuminanceTerm() {
        // no variance anywhere: contrast-structure is (0 + C2)/(0 + C2) = 1
        double c1 = 0.01 * 0.01;
        double expected = (2 * 0.5 * 0.6 + c1) / (0.25 + 0.36 + c1);
        assertEquals(expected, ImageQuality.ssim(constant(0.5f, 20, 30), constant(0.6f, 20, 30)), 1e-6);
    }

    /** Integer patterns, so the reference (NumPy/SciPy, below) sees exactly the same values. */
    static RgbImage pattern(int h, int w, java.util.function.Function<int[], Integer> level) {
        float[] v = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    v[(c * h + y) * w + x] = level.apply(new int[] {c, y, x}) / 255f;
                }
            }
        }
        return new RgbImage(v, h, w);
    }

    /**
     * Against scikit-image's algorithm (gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
     * data_range=1, channel_axis), evaluated in float64 with SciPy:
     * <pre>
     * f = lambda z: gaussian_filter(z, sigma=1.5, truncate=3.5)
     * ux, uy = f(X), f(Y); vx, vy, vxy = f(X*X)-ux*ux, f(Y*Y)-uy*uy, f(X*Y)-ux*uy
     * S = ((2*ux*uy+C1)*(2*vxy+C2)) / ((ux**2+uy**2+C1)*(vx+vy+C2)); S[5:-5, 5:-5].mean()
     * </pre>
     * per channel, then averaged: 0.9009170610661323; PSNR 34.33283986436738 dB.
     */
    @Test
    void ssimMatchesTheScikitImageReference() {
        java.util.function.Function<int[], Integer> k1 = p -> (p[2] * 5 + p[1] * 3 + p[0] * 20 + (p[2] * p[1]) % 7) % 256;
        java.util.function.Function<int[], Integer> k2 = p -> Math.min(255, Math.max(0,
                k1.apply(p) + (p[2] * 7 + p[1] * 13 + p[0] * 3) % 17 - 8));
        RgbImage a = pattern(20, 24, k1);
        RgbImage b = pattern(20, 24, k2);
        assertEquals(0.9009170610661323, ImageQuality.ssim(a, b), 1e-9);
        assertEquals(34.33283986436738, ImageQuality.psnr(a, b), 1e-6);
    }

    @Test
    void perturbationNormsInLevels() {
        RgbImage x = constant(0.5f, 12, 12);
        float[] v = x.chw().clone();
        v[0] += 8 / 255f;
        v[100] -= 3 / 255f;
        ImageQuality.Stats s = ImageQuality.compare(x, new RgbImage(v, 12, 12));
        assertEquals(8, s.linf(), 1e-4);
        assertEquals(Math.sqrt(64 + 9), s.l2(), 1e-4);
    }

    @Test
    void refusesMismatchedOrTinyImages() {
        assertThrows(IllegalArgumentException.class, () -> ImageQuality.compare(random(1, 16, 16), random(1, 16, 17)));
        assertThrows(IllegalArgumentException.class, () -> ImageQuality.ssim(random(1, 10, 16), random(2, 10, 16)));
    }

    @Test
    void summaryLeavesIdenticalPairsOutOfThePsnrMean() {
        ImageQuality.Summary s = ImageQuality.summarize(java.util.List.of(
                new ImageQuality.Stats(40, 0.9, 8, 100),
                new ImageQuality.Stats(Double.POSITIVE_INFINITY, 1.0, 0, 0),
                new ImageQuality.Stats(30, 0.8, 6, 50)));
        assertEquals(3, s.images());
        assertEquals(35, s.meanPsnr(), 1e-12);
        assertEquals(1, s.identical());
        assertEquals(0.9, s.meanSsim(), 1e-12);
        assertEquals(8, s.maxLinf());
        assertEquals(50, s.meanL2(), 1e-12);
    }

    /** Clean JPEGs in an ImageFolder, protected by the LSP baseline into PNGs under the same names. */
    static Path cleanJpegs(Path dir) throws Exception {
        Path root = dir.resolve("clean");
        for (int id = 0; id < 3; id++) {
            Files.createDirectories(root.resolve("id" + id));
            for (int i = 0; i < 2; i++) {
                RgbImage img = random(10 * id + i, 32, 28);
                try (var out = Files.newOutputStream(root.resolve("id" + id).resolve("face_" + i + ".jpg"))) {
                    ImageIO.write(ImageCodec.toBuffered(img), "jpeg", out);
                }
            }
        }
        return root;
    }

    @Test
    void comparesFoldersPairedByNameWithoutExtension(@TempDir Path dir) throws Exception {
        Path clean = cleanJpegs(dir);
        Path prot = dir.resolve("lsp");
        new LspNoise(32, 28, 4, 8 / 255f, 7).protectFolder(clean, prot);
        ImageQuality.Summary s = ImageQuality.compareFolders(clean, prot);
        assertEquals(6, s.images());
        assertEquals(0, s.identical());
        // LSP's noise has a per-pixel RMS of 8 levels and is not clipped: its largest change is above 8 levels
        assertTrue(s.maxLinf() > 8 && s.maxLinf() < 32, "max Linf " + s.maxLinf());
        assertTrue(s.meanPsnr() > 30 && s.meanPsnr() < 60, s.toString());
        assertTrue(s.meanSsim() > 0 && s.meanSsim() < 1, s.toString());
        // a folder compared with itself: all identical
        ImageQuality.Summary self = ImageQuality.compareFolders(clean, clean);
        assertEquals(6, self.identical());
        assertEquals(1.0, self.meanSsim(), 1e-12);
    }

    @Test
    void refusesUnpairedFilesAndSizeChanges(@TempDir Path dir) throws Exception {
        Path clean = cleanJpegs(dir);
        Path prot = dir.resolve("lsp");
        new LspNoise(32, 28, 4, 8 / 255f, 7).protectFolder(clean, prot);
        Path moved = prot.resolve("id1").resolve("face_1.png");
        Path renamed = prot.resolve("id1").resolve("other.png");
        Files.move(moved, renamed);
        Exception missing = assertThrows(java.io.IOException.class, () -> ImageQuality.compareFolders(clean, prot));
        assertTrue(missing.getMessage().contains("face_1.jpg") && missing.getMessage().contains("other.png"),
                missing.getMessage());
        Files.move(renamed, moved);
        ImageCodec.writePng(random(1, 30, 28), moved);
        Exception size = assertThrows(java.io.IOException.class, () -> ImageQuality.compareFolders(clean, prot));
        assertTrue(size.getMessage().contains("size differs"), size.getMessage());
    }
}
