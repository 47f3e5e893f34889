package org.segue.engine.face;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.segue.engine.SharedData;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.RgbImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaceRecognitionNetIT {

    /**
     * face-api 1.7.15's descriptor (tfjs CPU backend) of the 150x150 window at (148, 50) of the public-domain
     * astronaut portrait, no resampling: {@code computeFaceDescriptor(tf.slice(image, [50, 148, 0], [150, 150, 3]))}.
     */
    private static final float[] ASTRONAUT_WINDOW = {
        -0.1011825f, 0.0387120f, 0.0093608f, 0.0145510f, -0.1507676f, -0.0056371f, 0.0113804f, -0.1386278f,
        0.0815734f, -0.0871962f, 0.2017658f, -0.0980773f, -0.2910211f, -0.0308889f, 0.0373657f, 0.1672200f,
        -0.1397573f, -0.1344282f, -0.1921951f, -0.0665426f, 0.0099288f, 0.0667419f, 0.0434049f, 0.0976930f,
        -0.2181152f, -0.3232611f, -0.0467241f, -0.1103631f, 0.0299803f, -0.0560847f, -0.0766215f, 0.1267954f,
        -0.0867316f, 0.0026146f, 0.0916898f, 0.0688952f, -0.0272067f, -0.0886909f, 0.1646041f, -0.0573151f,
        -0.2571919f, -0.0350039f, 0.0427490f, 0.2276879f, 0.3035461f, -0.0429019f, 0.0200886f, -0.0804841f,
        0.0845552f, -0.2980738f, -0.0087734f, 0.1244027f, 0.0848112f, 0.0970106f, 0.0363478f, -0.1493481f,
        -0.0151892f, 0.1898497f, -0.2605463f, -0.0076515f, 0.0040886f, -0.1129028f, 0.0163531f, -0.0596504f,
        0.1636527f, 0.1246897f, -0.1735931f, -0.1448363f, 0.1619002f, -0.2533622f, -0.0412283f, 0.1071893f,
        -0.1516249f, -0.2361043f, -0.3446977f, -0.0390939f, 0.4480807f, 0.1936792f, -0.2014584f, -0.0616183f,
        -0.0470875f, -0.0141869f, 0.0500586f, 0.0639307f, -0.0624202f, -0.1201042f, -0.1059751f, 0.0379038f,
        0.2160165f, -0.0440122f, -0.0364513f, 0.2733562f, 0.0362739f, -0.0473169f, 0.0473129f, 0.1478506f,
        -0.1023738f, -0.0451799f, -0.0766832f, -0.0074576f, -0.0408083f, -0.0821979f, 0.0707869f, 0.1620236f,
        -0.1343392f, 0.2301099f, -0.0507627f, 0.0176411f, -0.0148040f, -0.0403031f, -0.0393186f, -0.0269055f,
        0.1634901f, -0.2604224f, 0.0783648f, 0.1953940f, 0.0499076f, 0.1484106f, -0.0410592f, 0.0481699f, -0.0485747f,
        -0.0171910f, -0.1776872f, -0.0495234f, 0.0681129f, -0.0718884f, 0.0267452f, 0.0315399f
    };

    private static FaceRecognitionNet net;

    @BeforeAll
    static void load() {
        net = FaceRecognitionNet.load(Device.cpu());
    }

    @AfterAll
    static void close() {
        net.close();
    }

    private static RgbImage window(RgbImage photo, int x0, int y0, int size) {
        float[] out = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    out[(c * size + y) * size + x] = photo.get(c, y0 + y, x0 + x);
                }
            }
        }
        return new RgbImage(out, size, size);
    }

    private static RgbImage noise(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[3 * 150 * 150];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextDouble();
        }
        return new RgbImage(v, 150, 150);
    }

    @Test
    void matchesFaceApiOnTheAstronaut() throws IOException {
        Path file = SharedData.require("photos/public-domain/astronaut.png");
        RgbImage crop = window(ImageCodec.read(file), 148, 50, 150);
        float[] raw;
        try (NDManager m = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            DjlRuntime.noGradientsOnThisThread();
            raw = net.forward(m.create(crop.chw(), new Shape(1, 3, 150, 150))).toFloatArray();
        }
        assertEquals(128, raw.length);
        double worst = 0;
        for (int i = 0; i < 128; i++) {
            worst = Math.max(worst, Math.abs(raw[i] - ASTRONAUT_WINDOW[i]));
        }
        assertTrue(worst <= 1e-3, "largest difference from face-api: " + worst);
        // the embedding is the same direction, at unit length
        float[] e = net.embed(crop);
        double norm = 0;
        double dot = 0;
        for (int i = 0; i < 128; i++) {
            norm += (double) ASTRONAUT_WINDOW[i] * ASTRONAUT_WINDOW[i];
            dot += e[i] * ASTRONAUT_WINDOW[i];
        }
        assertEquals(1, dot / Math.sqrt(norm), 1e-5);
    }

    /** The astronaut's five points from face-api's 68 (eye centres = means of 36-41 and 42-47; 30; 48; 54). */
    private static final double[] ASTRONAUT_FIVE = {202.34, 101.03, 244.49, 103.18, 222.69, 128.77, 201.40, 141.09,
        243.66, 142.41};

    /** The photo turned by {@code degrees} and scaled about its centre, on a canvas of {@code size}; edge repeated. */
    private static RgbImage turned(RgbImage photo, Similarity photoToCanvas, int size) {
        Similarity back = photoToCanvas.inverse();
        float[] out = new float[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double px = Math.min(photo.width() - 1.001, Math.max(0, back.mapX(x, y)));
                double py = Math.min(photo.height() - 1.001, Math.max(0, back.mapY(x, y)));
                int x0 = (int) px;
                int y0 = (int) py;
                float fx = (float) (px - x0);
                float fy = (float) (py - y0);
                for (int c = 0; c < 3; c++) {
                    float top = photo.get(c, y0, x0) * (1 - fx) + photo.get(c, y0, x0 + 1) * fx;
                    float bottom = photo.get(c, y0 + 1, x0) * (1 - fx) + photo.get(c, y0 + 1, x0 + 1) * fx;
                    out[(c * size + y) * size + x] = top * (1 - fy) + bottom * fy;
                }
            }
        }
        return new RgbImage(out, size, size);
    }

    @Test
    void aTurnedAndScaledPhotoOfTheSameFaceAlignsToTheSameEmbedding() throws IOException {
        RgbImage photo = ImageCodec.read(SharedData.require("photos/public-domain/astronaut.png"));
        float[] upright = net.embedFace(photo, new org.segue.engine.spi.FaceLandmarks(ASTRONAUT_FIVE));
        double th = Math.toRadians(40);
        double sc = 1.6;
        // about the photo's centre, onto a larger canvas so that the face stays whole
        int size = 900;
        double a = sc * Math.cos(th);
        double b = sc * Math.sin(th);
        Similarity turn = new Similarity(a, b, size / 2.0 - (a * 256 - b * 256), size / 2.0 - (b * 256 + a * 256));
        double[] moved = new double[10];
        for (int i = 0; i < 5; i++) {
            moved[2 * i] = turn.mapX(ASTRONAUT_FIVE[2 * i], ASTRONAUT_FIVE[2 * i + 1]);
            moved[2 * i + 1] = turn.mapY(ASTRONAUT_FIVE[2 * i], ASTRONAUT_FIVE[2 * i + 1]);
        }
        float[] tilted = net.embedFace(turned(photo, turn, size), new org.segue.engine.spi.FaceLandmarks(moved));
        double same = FaceEmbedder.similarity(upright, tilted);
        // the unaligned tilted view, for contrast: the network itself is not rotation invariant
        RgbImage tiltedCentre = window(turned(photo, turn, size), (size - 150) / 2, (size - 150) / 2, 150);
        double unaligned = FaceEmbedder.similarity(upright, net.embed(tiltedCentre));
        assertTrue(same > 0.99, "aligned views of one face: cosine " + same);
        assertTrue(unaligned < same - 0.05, "unaligned " + unaligned + " vs aligned " + same);
    }

    @Test
    void aGradientReachesTheInputAndAgreesWithFiniteDifferences() {
        RgbImage img = noise(1);
        SplittableRandom rng = new SplittableRandom(2);
        float[] dir = new float[img.chw().length];
        for (int i = 0; i < dir.length; i++) {
            dir[i] = (float) rng.nextDouble(-1, 1);
        }
        float[] target = new float[128];
        for (int i = 0; i < 128; i++) {
            target[i] = (float) rng.nextGaussian() * 0.1f;
        }
        Shape shape = new Shape(1, 3, 150, 150);
        try (NDManager m = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            NDArray t = m.create(target, new Shape(1, 128));
            NDArray x = m.create(img.chw(), shape);
            x.setRequiresGradient(true);
            float[] grad;
            try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                NDArray loss = net.forward(x).sub(t).square().sum();
                gc.backward(loss);
            }
            grad = x.getGradient().toFloatArray();
            double directional = 0;
            double gradNorm = 0;
            for (int i = 0; i < grad.length; i++) {
                assertTrue(Float.isFinite(grad[i]));
                directional += grad[i] * dir[i];
                gradNorm += grad[i] * grad[i];
            }
            assertTrue(gradNorm > 0, "no gradient reached the input");
            DjlRuntime.noGradientsOnThisThread();
            double h = 1e-3;
            NDArray d = m.create(dir, shape);
            NDArray xs = m.create(img.chw(), shape);
            double plus = net.forward(xs.add(d.mul(h))).sub(t).square().sum().getFloat();
            double minus = net.forward(xs.sub(d.mul(h))).sub(t).square().sum().getFloat();
            double numeric = (plus - minus) / (2 * h);
            assertEquals(directional, numeric, 0.02 * Math.abs(directional) + 1e-4,
                    "autograd " + directional + " vs finite difference " + numeric);
        }
    }

    @Test
    void embeddingsHaveUnitLengthAndDoNotDependOnTheBatch() {
        List<RgbImage> crops = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            crops.add(noise(100 + i));
        }
        float[][] all = net.embed(crops);
        assertEquals(19, all.length);
        for (int i = 0; i < crops.size(); i++) {
            float[] one = net.embed(crops.get(i));
            assertEquals(1, FaceEmbedder.similarity(one, one), 1e-5);
            assertArrayEquals(one, all[i], 2e-5f);
        }
        assertEquals(0, net.embed(List.of()).length);
    }

    @Test
    void concurrentCallsGiveTheSameEmbeddings() throws Exception {
        List<RgbImage> crops = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            crops.add(noise(200 + i));
        }
        float[][] sequential = net.embed(crops);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (RgbImage c : crops) {
                    futures.add(pool.submit(() -> net.embed(c)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertArrayEquals(sequential[i % crops.size()], futures.get(i).get(), 2e-5f);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesCropsOfTheWrongSizeNamingTheOne() {
        List<RgbImage> crops = List.of(noise(1), new RgbImage(new float[3 * 112 * 112], 112, 112));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.embed(crops));
        assertTrue(e.getMessage().contains("crop 1") && e.getMessage().contains("112x112"), e.getMessage());
        try (NDManager m = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            assertThrows(IllegalArgumentException.class, () -> net.forward(m.zeros(new Shape(1, 3, 112, 112))));
        }
        assertThrows(IllegalArgumentException.class,
                () -> FaceRecognitionNet.load(Device.cpu(), CropFraming.of(112, 0)));
    }

    @Test
    void itsStringShowsNoWeightsOrFaces() {
        String s = net.toString();
        assertTrue(s.contains("128"), s);
        assertFalse(s.matches(".*\\d\\.\\d.*"), s);
        assertEquals(FaceRecognitionNet.FRAMING, net.framing());
    }
}
