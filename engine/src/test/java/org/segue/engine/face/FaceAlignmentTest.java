package org.segue.engine.face;

import org.junit.jupiter.api.Test;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.spi.FaceBox;
import org.segue.engine.spi.FaceLandmarks;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaceAlignmentTest {

    private static final CropFraming F224 = CropFraming.of(224, 0.1);

    /** Landmarks that a known photo-to-crop transform maps exactly onto the framing's template. */
    private static FaceLandmarks landmarksFor(Similarity photoToCrop, CropFraming framing) {
        Similarity back = photoToCrop.inverse();
        double[] t = framing.templatePoints();
        double[] p = new double[t.length];
        for (int i = 0; i < t.length; i += 2) {
            p[i] = back.mapX(t[i], t[i + 1]);
            p[i + 1] = back.mapY(t[i], t[i + 1]);
        }
        return new FaceLandmarks(p);
    }

    /** The photo-to-crop transform of a face centred at (cx, cy), eye distance ~ {@code eyes} px, tilted by deg. */
    private static Similarity faceAt(double cx, double cy, double eyes, double degrees, CropFraming framing) {
        double[] t = framing.templatePoints();
        double templateEyes = t[2] - t[0];
        double s = templateEyes / eyes; // crop px per photo px
        double th = Math.toRadians(degrees);
        double a = s * Math.cos(th);
        double b = s * Math.sin(th);
        // the photo point (cx, cy) lands on the crop's centre
        double c = (framing.size() - 1) / 2.0;
        return new Similarity(a, b, c - (a * cx - b * cy), c - (b * cx + a * cy));
    }

    private static RgbImage image(int w, int h, PixelFunction f) {
        float[] chw = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    chw[(c * h + y) * w + x] = (float) f.at(c, x, y);
                }
            }
        }
        return new RgbImage(chw, h, w);
    }

    interface PixelFunction {
        double at(int c, double x, double y);
    }

    private static void assertSame(Similarity expected, Similarity actual, double tol) {
        assertEquals(expected.a(), actual.a(), tol);
        assertEquals(expected.b(), actual.b(), tol);
        assertEquals(expected.tx(), actual.tx(), tol * 1000);
        assertEquals(expected.ty(), actual.ty(), tol * 1000);
    }

    @Test
    void theFitRecoversAKnownSimilarityExactly() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            double scale = Math.exp(rng.nextDouble(-3, 3));
            double th = rng.nextDouble(-Math.PI, Math.PI);
            Similarity known = new Similarity(scale * Math.cos(th), scale * Math.sin(th),
                    rng.nextDouble(-5000, 5000), rng.nextDouble(-5000, 5000));
            double[] from = new double[10];
            double[] to = new double[10];
            for (int i = 0; i < 5; i++) {
                from[2 * i] = rng.nextDouble(0, 4000);
                from[2 * i + 1] = rng.nextDouble(0, 4000);
                to[2 * i] = known.mapX(from[2 * i], from[2 * i + 1]);
                to[2 * i + 1] = known.mapY(from[2 * i], from[2 * i + 1]);
            }
            assertSame(known, Similarity.fit(from, to), 1e-9 * Math.max(1, scale));
        }
    }

    @Test
    void landmarksOfAKnownFaceGiveItsTransformAndLandOnTheTemplate() {
        for (double deg : new double[] {0, 12, -45, 45, 90, 180}) {
            Similarity known = faceAt(1500, 900, 80, deg, F224);
            FaceAlignment al = FaceAlignment.of(landmarksFor(known, F224), F224);
            assertSame(known, al.photoToCrop(), 1e-10);
            assertEquals(Math.cos(Math.toRadians(deg)), Math.cos(al.photoToCrop().angle()), 1e-9);
            assertEquals(Math.sin(Math.toRadians(deg)), Math.sin(al.photoToCrop().angle()), 1e-9);
        }
    }

    @Test
    void similarityAlgebra() {
        Similarity s = new Similarity(0.7, -1.3, 12, -40);
        Similarity t = new Similarity(-2, 0.25, 3, 9);
        Similarity id = s.after(s.inverse());
        assertEquals(1, id.a(), 1e-12);
        assertEquals(0, id.b(), 1e-12);
        assertEquals(0, id.tx(), 1e-10);
        assertEquals(0, id.ty(), 1e-10);
        Similarity st = s.after(t);
        assertEquals(s.mapX(t.mapX(5, 7), t.mapY(5, 7)), st.mapX(5, 7), 1e-10);
        assertEquals(s.mapY(t.mapX(5, 7), t.mapY(5, 7)), st.mapY(5, 7), 1e-10);
    }

    @Test
    void theWarpSamplesThePhotoWhereTheTransformSays() {
        // bilinear interpolation reproduces a linear image exactly
        PixelFunction f = (c, x, y) -> 0.001 * x + 0.0007 * y + 0.1 * c;
        RgbImage photo = image(900, 700, f);
        for (double deg : new double[] {0, 30, 45, -45}) {
            FaceAlignment al = FaceAlignment.of(landmarksFor(faceAt(450, 350, 60, deg, F224), F224), F224);
            RgbImage crop = al.warp(photo);
            assertEquals(224, crop.width());
            Similarity back = al.cropToPhoto();
            for (int v = 0; v < 224; v += 7) {
                for (int u = 0; u < 224; u += 5) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(f.at(c, back.mapX(u, v), back.mapY(u, v)), crop.get(c, v, u), 2e-6);
                    }
                }
            }
        }
    }

    @Test
    void aSmoothDeltaGoesBackToThePhotoAndWarpsToItselfAgain() {
        // large enough that no crop reaches past the photo's edge
        int w = 1200;
        int h = 1000;
        for (double deg : new double[] {0, 20, 45}) {
            for (double eyes : new double[] {70, 140}) {
                FaceAlignment al = FaceAlignment.of(landmarksFor(faceAt(600, 500, eyes, deg, F224), F224), F224);
                int s = al.cropSize();
                float[] delta = new float[3 * s * s];
                for (int c = 0; c < 3; c++) {
                    for (int v = 0; v < s; v++) {
                        for (int u = 0; u < s; u++) {
                            delta[(c * s + v) * s + u] = (float) (0.03 * Math.sin(u / 23.0 + c) * Math.cos(v / 31.0));
                        }
                    }
                }
                FaceAlignment.PhotoDelta back = al.toPhoto(delta, w, h);
                // on the photo: the delta at each pixel's position in the crop
                int checked = 0;
                for (int y = back.box().y(); y < back.box().bottom(); y += 3) {
                    for (int x = back.box().x(); x < back.box().right(); x += 3) {
                        double u = al.photoToCrop().mapX(x, y);
                        double v = al.photoToCrop().mapY(x, y);
                        for (int c = 0; c < 3; c++) {
                            double want = u >= 0 && u <= s - 1 && v >= 0 && v <= s - 1
                                    ? 0.03 * Math.sin(u / 23.0 + c) * Math.cos(v / 31.0)
                                    : (u < -0.5 || v < -0.5 || u >= s - 0.5 || v >= s - 0.5 ? 0 : Double.NaN);
                            if (!Double.isNaN(want)) {
                                assertEquals(want, back.at(c, x, y), 2e-5, "at " + x + "," + y);
                                checked++;
                            }
                        }
                    }
                }
                assertTrue(checked > 1000);
                // and warped into the crop again (the photo delta as an image, zero outside its box)
                float[] planes = new float[3 * w * h];
                for (int c = 0; c < 3; c++) {
                    for (int y = back.box().y(); y < back.box().bottom(); y++) {
                        for (int x = back.box().x(); x < back.box().right(); x++) {
                            planes[(c * h + y) * w + x] = back.at(c, x, y);
                        }
                    }
                }
                RgbImage again = al.warp(new RgbImage(planes, h, w));
                double worst = 0;
                for (int c = 0; c < 3; c++) {
                    for (int v = 2; v < s - 2; v++) {
                        for (int u = 2; u < s - 2; u++) {
                            worst = Math.max(worst, Math.abs(again.get(c, v, u) - delta[(c * s + v) * s + u]));
                        }
                    }
                }
                // two bilinear resamplings of a smooth function: second-order error only
                assertTrue(worst < 5e-4, "round trip off by " + worst + " at " + deg + " deg, " + eyes + " px");
            }
        }
    }

    @Test
    void theBudgetHoldsOnThePhotoForAnyFaceAndAnyDelta() {
        float eps = 8f / 255;
        SplittableRandom rng = new SplittableRandom(3);
        double[][] faces = {{300, 200, 8, 0}, {300, 200, 40, 45}, {300, 200, 300, -30}, {5, 5, 60, 10},
            {590, 390, 120, 170}, {300, 200, 2000, 5}};
        for (double[] face : faces) {
            FaceAlignment al = FaceAlignment.of(landmarksFor(faceAt(face[0], face[1], face[2], face[3], F224), F224), F224);
            float[] delta = new float[3 * 224 * 224];
            for (int i = 0; i < delta.length; i++) {
                delta[i] = rng.nextBoolean() ? eps : -eps;
            }
            FaceAlignment.PhotoDelta back = al.toPhoto(delta, 600, 400);
            FaceBox box = back.box();
            assertTrue(box.x() >= 0 && box.y() >= 0 && box.right() <= 600 && box.bottom() <= 400);
            boolean moved = false;
            for (float d : back.chw()) {
                assertTrue(Math.abs(d) <= eps, "delta " + d + " exceeds " + eps);
                moved |= d != 0;
            }
            assertTrue(moved);
        }
    }

    @Test
    void onePlaneIsMappedAsEachPlaneOfAPerturbationIs() {
        FaceAlignment al = FaceAlignment.of(landmarksFor(faceAt(300, 200, 90, 25, F224), F224), F224);
        SplittableRandom rng = new SplittableRandom(5);
        int plane = 224 * 224;
        float[] three = new float[3 * plane];
        for (int i = 0; i < three.length; i++) {
            three[i] = (float) rng.nextDouble();
        }
        FaceAlignment.PhotoDelta back = al.toPhoto(three, 600, 400);
        int out = back.box().width() * back.box().height();
        for (int c = 0; c < 3; c++) {
            float[] one = al.toPhoto(java.util.Arrays.copyOfRange(three, c * plane, (c + 1) * plane), 1, 600, 400);
            assertArrayEquals(java.util.Arrays.copyOfRange(back.chw(), c * out, (c + 1) * out), one);
        }
        assertThrows(IllegalArgumentException.class, () -> al.toPhoto(three, 2, 600, 400));
        assertThrows(IllegalArgumentException.class, () -> al.toPhoto(new float[0], 0, 600, 400));
    }

    @Test
    void aTiltedFacesFootprintIsTheRotatedSquaresBoundingBox() {
        Similarity known = faceAt(500, 500, 50, 45, F224);
        FaceAlignment al = FaceAlignment.of(landmarksFor(known, F224), F224);
        FaceBox box = al.footprint(1000, 1000);
        double side = 224 * al.photoPixelsPerCropPixel();
        double diagonal = side * Math.sqrt(2);
        assertEquals(diagonal, box.width(), 2.5);
        assertEquals(diagonal, box.height(), 2.5);
        assertEquals(500, box.x() + box.width() / 2.0, 2);
        assertEquals(500, box.y() + box.height() / 2.0, 2);
        // the corners of the box lie outside the rotated crop: no delta there
        float[] ones = new float[3 * 224 * 224];
        java.util.Arrays.fill(ones, 1f);
        FaceAlignment.PhotoDelta back = al.toPhoto(ones, 1000, 1000);
        assertEquals(0f, back.at(0, box.x(), box.y()));
        assertEquals(1f, back.at(0, 500, 500));
    }

    @Test
    void aCropReachingOutOfThePhotoRepeatsItsEdgeAndItsFootprintIsClipped() {
        PixelFunction f = (c, x, y) -> (x + 2 * y) / 1000.0;
        RgbImage photo = image(300, 200, f);
        FaceAlignment al = FaceAlignment.of(landmarksFor(faceAt(10, 190, 40, 0, F224), F224), F224);
        RgbImage crop = al.warp(photo);
        // the crop's top-left pixel lies left of the photo: it takes the photo's left column
        double py = al.cropToPhoto().mapY(0, 0);
        assertTrue(al.cropToPhoto().mapX(0, 0) < 0);
        assertEquals(f.at(0, 0, py), crop.get(0, 0, 0), 1e-5);
        // the bottom-right lies below and right of (10, 190) only partly inside
        FaceBox box = al.footprint(300, 200);
        assertEquals(0, box.x());
        assertEquals(200, box.bottom());
        assertTrue(box.right() < 300);
        // wholly outside: refused with a reason
        FaceAlignment away = FaceAlignment.of(landmarksFor(faceAt(-900, 100, 40, 0, F224), F224), F224);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> away.footprint(300, 200));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void tinyFacesAreEnlargedAndHugeFacesAreAveragedNotAliased() {
        // a one-pixel checkerboard: sampling it without averaging gives anything between 0 and 1
        PixelFunction checker = (c, x, y) -> ((int) x + (int) y) % 2;
        RgbImage photo = image(1600, 1600, checker);
        FaceAlignment huge = FaceAlignment.of(landmarksFor(faceAt(800, 800, 450, 17, F224), F224), F224);
        assertTrue(huge.photoPixelsPerCropPixel() > 6);
        RgbImage crop = huge.warp(photo);
        for (int i = 0; i < crop.chw().length; i++) {
            assertEquals(0.5, crop.chw()[i], 0.02);
        }
        // a tiny face (eyes 4 px apart) still gives a full crop, interpolated from a few pixels
        PixelFunction ramp = (c, x, y) -> x / 2400.0;
        RgbImage rampPhoto = image(400, 300, ramp);
        FaceAlignment tiny = FaceAlignment.of(landmarksFor(faceAt(200, 150, 4, -30, F224), F224), F224);
        assertTrue(tiny.photoPixelsPerCropPixel() < 0.1);
        RgbImage small = tiny.warp(rampPhoto);
        assertEquals(ramp.at(0, tiny.cropToPhoto().mapX(100, 60), 0), small.get(1, 60, 100), 1e-6);
        assertTrue(tiny.footprint(400, 300).width() < 30);
    }

    @Test
    void reframingKeepsTheTemplateAndChangesOnlyTheCrop() {
        FaceLandmarks lm = landmarksFor(faceAt(400, 300, 90, 23, F224), F224);
        CropFraming embedder = new CropFraming(150, -0.05, -0.1);
        FaceAlignment direct = FaceAlignment.of(lm, embedder);
        FaceAlignment reframed = FaceAlignment.of(lm, F224).reframed(embedder);
        assertSame(direct.photoToCrop(), reframed.photoToCrop(), 1e-12);
        assertEquals(embedder, reframed.framing());
        // padding shows more around the same face: the crop covers more photo pixels per crop pixel
        double pad0 = FaceAlignment.of(lm, CropFraming.of(150, 0)).photoPixelsPerCropPixel();
        double pad25 = FaceAlignment.of(lm, CropFraming.of(150, 0.25)).photoPixelsPerCropPixel();
        assertEquals(1.5, pad25 / pad0, 1e-9);
    }

    @Test
    void degenerateLandmarksAreRefusedClearly() {
        double[] same = new double[10];
        java.util.Arrays.fill(same, 123.4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaceAlignment.of(new FaceLandmarks(same), F224));
        assertTrue(e.getMessage().contains("coincide"), e.getMessage());
        double[] nan = {1, 2, 3, 4, 5, 6, 7, 8, 9, Double.NaN};
        e = assertThrows(IllegalArgumentException.class, () -> FaceAlignment.of(nan, F224));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FaceLandmarks(nan));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FaceAlignment.of(new double[4], F224));
        assertTrue(e.getMessage().contains("five"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CropFraming.of(4, 0));
        assertThrows(IllegalArgumentException.class, () -> CropFraming.of(224, Double.NaN));
        FaceAlignment al = FaceAlignment.of(landmarksFor(faceAt(100, 100, 50, 0, F224), F224), F224);
        e = assertThrows(IllegalArgumentException.class, () -> al.toPhoto(new float[10], 300, 300));
        assertTrue(e.getMessage().contains("224x224"), e.getMessage());
        float[] bad = new float[3 * 224 * 224];
        bad[77] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> al.toPhoto(bad, 300, 300));
    }

    @Test
    void stringsRevealNoGeometry() {
        FaceAlignment al = FaceAlignment.of(landmarksFor(faceAt(123.25, 456.75, 50, 10, F224), F224), F224);
        for (String s : new String[] {al.toString(), al.photoToCrop().toString(), al.cropToPhoto().toString(),
            al.toPhoto(new float[3 * 224 * 224], 1000, 1000).toString()}) {
            assertFalse(s.matches(".*\\d+\\.\\d+.*"), s);
        }
    }
}
