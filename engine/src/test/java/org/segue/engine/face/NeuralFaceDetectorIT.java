package org.segue.engine.face;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.segue.engine.spi.DetectedFace;
import org.segue.engine.spi.FaceBox;
import org.segue.engine.spi.FaceLandmarks;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The detector end to end: no faces in garbage, tilted and small faces found, concurrent calls agree. */
class NeuralFaceDetectorIT {

    private static NeuralFaceDetector detector;

    @BeforeAll
    static void load() {
        detector = new NeuralFaceDetector();
    }

    @AfterAll
    static void close() {
        detector.close();
    }

    @Test
    void findsNoFaceInNoiseOrFlatImages() {
        Random random = new Random(30);
        BufferedImage noise = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < noise.getHeight(); y++) {
            for (int x = 0; x < noise.getWidth(); x++) {
                noise.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        BufferedImage flat = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = flat.createGraphics();
        g.setColor(new java.awt.Color(200, 170, 150)); // a skin-like tone
        g.fillRect(0, 0, 800, 600);
        g.dispose();
        BufferedImage gradient = new BufferedImage(512, 512, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) {
                gradient.setRGB(x, y, (x / 2) << 16 | (y / 2) << 8 | ((x + y) / 4));
            }
        }
        assertEquals(List.of(), detector.detectFaces(noise), "faces in uniform noise");
        assertEquals(List.of(), detector.detectFaces(flat), "faces in a flat image");
        assertEquals(List.of(), detector.detectFaces(gradient), "faces in a gradient");
        assertEquals(List.of(), detector.detectFaces(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB)));
    }

    @Test
    void findsTheAstronautWithLandmarksInPlace() throws Exception {
        BufferedImage img = FaceNetsParityTest.astronaut();
        List<DetectedFace> faces = detector.detectFaces(img);
        assertEquals(1, faces.size());
        DetectedFace face = faces.get(0);
        assertTrue(face.confidence() > 0.9f, "confidence " + face.confidence());
        FaceLandmarks l = face.landmarks();
        // face-api's 68 points reduced to five (eye centres 36-41 and 42-47, nose 30, mouth 48 and 54)
        double[] expected = {202.34, 101.03, 244.49, 103.18, 222.69, 128.77, 201.40, 141.10, 243.66, 142.41};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], l.xy()[i], 1.5, "landmark coordinate " + i);
        }
        // the box is brows to chin and jaw to jaw
        FaceBox box = face.box();
        assertEquals(175, box.x(), 2);
        assertEquals(86, box.y(), 2);
        assertEquals(268, box.x() + box.width(), 2);
        assertEquals(175, box.y() + box.height(), 2);
        assertEquals(List.of(box), detector.detect(img));
    }

    @Test
    void findsFacesTiltedUpToFortyFiveDegrees() throws Exception {
        BufferedImage img = FaceNetsParityTest.astronaut();
        FaceLandmarks upright = detector.detectFaces(img).get(0).landmarks();
        for (double degrees : new double[] {45, -45, 25, -25}) {
            AffineTransform turn = AffineTransform.getRotateInstance(Math.toRadians(degrees), 256, 256);
            BufferedImage tilted = new BufferedImage(512, 512, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = tilted.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, turn, null);
            g.dispose();
            List<DetectedFace> faces = detector.detectFaces(tilted);
            assertEquals(1, faces.size(), "faces at " + degrees + " degrees");
            FaceLandmarks found = faces.get(0).landmarks();
            AffineTransform back = turn.createInverse();
            double worst = 0;
            for (int p = 0; p < FaceLandmarks.POINTS; p++) {
                Point2D q = back.transform(new Point2D.Double(found.x(p), found.y(p)), null);
                worst = Math.max(worst, q.distance(upright.x(p), upright.y(p)));
            }
            // the eyes are 43 px apart: a point within 5 px is on the same feature
            assertTrue(worst < 5, "landmarks at " + degrees + " degrees are " + worst + " px off once turned back");
        }
    }

    @Test
    void findsAFortyPixelFaceInALargePhoto() throws Exception {
        BufferedImage img = FaceNetsParityTest.astronaut();
        // the astronaut's face is 93 px wide in 512: shrunk to 220 px it is 40 px wide
        BufferedImage canvas = new BufferedImage(1600, 1200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        Random random = new Random(7);
        for (int i = 0; i < 400; i++) {
            g.setColor(new java.awt.Color(random.nextInt(1 << 24)));
            g.fillRect(random.nextInt(1600), random.nextInt(1200), 20 + random.nextInt(200), 20 + random.nextInt(200));
        }
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 1100, 300, 220, 220, null);
        g.dispose();
        List<DetectedFace> faces = detector.detectFaces(canvas);
        assertEquals(1, faces.size(), "faces found: " + faces.size());
        FaceBox box = faces.get(0).box();
        double cx = 1100 + 222.0 * 220 / 512;
        double cy = 300 + 130.0 * 220 / 512;
        assertTrue(box.x() < cx && cx < box.x() + box.width() && box.y() < cy && cy < box.y() + box.height(),
                "the face box misses the face: " + box);
        assertEquals(40, box.width(), 8);
    }

    @Test
    void findsALargeFaceOnceWhereTheImageIsSearchedInStrips() throws Exception {
        BufferedImage img = FaceNetsParityTest.astronaut();
        // 1024x1024 is searched in four strips overlapping by less than this 186 px face, and whole, shrunk
        BufferedImage large = new BufferedImage(1024, 1024, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = large.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, 1024, 1024, null);
        g.dispose();
        assertTrue(1024 * 1024 > NeuralFaceDetector.MAX_PASS_PIXELS, "the image must be searched in strips");
        List<DetectedFace> faces = detector.detectFaces(large);
        assertEquals(1, faces.size(), "faces found: " + faces);
        FaceBox box = faces.get(0).box();
        FaceBox small = detector.detectFaces(img).get(0).box();
        assertEquals(2 * small.x(), box.x(), 12);
        assertEquals(2 * small.y(), box.y(), 12);
        assertEquals(2 * small.width(), box.width(), 12);
        assertEquals(2 * small.height(), box.height(), 12);
    }

    @Test
    void concurrentCallsGiveTheSameFaces() throws Exception {
        BufferedImage img = FaceNetsParityTest.astronaut();
        List<DetectedFace> alone = detector.detectFaces(img);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<List<DetectedFace>> call = () -> detector.detectFaces(img);
            Future<List<DetectedFace>> a = pool.submit(call);
            Future<List<DetectedFace>> b = pool.submit(call);
            assertEquals(alone, a.get());
            assertEquals(alone, b.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
