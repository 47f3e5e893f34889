package org.segue.engine.photo;

import org.junit.jupiter.api.Test;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.face.CropFraming;
import org.segue.engine.face.FaceAlignment;
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
 * the generator's perturbation lands inside the crop's (rotated) square only, and the budget holds.
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

    @Test
    void aTiltedFaceIsProtectedInsideItsAlignedCropOnly() throws Exception {
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
        int changedInside = 0;
        int size = alignment.cropSize();
        for (int y = 0; y < 540; y++) {
            for (int x = 0; x < 720; x++) {
                boolean changed = out.getRGB(x, y) != photo.getRGB(x, y);
                // where this pixel lands in the crop: outside the crop square nothing may change
                double cx = alignment.photoToCrop().mapX(x, y);
                double cy = alignment.photoToCrop().mapY(x, y);
                boolean insideSquare = cx > -1 && cy > -1 && cx < size && cy < size;
                if (changed) {
                    assertTrue(insideSquare, "pixel (" + x + "," + y + ") outside the aligned crop changed");
                    changedInside++;
                }
            }
        }
        double side = size * alignment.photoPixelsPerCropPixel();
        double squareArea = side * side;
        assertTrue(changedInside > 0.5 * squareArea, changedInside + " pixels changed of a crop covering about "
                + Math.round(squareArea));
    }
}
