package org.segue.lab.dataset;

import org.segue.lab.nn.Npz;
import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.generator.Perturbation;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.SharedData;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.photo.HeadConcealment;
import org.segue.engine.training.ImageFolder;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.generator.ModelInfo;
import org.segue.engine.generator.SegueGenerator;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Protected PNGs written from real WebFace10 faces stay within 8 levels of the originals. */
class DatasetProtectorIT {

    /** Copies the first images of three identities, so the test stays small. */
    static Path smallCopy(Path dir) throws Exception {
        Path train = SharedData.require("datasets/webface10/train");
        Path root = dir.resolve("in");
        for (String id : List.of("0", "3", "7")) {
            Files.createDirectories(root.resolve(id));
            try (Stream<Path> s = Files.list(train.resolve(id))) {
                for (Path f : s.sorted().limit(4).toList()) {
                    Files.copy(f, root.resolve(id).resolve(f.getFileName()));
                }
            }
        }
        return root;
    }

    static int maxLevelChange(Path original, Path protectedPng) throws Exception {
        RgbImage a = ImageCodec.read(original);
        RgbImage b = ImageCodec.read(protectedPng);
        assertEquals(a.height(), b.height());
        assertEquals(a.width(), b.width());
        int max = 0;
        for (int i = 0; i < a.chw().length; i++) {
            max = Math.max(max, Math.abs(ImageCodec.to8(a.chw()[i]) - ImageCodec.to8(b.chw()[i])));
        }
        return max;
    }

    void protectAndCheck(SegueModel model, Path in, Path out) throws Exception {
        ImageFolder dataset = ImageFolder.scan(in);
        DatasetProtector.Summary s = DatasetProtector.protect(model, dataset, dataset.labels(),
                model.info().epsilon(), out, 5,
                ProgressListener.NONE, Cancellation.none());
        assertEquals(dataset.samples().size(), s.written());
        assertTrue(s.failures().isEmpty(), s.failures().toString());
        int overall = 0;
        for (ImageFolder.Sample sample : dataset.samples()) {
            String name = sample.file().getFileName().toString().replaceAll("\\.[^.]+$", ".png");
            Path png = out.resolve(dataset.classes().get(sample.label())).resolve(name);
            int change = maxLevelChange(sample.file(), png);
            assertTrue(change <= 8, png + " changed by " + change + " levels");
            overall = Math.max(overall, change);
        }
        assertTrue(overall >= 6, "the perturbation should use most of its budget, max change " + overall);
    }

    @Test
    void officialGeneratorAtNativeResolution(@TempDir Path dir) throws Exception {
        Path weights = SharedData.require("fixtures/segue-official/segue-webface10-generator.npz");
        Path in = smallCopy(dir);
        ModelInfo info = new ModelInfo(SegueGenerator.ARCHITECTURE, Perturbation.DEFAULT_EPSILON, 224, 224, 16, Map.of());
        try (SegueModel model = SegueModel.fromStateDict(Npz.read(weights), info, Device.cpu(), weights.toString())) {
            protectAndCheck(model, in, dir.resolve("out"));
        }
    }

    @Test
    void smallerModelResizesItsPerturbationToThePhoto(@TempDir Path dir) throws Exception {
        Path in = smallCopy(dir);
        ModelInfo info = new ModelInfo(SegueGenerator.ARCHITECTURE, Perturbation.DEFAULT_EPSILON, 112, 112, 16, Map.of());
        try (SegueModel model = SegueModel.create(info, Device.cpu())) {
            protectAndCheck(model, in, dir.resolve("out"));
        }
        try (Stream<Path> s = Files.walk(in)) {
            assertEquals(12 + 4, s.count(), "the input folder must be left as it was");
        }
    }

    @Test
    void anUnreadableImageIsReportedAndTheRestIsProtected(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("a"));
        float[] chw = new float[3 * 40 * 40];
        java.util.Arrays.fill(chw, 0.5f);
        ImageCodec.writePng(new RgbImage(chw, 40, 40), in.resolve("a").resolve("good.png"));
        Files.writeString(in.resolve("a").resolve("bad.png"), "not an image");
        ModelInfo info = new ModelInfo(SegueGenerator.ARCHITECTURE, Perturbation.DEFAULT_EPSILON, 32, 32, 16, Map.of());
        try (SegueModel model = SegueModel.create(info, Device.cpu())) {
            ImageFolder dataset = ImageFolder.scan(in);
            DatasetProtector.Summary s = DatasetProtector.protect(model, dataset, dataset.labels(),
                    model.info().epsilon(), dir.resolve("out"),
                    8, ProgressListener.NONE, Cancellation.none());
            assertEquals(1, s.written());
            assertEquals(1, s.failures().size());
            assertTrue(s.failures().get(0).contains("bad.png"), s.failures().get(0));
            assertTrue(Files.exists(dir.resolve("out").resolve("a").resolve("good.png")));
            assertTrue(Files.notExists(dir.resolve("out").resolve("a").resolve("bad.png")));
        }
    }

    /** A face with a second label gets the mean of its two protections; a face without one, its own protection. */
    @Test
    void anUncertainFaceGetsTheMeanOfBothLabelsProtections(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("a"));
        java.util.Random random = new java.util.Random(5);
        List<RgbImage> faces = new java.util.ArrayList<>();
        for (String name : List.of("sure.png", "unsure.png")) {
            float[] chw = new float[3 * 32 * 32];
            for (int p = 0; p < chw.length; p++) {
                chw[p] = 0.2f + 0.6f * random.nextFloat();
            }
            ImageCodec.writePng(new RgbImage(chw, 32, 32), in.resolve("a").resolve(name));
            faces.add(ImageCodec.read(in.resolve("a").resolve(name)));
        }
        ModelInfo info = new ModelInfo(SegueGenerator.ARCHITECTURE, Perturbation.DEFAULT_EPSILON, 32, 32, 16, Map.of());
        try (SegueModel model = SegueModel.create(info, Device.cpu())) {
            ImageFolder dataset = ImageFolder.scan(in); // files in name order: sure, unsure
            float eps = model.info().epsilon();
            DatasetProtector.Summary s = DatasetProtector.protect(model, dataset, new int[] {3, 3}, new int[] {3, 40000},
                    false, eps, dir.resolve("out"), 8, ProgressListener.NONE, Cancellation.none());
            assertEquals(2, s.written());
            List<RgbImage> own = model.protectImages(faces, new int[] {3, 3}, eps);
            List<RgbImage> other = model.protectImages(faces, new int[] {3, 40000}, eps);
            RgbImage sure = ImageCodec.read(dir.resolve("out").resolve("a").resolve("sure.png"));
            RgbImage unsure = ImageCodec.read(dir.resolve("out").resolve("a").resolve("unsure.png"));
            int apart = 0;
            for (int p = 0; p < sure.chw().length; p++) {
                assertEquals(ImageCodec.to8(own.get(0).chw()[p]), ImageCodec.to8(sure.chw()[p]), 1);
                float mean = (own.get(1).chw()[p] + other.get(1).chw()[p]) / 2;
                assertEquals(ImageCodec.to8(mean), ImageCodec.to8(unsure.chw()[p]), 1);
                apart = Math.max(apart, Math.abs(ImageCodec.to8(own.get(1).chw()[p]) - ImageCodec.to8(unsure.chw()[p])));
            }
            assertTrue(apart >= 2, "the two labels' protections should differ, the mean lay " + apart + " levels from one");
        }
    }

    /** With heads concealed a face is its concealed self plus the protection it gets otherwise. */
    @Test
    void aConcealedFaceIsBlurredBeneathItsProtection(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("a"));
        java.util.Random random = new java.util.Random(7);
        float[] chw = new float[3 * 32 * 32];
        for (int p = 0; p < chw.length; p++) {
            chw[p] = 0.2f + 0.6f * random.nextFloat();
        }
        ImageCodec.writePng(new RgbImage(chw, 32, 32), in.resolve("a").resolve("face.png"));
        RgbImage face = ImageCodec.read(in.resolve("a").resolve("face.png"));
        ModelInfo info = new ModelInfo(SegueGenerator.ARCHITECTURE, Perturbation.DEFAULT_EPSILON, 32, 32, 16, Map.of());
        try (SegueModel model = SegueModel.create(info, Device.cpu())) {
            ImageFolder dataset = ImageFolder.scan(in);
            float eps = model.info().epsilon();
            DatasetProtector.protect(model, dataset, new int[] {3}, null, true, eps, dir.resolve("out"), 8,
                    ProgressListener.NONE, Cancellation.none());
            RgbImage expected = HeadConcealment.underProtection(face,
                    model.protectImages(List.of(face), new int[] {3}, eps).get(0));
            RgbImage got = ImageCodec.read(dir.resolve("out").resolve("a").resolve("face.png"));
            int blurred = 0;
            for (int p = 0; p < got.chw().length; p++) {
                assertEquals(ImageCodec.to8(expected.chw()[p]), ImageCodec.to8(got.chw()[p]), 1);
                blurred += Math.abs(ImageCodec.to8(got.chw()[p]) - ImageCodec.to8(face.chw()[p])) > 16 ? 1 : 0;
            }
            assertTrue(blurred > got.chw().length / 4, blurred + " samples moved by more than 16 levels: not concealed");
        }
    }
}
