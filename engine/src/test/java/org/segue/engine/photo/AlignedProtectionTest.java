package org.segue.engine.photo;

import org.junit.jupiter.api.Test;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.face.CropFraming;
import org.segue.engine.face.FaceAlignment;
import org.segue.engine.generator.FaceMask;
import org.segue.engine.spi.DetectedFace;
import org.segue.engine.spi.FaceBox;
import org.segue.engine.spi.FaceDetector;
import org.segue.engine.spi.FaceLandmarks;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A face with landmarks is protected through its aligned crop: the protected region is what the crop covers,
 * the generator's perturbation lands inside the face oval of the crop only, and the budget holds.
 */
class AlignedProtectionTest {

    /** One tilted face's landmarks on a photo shrunk by the pipeline: the detector sees a preview. */
    private static final class LandmarkDetector implements FaceDetector {
        final FaceLandmarks landmarks;

        LandmarkDetector(FaceLandmarks landmarks) {
            this.landmarks = landmarks;
        }

        @Override
        public List<FaceBox> detect(BufferedImage upright) {
            return detectFaces(upright).stream().map(DetectedFace::box).toList();
        }

        @Override
        public List<DetectedFace> detectFaces(BufferedImage upright) {
            return List.of(new DetectedFace(new FaceBox(300, 200, 120, 140), landmarks, 0.9f));
        }

        @Override
        public int workingSize() {
            return 4096;
        }

        @Override
        public String name() {
            return "landmarks (test)";
        }

        @Override
        public void close() {
        }
    }

    /** The ArcFace points of a face whose eyes are 60 px apart, turned by {@code degrees}, centred at (360, 270). */
    private static FaceLandmarks tilted(double degrees) {
        double[] unit = CropFraming.unitTemplate();
        double[] xy = new double[10];
        double a = Math.toRadians(degrees);
        double scale = 60 / ((73.5318 - 38.2946) / 112);
        for (int i = 0; i < 5; i++) {
            double u = (unit[2 * i] - 0.5) * scale;
            double v = (unit[2 * i + 1] - 0.5) * scale;
            xy[2 * i] = 360 + u * Math.cos(a) - v * Math.sin(a);
            xy[2 * i + 1] = 270 + u * Math.sin(a) + v * Math.cos(a);
        }
        return new FaceLandmarks(xy);
    }

    private static BufferedImage texture(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = 60 + (int) (80 * Math.sin(x / 9.0) * Math.cos(y / 13.0)) + r.nextInt(30);
                img.setRGB(x, y, (v << 16) | ((v * 3 / 4) << 8) | (v / 2));
            }
        }
        return img;
    }

    /** The face mask's largest weight within one crop pixel of a crop point (interpolation reaches that far). */
    private static double maskNear(double cx, double cy, int size) {
        double most = 0;
        for (double dx = -1; dx <= 1; dx += 0.5) {
            for (double dy = -1; dy <= 1; dy += 0.5) {
                most = Math.max(most, FaceMask.FACE.weight((cx + dx) / size, (cy + dy) / size));
            }
        }
        return most;
    }

    @Test
    void aTiltedFaceIsProtectedInsideItsFaceOvalOnly() throws Exception {
        FaceLandmarks landmarks = tilted(30);
        BufferedImage photo = texture(720, 540);
        PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(), new LandmarkDetector(landmarks),
                ProtectionOptions.defaults());
        PhotoProtector.Analysed analysed = protector.analyse(TestPhotos.encode(photo, "png"), "tilted.png");
        PhotoProtector.Face face = analysed.faces().get(0);
        assertNotNull(face.landmarks(), "the detector's landmarks reach the pipeline");
        FaceAlignment alignment = FaceAlignment.of(landmarks,
                CropFraming.trainingCrops(TestEngine.defaultModel().info().inputHeight()));
        assertEquals(alignment.footprint(720, 540), face.region(), "the region is what the aligned crop covers");

        PhotoProtector.ProtectedPixels done = protector.protectPixels(analysed, new int[] {7});
        BufferedImage out = done.pixels().image();
        int eps = Math.round(ProtectionOptions.defaults().epsilon() * 255);
        assertTrue(done.maxChange() > 0 && done.maxChange() <= eps, "max change " + done.maxChange());
        int changed = 0;
        int fullyInside = 0;
        int size = alignment.cropSize();
        for (int y = 0; y < 540; y++) {
            for (int x = 0; x < 720; x++) {
                // where this pixel lands in the crop: where the face mask is zero nothing may change
                double cx = alignment.photoToCrop().mapX(x, y);
                double cy = alignment.photoToCrop().mapY(x, y);
                if (out.getRGB(x, y) != photo.getRGB(x, y)) {
                    assertTrue(maskNear(cx, cy, size) > 0, "pixel (" + x + "," + y + ") outside the face oval changed");
                    changed++;
                }
                if (FaceMask.FACE.weight(cx / size, cy / size) == 1) {
                    fullyInside++;
                }
            }
        }
        assertTrue(changed > 0.8 * fullyInside, changed + " pixels changed, " + fullyInside
                + " in the oval's fully weighted part");
    }

    /** Mean absolute difference of horizontally neighbouring pixels' red samples, over the pixels {@code where} holds. */
    private static double detail(BufferedImage img, java.util.function.BiPredicate<Integer, Integer> where) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x + 1 < img.getWidth(); x++) {
                if (where.test(x, y)) {
                    sum += Math.abs(((img.getRGB(x, y) >> 16) & 255) - ((img.getRGB(x + 1, y) >> 16) & 255));
                    n++;
                }
            }
        }
        return sum / n;
    }

    @Test
    void aConcealedHeadIsBlurredWithinItsAreaAndNothingBeyond() throws Exception {
        FaceLandmarks landmarks = tilted(30);
        BufferedImage photo = texture(720, 540);
        PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(), new LandmarkDetector(landmarks),
                ProtectionOptions.builder().concealHeads(true).build());
        PhotoProtector.Analysed analysed = protector.analyse(TestPhotos.encode(photo, "png"), "tilted.png");
        FaceAlignment head = FaceAlignment.of(landmarks,
                CropFraming.trainingCrops(TestEngine.defaultModel().info().inputHeight())).reframed(HeadConcealment.framing());
        assertEquals(head.footprint(720, 540), analysed.faces().get(0).region(), "the region holds the whole head area");
        BufferedImage out = protector.protectPixels(analysed, new int[] {7}).pixels().image();
        double zoom = head.cropSize() / (1 + 2 * HeadConcealment.PADDING);
        // a photo pixel's head weight, the largest within a pixel of it (the mapping back interpolates that far)
        java.util.function.BiFunction<Integer, Integer, Double> weight = (x, y) -> {
            double most = 0;
            for (double dx = -1; dx <= 1; dx += 1) {
                for (double dy = -1; dy <= 1; dy += 1) {
                    double u = head.photoToCrop().mapX(x + dx, y + dy) / zoom - HeadConcealment.PADDING;
                    double v = head.photoToCrop().mapY(x + dx, y + dy) / zoom - HeadConcealment.PADDING;
                    most = Math.max(most, FaceMask.HEAD.weight(u, v));
                }
            }
            return most;
        };
        int changedOutside = 0;
        for (int y = 0; y < 540; y++) {
            for (int x = 0; x < 720; x++) {
                if (out.getRGB(x, y) != photo.getRGB(x, y) && weight.apply(x, y) == 0) {
                    changedOutside++;
                }
            }
        }
        assertEquals(0, changedOutside, "pixels beyond the head area changed");
        java.util.function.BiPredicate<Integer, Integer> inside = (x, y) -> {
            double u = head.photoToCrop().mapX(x, y) / zoom - HeadConcealment.PADDING;
            double v = head.photoToCrop().mapY(x, y) / zoom - HeadConcealment.PADDING;
            return FaceMask.HEAD.weight(u, v) == 1;
        };
        double before = detail(photo, inside);
        double after = detail(out, inside);
        assertTrue(after < 0.3 * before, "detail inside the head " + after + " against " + before + " before");
        // and no seam where the head area ends: the change fades, so neighbours differ no more than the texture does
        java.util.function.BiPredicate<Integer, Integer> edge = (x, y) -> {
            double w = weight.apply(x, y);
            return w > 0 && w < 1;
        };
        assertTrue(detail(out, edge) <= detail(photo, edge) + 1, "a seam at the head area's edge: "
                + detail(out, edge) + " against " + detail(photo, edge));
    }

    @Test
    void aFaceBesideAnotherKeepsTheFirstFacesProtectionInItsCorners() throws Exception {
        FaceLandmarks first = tilted(0);
        FaceLandmarks second = first.translated(75, 10); // the second face's region covers part of the first's oval
        BufferedImage photo = texture(720, 540);
        PhotoProtector one = new PhotoProtector(TestEngine.defaultModel(), new LandmarkDetector(first),
                ProtectionOptions.defaults());
        BufferedImage firstOnly = one.protectPixels(one.analyse(TestPhotos.encode(photo, "png"), "one.png"),
                new int[] {7}).pixels().image();
        PhotoProtector two = new PhotoProtector(TestEngine.defaultModel(), new TwoFaces(first, second),
                ProtectionOptions.defaults());
        PhotoProtector.Analysed analysed = two.analyse(TestPhotos.encode(photo, "png"), "two.png");
        assertTrue(analysed.faces().get(0).region().overlapOfSmaller(analysed.faces().get(1).region()) > 0.1);
        BufferedImage both = two.protectPixels(analysed, new int[] {7, 9}).pixels().image();
        FaceAlignment secondAlignment = FaceAlignment.of(second,
                CropFraming.trainingCrops(TestEngine.defaultModel().info().inputHeight()));
        int size = secondAlignment.cropSize();
        FaceBox secondRegion = analysed.faces().get(1).region();
        int protectedByFirst = 0;
        int kept = 0;
        for (int y = secondRegion.y(); y < secondRegion.bottom(); y++) {
            for (int x = secondRegion.x(); x < secondRegion.right(); x++) {
                double cx = secondAlignment.photoToCrop().mapX(x, y);
                double cy = secondAlignment.photoToCrop().mapY(x, y);
                if (maskNear(cx, cy, size) == 0 && firstOnly.getRGB(x, y) != photo.getRGB(x, y)) {
                    protectedByFirst++;
                    if (both.getRGB(x, y) != photo.getRGB(x, y)) {
                        kept++;
                    }
                }
            }
        }
        assertTrue(protectedByFirst > 200, protectedByFirst + " pixels of the first face lie in the second's corners");
        assertTrue(kept > 0.95 * protectedByFirst, kept + " of " + protectedByFirst
                + " pixels the first face protected in the second face's region stayed protected");
    }

    /** Two faces' landmarks, in order. */
    private static final class TwoFaces implements FaceDetector {
        final FaceLandmarks a;
        final FaceLandmarks b;

        TwoFaces(FaceLandmarks a, FaceLandmarks b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public List<FaceBox> detect(BufferedImage upright) {
            return detectFaces(upright).stream().map(DetectedFace::box).toList();
        }

        @Override
        public List<DetectedFace> detectFaces(BufferedImage upright) {
            return List.of(new DetectedFace(new FaceBox(300, 200, 120, 140), a, 0.9f),
                    new DetectedFace(new FaceBox(375, 210, 120, 140), b, 0.9f));
        }

        @Override
        public int workingSize() {
            return 4096;
        }

        @Override
        public String name() {
            return "two faces (test)";
        }

        @Override
        public void close() {
        }
    }
}
