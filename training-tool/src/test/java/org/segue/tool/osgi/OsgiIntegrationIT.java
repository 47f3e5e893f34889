package org.segue.tool.osgi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.segue.plugin.osgi.api.FaceProtector;
import org.segue.plugin.osgi.api.ProtectionOutcome;
import org.segue.plugin.osgi.api.ProtectorTraining;
import org.segue.plugin.osgi.api.TrainingHandle;
import org.segue.plugin.osgi.api.TrainingListener;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundles this build produced, in a real embedded Felix with SCR and Configuration Admin: the
 * DAM-facing services work, concurrently, across restarts, reconfiguration, retraining and the hot
 * folder. One framework for the whole class (natives bind to one class loader per JVM).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OsgiIntegrationIT {

    @TempDir
    static Path work;
    private static FelixRuntime felix;
    private static byte[] facePng;

    @BeforeAll
    static void start() throws Exception {
        felix = FelixRuntime.start(Path.of("target/dam-runtime/bundles"), work.resolve("felix"));
        Path shared = Path.of(System.getProperty("segue.shared", "../shared"), "photos/celeba-wild/id07460/004134.jpg");
        BufferedImage photo = Files.exists(shared) ? ImageIO.read(shared.toFile()) : synthetic(240, 320, 1);
        facePng = png(photo);
    }

    @AfterAll
    static void stop() throws Exception {
        if (felix != null) {
            felix.close();
        }
    }

    static BufferedImage synthetic(int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return img;
    }

    static byte[] png(BufferedImage img) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static FaceProtector protector() throws Exception {
        return felix.service(FaceProtector.class, 30_000);
    }

    private static ProtectionOutcome protect(byte[] photo, ByteArrayOutputStream out) throws Exception {
        return protector().protect(new ByteArrayInputStream(photo), "photo.png", out);
    }

    /** {largest change anywhere, largest change outside the face regions}. */
    static int[] compare(byte[] before, byte[] after, List<ProtectionOutcome.Region> regions) throws Exception {
        int[] c = org.segue.engine.photo.TestPhotos.compare(ImageIO.read(new ByteArrayInputStream(before)),
                ImageIO.read(new ByteArrayInputStream(after)), (x, y) -> regions.stream()
                        .anyMatch(r -> x >= r.x() && x < r.x() + r.width() && y >= r.y() && y < r.y() + r.height()));
        return new int[] {Math.max(c[0], c[1]), c[1]};
    }

    @Test
    @Order(1)
    void allBundlesActiveAndAPhotoIsProtected() throws Exception {
        for (Bundle b : felix.context().getBundles()) {
            assertEquals(Bundle.ACTIVE, b.getState(), b.getSymbolicName() + " is not active");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtectionOutcome o = protect(facePng, out);
        assertEquals("PNG", o.format());
        assertEquals("default", o.model());
        int[] c = compare(facePng, out.toByteArray(), o.faces());
        assertTrue(c[0] <= 8, "changed by " + c[0]);
        assertEquals(0, c[1], "pixels outside the faces changed");
        if (Files.exists(Path.of(System.getProperty("segue.shared", "../shared"), "photos"))) {
            assertEquals(1, o.faces().size(), "the real photo's face");
            assertTrue(c[0] > 0, "the face was protected");
        }
    }

    /**
     * The engine bundle reads TIFF with the TwelveMonkeys reader it embeds: a 16-bit ZIP TIFF with the predictor, as
     * ImageMagick writes it, comes back as a 16-bit TIFF of the same size (no face in noise: copied, never protected).
     */
    @Test
    @Order(1)
    void aSixteenBitPredictorTiffIsReadInsideTheFramework() throws Exception {
        byte[] tiff;
        try (java.io.InputStream in = org.segue.engine.photo.TestPhotos.class.getResourceAsStream(
                "imagemagick/rgb16-zip-predictor.tif")) {
            tiff = in.readAllBytes();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtectionOutcome o = protector().protect(new ByteArrayInputStream(tiff), "noise.tif", out);
        assertEquals("TIFF", o.format());
        assertFalse(o.facesFound(), "noise holds no face");
        assertTrue(o.written() && out.size() > 0, "copied under the default no-face policy");
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(40, back.getWidth());
        assertEquals(16, back.getColorModel().getComponentSize(0), "the depth is kept");
    }

    @Test
    @Order(2)
    void eightThreadsTimesTwentyFiveRequests() throws Exception {
        byte[] small = facePng; // the whole photo: every request runs detection and the generator
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ProtectionOutcome reference = protect(small, expected);
        System.out.printf("concurrency reference: %d face(s)%n", reference.faces().size());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < 8 * 25; i++) {
            results.add(pool.submit(() -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                protect(small, out);
                return out.toByteArray();
            }));
        }
        long t0 = System.nanoTime();
        for (Future<byte[]> f : results) {
            assertArrayEquals(expected.toByteArray(), f.get(600, TimeUnit.SECONDS), "every concurrent result is the same correct one");
        }
        System.out.printf("200 concurrent requests in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        pool.shutdown();
    }

    @Test
    @Order(3)
    void aConfigurationChangeTakesEffectOnTheNextRequest() throws Exception {
        felix.configure(FaceProtector.PID, Map.of("epsilon.levels", 3));
        int seen = 8;
        for (int attempt = 0; attempt < 50 && seen > 3; attempt++) { // Configuration Admin delivers asynchronously
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            seen = protect(facePng, out).maxChange();
            if (seen > 3) {
                Thread.sleep(200);
            }
        }
        assertTrue(seen <= 3, "strength 3 in force, largest change " + seen);
        felix.configure(FaceProtector.PID, Map.of("epsilon.levels", 8));
    }

    private static long residentKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    @Test
    @Order(4)
    void restartingTheBundlesFiveTimesLeaksNoThreadsAndNoMemory() throws Exception {
        Bundle engine = felix.bundle("org.segue.engine");
        Bundle plugin = felix.bundle("org.segue.plugin");
        long firstRss = 0;
        int firstThreads = 0;
        for (int cycle = 0; cycle < 5; cycle++) {
            plugin.stop();
            engine.stop();
            engine.start();
            plugin.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertTrue(protect(facePng, out).maxChange() <= 8);
            System.gc();
            int threads = Thread.getAllStackTraces().size();
            long rss = residentKb();
            System.out.printf("restart cycle %d: %d threads, %d MB resident%n", cycle + 1, threads, rss / 1024);
            if (cycle == 0) {
                firstRss = rss;
                firstThreads = threads;
            } else {
                assertTrue(threads <= firstThreads + 1, "threads grew from " + firstThreads + " to " + threads);
                assertTrue(rss <= firstRss * 1.2, "resident memory grew from " + firstRss + " kB to " + rss + " kB");
            }
        }
    }

    static Path faces(Path root) throws Exception {
        for (int c = 0; c < 2; c++) {
            Path d = Files.createDirectories(root.resolve("person" + c));
            for (int i = 0; i < 4; i++) {
                ImageIO.write(synthetic(36, 36, c * 10L + i), "png", d.resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    @Test
    @Order(5)
    void aTrainingJobReportsProgressAndItsModelIsUsedAfterwards() throws Exception {
        Path model = work.resolve("models/retrained.segue");
        IllegalArgumentException unknown = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> felix.service(ProtectorTraining.class, 10_000).start(new ProtectorTraining.Request(
                        work.resolve("faces"), "fast", 1, 32, "cpu", null, model), new TrainingListener() { }));
        assertTrue(unknown.getMessage().contains("shipped, cpu, paper"), "refused at once, naming the recipes: "
                + unknown.getMessage());
        List<Double> progress = new CopyOnWriteArrayList<>();
        AtomicReference<Path> completed = new AtomicReference<>();
        TrainingHandle job = felix.service(ProtectorTraining.class, 10_000).start(new ProtectorTraining.Request(
                faces(work.resolve("faces")), "cpu", 1, 32, "cpu", null, model), new TrainingListener() {
            @Override
            public void progress(double fraction, String status, double secondsLeft) {
                progress.add(fraction);
            }

            @Override
            public void completed(Path m) {
                completed.set(m);
            }

            @Override
            public void failed(String reason) {
                throw new AssertionError(reason);
            }
        });
        assertTrue(job.await(120, TimeUnit.SECONDS), "the job ended");
        assertNotNull(completed.get(), "completed");
        assertTrue(!progress.isEmpty() && progress.get(progress.size() - 1) >= 0.99, "progress events: " + progress);
        String used = null;
        for (int attempt = 0; attempt < 50 && !model.toAbsolutePath().toString().equals(used); attempt++) {
            used = protect(facePng, new ByteArrayOutputStream()).model();
            Thread.sleep(100);
        }
        assertEquals(model.toAbsolutePath().toString(), used, "FaceProtector uses the new model");
        felix.configure(FaceProtector.PID, Map.of("model.location", "default"));
    }

    @Test
    @Order(6)
    void cancellingATrainingJobStopsItWithinFiveSeconds() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        AtomicReference<Boolean> cancelled = new AtomicReference<>(false);
        TrainingHandle job = felix.service(ProtectorTraining.class, 10_000).start(new ProtectorTraining.Request(
                faces(work.resolve("faces2")), "cpu", 500, 32, "cpu", null, work.resolve("models/never.segue")),
                new TrainingListener() {
                    @Override
                    public void progress(double fraction, String status, double secondsLeft) {
                        started.countDown();
                    }

                    @Override
                    public void cancelled() {
                        cancelled.set(true);
                    }
                });
        assertTrue(started.await(60, TimeUnit.SECONDS), "training started");
        long t0 = System.nanoTime();
        job.cancel();
        assertTrue(job.await(5, TimeUnit.SECONDS), "stopped within 5 s");
        System.out.printf("training cancelled in %.2f s%n", (System.nanoTime() - t0) / 1e9);
        assertTrue(cancelled.get());
        assertTrue(!Files.exists(work.resolve("models/never.segue")));
    }

    @Test
    @Order(7)
    void theHotFolderProtectsTwentyPhotosAndSetsTheCorruptOnesAside() throws Exception {
        Path in = Files.createDirectories(work.resolve("hot/in"));
        Path out = work.resolve("hot/out");
        Path failed = work.resolve("hot/failed");
        // the truncated PNG is indistinguishable from an upload in progress: it fails once unchanged for 2 s
        felix.configure("org.segue.hotfolder", Map.of("watch.folder", in.toString(), "output.folder", out.toString(),
                "failed.folder", failed.toString(), "poll.millis", 200L, "quiet.millis", 300L, "give.up.seconds", 2L));
        for (int i = 0; i < 18; i++) {
            Files.write(in.resolve(String.format("photo%02d.png", i)), png(synthetic(120, 90, 100 + i)));
        }
        Files.writeString(in.resolve("corrupt1.jpg"), "not a photo at all");
        Files.write(in.resolve("corrupt2.png"), Arrays.copyOf(facePng, 500));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && (count(out) < 18 || count(failed) < 4)) {
            Thread.sleep(250);
        }
        assertEquals(18, count(out), "protected copies");
        assertTrue(Files.exists(failed.resolve("corrupt1.jpg")) && Files.exists(failed.resolve("corrupt2.png")));
        assertTrue(Files.readString(failed.resolve("corrupt1.jpg.reason.txt")).contains("not a JPEG"));
        assertTrue(Files.readString(failed.resolve("corrupt2.png.reason.txt")).contains("PNG"));
        for (int i = 0; i < 18; i++) {
            assertTrue(Files.exists(in.resolve(String.format("photo%02d.png", i))), "originals stay in place");
        }
    }

    private static long count(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    @Order(8)
    void aProtectionCheckReportsBothAttackersThroughTheService() throws Exception {
        Path folder = org.segue.engine.SharedData.linkFaces("datasets/celeb10/test", work.resolve("check"), 3, 10);
        org.segue.plugin.osgi.api.CheckOutcome r = protector().check(folder);
        assertEquals(3, r.people());
        assertTrue(r.cleanGalleryRank1() >= 0.8, "the recogniser knows unprotected faces: " + r.cleanGalleryRank1());
        assertTrue(r.protectedTrainedAccuracy() >= 0 && r.protectedTrainedAccuracy() <= 1);
        assertTrue(r.protectedAloneRank1() >= 0 && r.protectedAloneRank1() <= 1, "the one-person figure crosses the "
                + "service: " + r.protectedAloneRank1());
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> protector().check(work.resolve("no-such-folder")));
        assertNotNull(e.getMessage());
    }
}
