package org.segue.engine.distortion;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.segue.engine.internal.Batches;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.internal.DjlRuntime;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistortionLayerTest {

    static NDManager nd;

    @BeforeAll
    static void start() {
        nd = DjlRuntime.engine().newBaseManager(Device.cpu());
    }

    @AfterAll
    static void stop() {
        nd.close();
    }

    /** A smooth synthetic "photo": gradients and a soft blob, so JPEG behaves as on real images. */
    static RgbImage smoothImage(int size, long seed) {
        Random r = new Random(seed);
        float[] chw = new float[3 * size * size];
        double cx = size * (0.3 + 0.4 * r.nextDouble());
        double cy = size * (0.3 + 0.4 * r.nextDouble());
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double blob = Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (size * size / 8.0));
                    chw[(c * size + y) * size + x] = (float) Math.min(1, 0.15 + 0.3 * x / size + 0.1 * c + 0.4 * blob);
                }
            }
        }
        return new RgbImage(chw, size, size);
    }

    static double meanAbs(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

    @Test
    void blurWithTheAuthorsTinySigmaIsNearlyTheIdentityAndLargerSigmaSmooths() {
        NDArray x = nd.randomUniform(0, 1, new Shape(2, 3, 16, 16));
        assertTrue(meanAbs(DistortionLayer.gaussianBlur3x3(x, 0.2f).toFloatArray(), x.toFloatArray()) < 1e-4);
        NDArray blurred = DistortionLayer.gaussianBlur3x3(x, 2f);
        // Smoothing reduces the variance of white noise.
        assertTrue(blurred.sub(blurred.mean()).square().mean().getFloat()
                < 0.5 * x.sub(x.mean()).square().mean().getFloat());
        assertEquals(x.getShape(), blurred.getShape());
    }

    @Test
    void sharpnessMatchesTorchvisionsDefinition() {
        float[] v = new float[25];
        v[12] = 0.5f;
        NDArray x = nd.create(v, new Shape(1, 1, 5, 5)).repeat(1, 3);
        float[] out = DistortionLayer.sharpness(x, 2f).toFloatArray();
        // centre: 2*0.5 - (5*0.5)/13; inner neighbour: 0 - 0.5/13 -> clamped to 0; border untouched.
        assertEquals(Math.min(1f, 2 * 0.5f - 2.5f / 13f), out[12], 1e-6);
        assertEquals(0f, out[7], 1e-6);
        NDArray constant = nd.full(new Shape(1, 3, 8, 8), 0.4f);
        assertTrue(meanAbs(DistortionLayer.sharpness(constant, 2f).toFloatArray(), constant.toFloatArray()) < 1e-6);
    }

    @Test
    void flipsFollowTheirProbability() {
        NDArray x = nd.randomUniform(0, 1, new Shape(3, 3, 8, 8));
        assertTrue(meanAbs(DistortionLayer.randomFlip(x, 3, 1f, new Random(1)).toFloatArray(),
                x.flip(3).toFloatArray()) < 1e-7);
        assertTrue(meanAbs(DistortionLayer.randomFlip(x, 2, 0f, new Random(1)).toFloatArray(), x.toFloatArray()) < 1e-7);
    }

    @Test
    void rescaleKeepsSizeAndRemovesFineDetail() {
        NDArray x = nd.randomUniform(0, 1, new Shape(1, 3, 32, 32));
        NDArray r = DistortionLayer.rescale(x, 2f);
        assertEquals(x.getShape(), r.getShape());
        assertEquals(x.mean().getFloat(), r.mean().getFloat(), 0.02);
        assertTrue(r.sub(r.mean()).square().mean().getFloat() < 0.5 * x.sub(x.mean()).square().mean().getFloat());
        assertTrue(meanAbs(DistortionLayer.rescale(x, 1f).toFloatArray(), x.toFloatArray()) < 1e-7);
    }

    @Test
    void differentiableJpegTracksARealJpegEncoder() throws Exception {
        RgbImage img = smoothImage(64, 4);
        for (int quality : new int[] {30, 75}) {
            float[] real = realJpeg(img, quality).chw();
            float[] approx = DifferentiableJpeg.apply(Batches.stack(nd, List.of(img)), quality).toFloatArray();
            double vsReal = meanAbs(approx, real);
            assertTrue(vsReal < 2.5 / 255, "quality " + quality + ": mean |approx - libjpeg| = " + vsReal * 255 + " levels");
        }
        float[] x = img.chw();
        double q10 = meanAbs(DifferentiableJpeg.apply(Batches.stack(nd, List.of(img)), 10).toFloatArray(), x);
        double q95 = meanAbs(DifferentiableJpeg.apply(Batches.stack(nd, List.of(img)), 95).toFloatArray(), x);
        assertTrue(q10 > 2 * q95, "lower quality must distort more: q10 " + q10 + " q95 " + q95);
    }

    @Test
    void differentiableJpegPassesGradientsAndHandlesOddSizes() {
        NDArray x = nd.randomUniform(0.2f, 0.8f, new Shape(1, 3, 20, 28));
        x.setRequiresGradient(true);
        try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
            NDArray y = DifferentiableJpeg.apply(x, 50);
            assertEquals(x.getShape(), y.getShape());
            gc.backward(y.sum());
        }
        assertTrue(x.getGradient().abs().sum().getFloat() > 0);
    }

    @Test
    void randomResizedCropKeepsSizeShiftsContentAndPassesGradients() {
        NDArray x = nd.randomUniform(0, 1, new Shape(4, 3, 32, 32));
        x.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
            y = DistortionLayer.randomResizedCrop(x, 0.8f, new Random(3));
            gc.backward(y.sum());
        }
        assertEquals(x.getShape(), y.getShape());
        assertTrue(meanAbs(y.toFloatArray(), x.toFloatArray()) > 0.05, "the crops re-frame the images");
        assertTrue(x.getGradient().abs().sum().getFloat() > 0);
        NDArray whole = DistortionLayer.randomResizedCrop(x.stopGradient(), 1f, new Random(3));
        assertTrue(meanAbs(whole.toFloatArray(), x.toFloatArray()) < 0.35, "scale 1 keeps (nearly) the whole image");
    }

    /**
     * A rotation by 0 degrees is the identity; a quarter turn of a square image maps pixels exactly
     * (90 degrees is past the training range, but the geometry is checked where it is exact); small
     * angles keep the centre pixel and the value range; gradients reach the input.
     */
    @Test
    void rotationTurnsEachImageAboutItsCentre() {
        float[] ramp = new float[3 * 5 * 5];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (i % 25) / 24f;
        }
        NDArray x = nd.create(ramp, new Shape(1, 3, 5, 5));
        assertTrue(meanAbs(DistortionLayer.randomRotation(x, 0f, new Random(1)).toFloatArray(), ramp) < 1e-6);

        Random quarter = new Random() {
            @Override
            public double nextDouble() {
                return 1.0; // the largest angle: +maxDegrees
            }
        };
        float[] turned = DistortionLayer.randomRotation(x, 90f, quarter).toFloatArray();
        for (int y = 0; y < 5; y++) {
            for (int xx = 0; xx < 5; xx++) {
                // output (y, x) samples source (cy + (y-cy)cos - (x-cx)sin, cx + (y-cy)sin + (x-cx)cos) = (4 - x, y)
                assertEquals(ramp[(4 - xx) * 5 + y], turned[y * 5 + xx], 1e-5f, "pixel " + y + "," + xx);
            }
        }

        NDArray img = nd.randomUniform(0, 1, new Shape(4, 3, 33, 33));
        img.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
            y = DistortionLayer.randomRotation(img, 10f, new Random(4));
            gc.backward(y.sum());
        }
        assertEquals(img.getShape(), y.getShape());
        assertTrue(y.min().getFloat() >= 0f && y.max().getFloat() <= 1f);
        assertEquals(img.get(":, :, 16, 16").stopGradient().toFloatArray()[0], y.get(":, :, 16, 16").toFloatArray()[0],
                1e-5f, "the centre stays");
        assertTrue(meanAbs(y.toFloatArray(), img.stopGradient().toFloatArray()) > 0.05, "the images turn");
        assertTrue(img.getGradient().abs().sum().getFloat() > 0);
    }

    @Test
    void colourJitterStaysInRangeAndChangesEachImage() {
        NDArray x = nd.randomUniform(0.2f, 0.8f, new Shape(3, 3, 16, 16));
        NDArray y = DistortionLayer.colourJitter(x, 0.2f, new Random(1));
        assertEquals(x.getShape(), y.getShape());
        assertTrue(y.min().getFloat() >= 0f && y.max().getFloat() <= 1f);
        assertTrue(meanAbs(y.toFloatArray(), x.toFloatArray()) > 1e-3);
        assertTrue(meanAbs(DistortionLayer.colourJitter(x, 0f, new Random(1)).toFloatArray(), x.toFloatArray()) < 1e-6);
    }

    /**
     * The attacker view area-resizes a batch to a side in [min, side] (the surrogate then works at that
     * size), passes gradients back, keeps the mean colour, and leaves the batch alone when disabled.
     */
    @Test
    void attackerViewShrinksToSizesInItsRange() {
        NDArray x = nd.randomUniform(0, 1, new Shape(2, 3, 32, 32));
        DistortionLayer always = new DistortionLayer(DistortionConfig.none().withView(1f, 16));
        java.util.Set<Long> sizes = new java.util.TreeSet<>();
        Random rng = new Random(5);
        for (int i = 0; i < 60; i++) {
            NDArray v = always.attackerView(x, rng);
            long side = v.getShape().get(2);
            assertEquals(side, v.getShape().get(3));
            assertTrue(side >= 16 && side <= 32, "side " + side);
            assertEquals(x.mean().getFloat(), v.mean().getFloat(), 0.01f, "area resizing keeps the mean");
            sizes.add(side);
        }
        assertTrue(sizes.size() >= 12, "sizes drawn: " + sizes); // 17 possible sides

        NDArray g = x.duplicate();
        g.setRequiresGradient(true);
        try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
            NDArray v = new DistortionLayer(DistortionConfig.none().withView(1f, 16)).attackerView(g, new Random(2));
            gc.backward(v.sum());
        }
        assertTrue(g.getGradient().abs().sum().getFloat() > 0, "no gradient through the view");

        Random untouched = new Random(9);
        assertTrue(new DistortionLayer(DistortionConfig.none()).attackerView(x, untouched) == x);
        assertEquals(new Random(9).nextInt(), untouched.nextInt(), "a disabled view must not draw from the stream");
    }

    @Test
    void configValidatesItsRanges() {
        assertThrows(IllegalArgumentException.class,
                () -> DistortionConfig.none().withCrop(0.5f, 0f));
        assertThrows(IllegalArgumentException.class,
                () -> DistortionConfig.none().withCrop(0.5f, 0.8f, -1f));
        assertThrows(IllegalArgumentException.class,
                () -> DistortionConfig.none().withCrop(0.5f, 0.8f, 90f));
        assertThrows(IllegalArgumentException.class,
                () -> DistortionConfig.none().withColourJitter(1.5f));
        assertThrows(IllegalArgumentException.class,
                () -> DistortionConfig.none().withView(0.5f, 0));
        assertThrows(IllegalArgumentException.class,
                () -> DistortionConfig.none().withView(1.2f, 56));
        assertThrows(IllegalArgumentException.class,
                () -> new DistortionConfig(0, 1, 1.5f, 0, 0, 50, 95, 0, 1, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new DistortionConfig(0, 1, 0, 0, 0, 90, 50, 0, 1, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new DistortionConfig(0, 1, 0, 0, 0, 50, 95, 0, 0.5f, 0, 0));
    }

    /** Each with-method changes its own parts and keeps every other one (a lost part would change training). */
    @Test
    void withMethodsChangeOnlyTheirOwnParts() {
        DistortionConfig robust = DistortionConfig.robust();
        DistortionConfig all = robust.withRescale(0.8f, 4f).withAdversarial(4f / 255f, 2).withCrop(0.5f, 0.8f)
                .withColourJitter(0.1f).withView(0.7f, 40);
        assertEquals(new DistortionConfig(0.2f, 2f, 0.1f, 0.1f, 0.5f, 50, 95, 0.8f, 4f, 4f / 255f, 2,
                0.5f, 0.8f, 0.1f, 0.7f, 40, 0f), all);
        assertEquals(10f, all.withCrop(0.5f, 0.8f, 10f).cropMaxRotation());
        // the text run 12's checkpoint and model file hold: a config without rotation must still read the same
        assertEquals("DistortionConfig[blurSigma=0.2, sharpness=2.0, hflipP=0.1, vflipP=0.1, jpegP=0.5, "
                + "jpegQualityMin=50, jpegQualityMax=95, rescaleP=0.8, rescaleMaxFactor=4.0, adversarialRadius=0.003921569, "
                + "adversarialSteps=1, cropP=0.5, cropMinScale=0.8, colourJitter=0.1, viewP=0.7, viewMinSize=40]",
                robust.withRescale(0.8f, 4f).withAdversarial(1f / 255f, 1).withCrop(0.5f, 0.8f).withColourJitter(0.1f)
                        .withView(0.7f, 40).toString());
        assertTrue(all.withCrop(0.5f, 0.8f, 10f).toString().endsWith(", cropMaxRotation=10.0]"));
        assertEquals(10f, all.withCrop(0.5f, 0.8f, 10f).withCrop(0.6f, 0.9f).cropMaxRotation(),
                "re-framing crops alone keep the rotation");
        assertEquals(robust, all.withRescale(0.5f, 2f).withAdversarial(1f / 255f, 5).withCrop(0f, 1f)
                .withColourJitter(0f).withView(0f, 1));
    }

    /** Where rho_d acts survives every other with-method, and only the REM-style choice shows in the text. */
    @Test
    void whereRhoActsIsKeptAndNamedOnlyWhenItIsTheSurrogatesInput() {
        DistortionConfig rem = DistortionConfig.robust().withAdversarial(4f / 255f, 2, true);
        DistortionConfig later = rem.withRescale(0.8f, 4f).withCrop(0.5f, 0.8f, 10f).withColourJitter(0.1f)
                .withView(0.7f, 40).withAdversarial(2f / 255f, 3);
        assertTrue(later.adversarialOnSurrogateInput());
        assertEquals(2f / 255f, later.adversarialRadius());
        assertTrue(later.toString().endsWith(", cropMaxRotation=10.0, adversarialOnSurrogateInput=true]"), later.toString());
        assertFalse(DistortionConfig.robust().adversarialOnSurrogateInput(), "the authors' place is the default");
        assertFalse(rem.withAdversarial(4f / 255f, 2, false).toString().contains("adversarialOnSurrogateInput"));
    }

    @Test
    void layerAppliesOnlyWhatIsEnabled() {
        NDArray x = nd.randomUniform(0, 1, new Shape(2, 3, 16, 16));
        NDArray same = new DistortionLayer(DistortionConfig.none()).apply(x, new Random(0));
        assertTrue(meanAbs(same.toFloatArray(), x.toFloatArray()) < 1e-7);
        NDArray changed = new DistortionLayer(DistortionConfig.robust()).apply(x, new Random(0));
        assertEquals(x.getShape(), changed.getShape());
        assertTrue(meanAbs(changed.toFloatArray(), x.toFloatArray()) > 1e-3);
    }

    static RgbImage realJpeg(RgbImage img, int quality) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(quality / 100f);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(ImageCodec.toBuffered(img), null, null), p);
        }
        writer.dispose();
        return ImageCodec.fromBuffered(ImageIO.read(new ByteArrayInputStream(bytes.toByteArray())));
    }
}
