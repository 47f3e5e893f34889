package org.segue.engine.photo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.segue.engine.LabelCode;
import org.segue.engine.SegueModel;
import org.segue.engine.SharedData;
import org.segue.engine.runtime.DjlRuntime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole-photo protection of the 150 uncropped CelebA photos in ../shared/photos/celeba-wild. */
class CelebaWildTest {

    private static SegueModel model;
    private static OpenCvFaceDetector detector;

    @BeforeAll
    static void load() throws Exception {
        model = SegueModel.loadDefault(DjlRuntime.defaultDevice());
        detector = new OpenCvFaceDetector();
    }

    @AfterAll
    static void close() {
        if (detector != null) {
            detector.close();
        }
        if (model != null) {
            model.close();
        }
    }

    @Test
    void findsFacesInAtLeastNinetyPercentOfPhotos() throws Exception {
        Path dir = SharedData.require("photos/celeba-wild");
        List<Path> photos;
        try (Stream<Path> s = Files.walk(dir)) {
            photos = s.filter(Files::isRegularFile).sorted().toList();
        }
        PhotoProtector protector = new PhotoProtector(model, detector, PhotoProtector.Options.defaults());
        int withFace = 0;
        int faces = 0;
        double seconds = 0;
        double[] stages = new double[4];
        for (Path p : photos) {
            PhotoProtector.Analysed a = protector.analyse(Files.readAllBytes(p), p.toString());
            if (!a.faces().isEmpty()) {
                withFace++;
            }
            faces += a.faces().size();
            int[] labels = new int[a.faces().size()];
            java.util.Arrays.fill(labels, LabelCode.labelForName(p.getParent().getFileName().toString(), 16));
            PhotoProtector.Result r = protector.protect(a, labels);
            seconds += r.timings().total();
            stages[0] += r.timings().decode();
            stages[1] += r.timings().detect();
            stages[2] += r.timings().protect();
            stages[3] += r.timings().encode();
            assertTrue(r.maxChange() <= 8, p + ": change " + r.maxChange());
        }
        System.out.printf("celeba-wild: %d/%d photos with a face, %d faces, %.2f s%n", withFace, photos.size(), faces, seconds);
        System.out.printf("decode %.2f detect %.2f protect %.2f encode %.2f%n", stages[0], stages[1], stages[2], stages[3]);
        assertTrue(withFace >= 0.9 * photos.size(), withFace + " of " + photos.size());
    }
}
