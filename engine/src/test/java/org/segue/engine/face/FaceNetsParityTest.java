package org.segue.engine.face;

import ai.djl.Device;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.segue.engine.SharedData;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ported networks against face-api 1.7.15 itself (tfjs CPU backend, SsdMobilenetv1Options minConfidence
 * 0.5) on the public-domain astronaut photo, 512x512, where the detector runs exactly as face-api runs it.
 */
class FaceNetsParityTest {

    /** face-api: score, box x, y, width, height. */
    static final double[] JS_DETECTION = {0.9648423194885254, 181.11810302734375, 72.86064147949219,
            83.27734375, 101.72221374511719};

    /** face-api's 68 landmarks (x, y) on the astronaut, in image pixels. */
    static final double[] JS_LANDMARKS = {
            175.406, 99.476, 175.997, 111.906, 177.522, 123.705, 179.295, 134.028, 182.85, 145.633,
            188.753, 154.994, 196.315, 162.043, 206.449, 170.141, 221.027, 174.526, 235.637, 170.815,
            244.793, 164.612, 251.826, 158.708, 258.215, 149.866, 262.762, 139.138, 265.127, 128.662,
            267.309, 117.979, 268.098, 105.917, 186.057, 90.627, 192.202, 87.099, 199.582, 86.684,
            206.413, 87.866, 212.356, 90.558, 236.451, 92.202, 242.456, 90.309, 248.953, 89.603,
            256.18, 90.579, 261.218, 94.322, 223.689, 104.361, 223.529, 113.209, 223.057, 121.52,
            222.691, 128.771, 213.879, 130.724, 217.624, 132.671, 222.533, 133.66, 227.354, 132.543,
            231.011, 131.466, 194.614, 100.044, 199.121, 98.435, 205.257, 98.789, 210.453, 102.239,
            205.547, 103.762, 199.064, 102.934, 236.212, 103.541, 241.823, 100.519, 248.103, 100.906,
            251.895, 103.405, 247.585, 105.705, 241.33, 104.979, 201.4, 141.095, 208.585, 139.871,
            217.773, 139.225, 222.516, 140.142, 226.7, 139.196, 236.443, 140.535, 243.664, 142.412,
            235.588, 150.22, 229.032, 153.788, 222.124, 154.873, 215.826, 153.723, 208.89, 150.015,
            202.338, 141.419, 215.581, 142.192, 222.385, 142.629, 228.838, 142.72, 242.088, 142.362,
            228.798, 148.555, 222.506, 149.352, 216.16, 148.745};

    private static SsdMobileNetV1 ssd;
    private static FaceLandmarkNet landmarks;

    @BeforeAll
    static void load() {
        ssd = SsdMobileNetV1.load(Device.cpu());
        landmarks = FaceLandmarkNet.load(Device.cpu());
    }

    @AfterAll
    static void close() {
        ssd.close();
        landmarks.close();
    }

    static BufferedImage astronaut() throws Exception {
        return ImageIO.read(SharedData.require("photos/public-domain/astronaut.png").toFile());
    }

    @Test
    void detectorMatchesFaceApi() throws Exception {
        BufferedImage img = astronaut();
        List<SsdMobileNetV1.Detection> faces = ssd.detect(ImagePlanes.chw(img), img.getHeight(), img.getWidth(),
                0.5f, 0.5, 100);
        assertEquals(1, faces.size(), "face-api finds one face");
        SsdMobileNetV1.Detection d = faces.get(0);
        assertEquals(JS_DETECTION[0], d.score(), 0.01);
        assertEquals(JS_DETECTION[1], d.x0(), 1.5);
        assertEquals(JS_DETECTION[2], d.y0(), 1.5);
        assertEquals(JS_DETECTION[3], d.width(), 1.5);
        assertEquals(JS_DETECTION[4], d.height(), 1.5);
    }

    @Test
    void landmarksMatchFaceApi() throws Exception {
        BufferedImage img = astronaut();
        // face-api crops the detection box (cut to whole pixels by the tensor slice)
        int x = (int) JS_DETECTION[1];
        int y = (int) JS_DETECTION[2];
        int w = (int) JS_DETECTION[3];
        int h = (int) JS_DETECTION[4];
        double[] p = landmarks.landmarks(ImagePlanes.chw(img.getSubimage(x, y, w, h)), h, w);
        double worst = 0;
        for (int i = 0; i < p.length; i++) {
            double origin = i % 2 == 0 ? JS_DETECTION[1] : JS_DETECTION[2];
            worst = Math.max(worst, Math.abs(p[i] + origin - JS_LANDMARKS[i]));
        }
        assertTrue(worst <= 1.5, "largest landmark difference from face-api: " + worst + " px");
    }
}
