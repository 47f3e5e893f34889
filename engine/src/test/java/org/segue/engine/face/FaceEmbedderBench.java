package org.segue.engine.face;

import ai.djl.Device;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.spi.FaceLandmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Milliseconds per face of the embedder at batch 1 and 8, and of aligning faces in a 24 MP photo (not a
 * test: timings depend on the machine). Synthetic pixels only.
 *
 * <pre>java ... FaceEmbedderBench</pre>
 */
public final class FaceEmbedderBench {

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) {
        SplittableRandom rng = new SplittableRandom(1);
        List<RgbImage> crops = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            float[] v = new float[3 * 150 * 150];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) rng.nextDouble();
            }
            crops.add(new RgbImage(v, 150, 150));
        }
        long t0 = System.nanoTime();
        try (FaceRecognitionNet net = FaceRecognitionNet.load(Device.cpu())) {
            System.out.printf(Locale.ROOT, "load: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            t0 = System.nanoTime();
            net.embed(crops.get(0));
            System.out.printf(Locale.ROOT, "first embedding: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            for (int batch : new int[] {1, 8}) {
                for (int w = 0; w < 3; w++) {
                    net.embed(crops.subList(0, batch));
                }
                List<Double> perFace = new ArrayList<>();
                long cpu0 = processCpuNanos();
                for (int r = 0; r < 10; r++) {
                    long s = System.nanoTime();
                    net.embed(crops.subList(0, batch));
                    perFace.add((System.nanoTime() - s) / 1e6 / batch);
                }
                double cpuPerFace = (processCpuNanos() - cpu0) / 1e6 / (10.0 * batch);
                Collections.sort(perFace);
                // on a shared machine the wall time swings with the others' load; CPU time does not
                System.out.printf(Locale.ROOT, "batch %d: %.1f ms per face wall (median of 10; min %.1f), "
                        + "%.1f ms CPU per face over %d cores%n", batch, perFace.get(5), perFace.get(0), cpuPerFace,
                        Runtime.getRuntime().availableProcessors());
            }
        }
        // aligning four faces of a 24 MP photo (6000 x 4000) to the generator's 224 px and the embedder's 150 px
        int w = 6000;
        int h = 4000;
        float[] photo = new float[3 * w * h];
        for (int i = 0; i < photo.length; i += 7) {
            photo[i] = (float) rng.nextDouble();
        }
        RgbImage big = new RgbImage(photo, h, w);
        double[] eyes = {60, 150, 400, 900};
        for (int round = 0; round < 3; round++) {
            long s = System.nanoTime();
            for (int f = 0; f < eyes.length; f++) {
                double cx = 1000 + 1300 * f;
                double cy = 2000;
                double d = eyes[f];
                FaceLandmarks lm = new FaceLandmarks(new double[] {cx - d / 2, cy - 0.1 * d, cx + d / 2, cy - 0.1 * d,
                    cx, cy + 0.45 * d, cx - 0.4 * d, cy + 1.1 * d, cx + 0.4 * d, cy + 1.1 * d});
                FaceAlignment gen = FaceAlignment.of(lm, CropFraming.of(224, 0.25));
                gen.warp(big);
                gen.toPhoto(new float[3 * 224 * 224], w, h);
                gen.reframed(FaceRecognitionNet.FRAMING).warp(big);
            }
            System.out.printf(Locale.ROOT, "4 faces (eyes 60-900 px) in 24 MP: warp 224 + delta back + warp 150: %.0f ms%n",
                    (System.nanoTime() - s) / 1e6);
        }
    }
}
