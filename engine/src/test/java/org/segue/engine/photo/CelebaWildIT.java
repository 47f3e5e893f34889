package org.segue.engine.photo;

import org.segue.engine.api.ProtectionOptions;
import org.junit.jupiter.api.Test;
import org.segue.engine.sideinfo.LabelCode;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.SharedData;
import org.segue.engine.internal.DjlRuntime;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole-photo protection of the 150 uncropped CelebA photos in ../shared/photos/celeba-wild: faces
 * are found in at least 90% of them, and on every saved lossless file the pixels outside face regions
 * are bit-identical while those inside moved by at most 8 levels.
 */
class CelebaWildIT {

    @Test
    void protectsEveryPhotoWithinTheBoundAndFindsFacesInNinetyPercent() throws Exception {
        Path dir = SharedData.require("photos/celeba-wild");
        List<Path> photos;
        try (Stream<Path> s = Files.walk(dir)) {
            photos = s.filter(Files::isRegularFile).sorted().toList();
        }
        PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(), TestEngine.detector(), ProtectionOptions.defaults());
        int withFace = 0;
        int faces = 0;
        int jpegWorstInside = 0;
        int jpegWorstOutside = 0;
        for (int n = 0; n < photos.size(); n++) {
            Path p = photos.get(n);
            int label = LabelCode.labelForName(p.getParent().getFileName().toString(), 16);
            BufferedImage original = ImageIO.read(p.toFile());
            // the lossless path: the photo as PNG in, PNG out, checked pixel by pixel on the saved bytes
            byte[] png = TestPhotos.encode(original, "png");
            PhotoProtector.Analysed a = protector.analyse(png, p.toString());
            int[] labels = new int[a.faces().size()];
            java.util.Arrays.fill(labels, label);
            PhotoProtector.Result r = protector.protect(a, labels);
            BufferedImage saved = ImageIO.read(new ByteArrayInputStream(r.output()));
            int[] worst = compare(original, saved, a.faces());
            assertEquals(0, worst[1], p + ": a pixel outside the face regions changed");
            assertTrue(worst[0] <= 8, p + ": a face pixel changed by " + worst[0]);
            withFace += a.faces().isEmpty() ? 0 : 1;
            faces += a.faces().size();
            if (n % 10 == 0) { // the JPEG path: bound checked before encoding, drift reported after
                PhotoProtector.Analysed j = protector.analyse(Files.readAllBytes(p), p.toString());
                PhotoProtector.Result jr = protector.protect(j, labels.length == j.faces().size() ? labels
                        : new int[j.faces().size()]);
                assertTrue(jr.maxChange() <= 8, p + ": JPEG path changed a sample by " + jr.maxChange());
                int[] drift = compare(original, ImageIO.read(new ByteArrayInputStream(jr.output())), j.faces());
                jpegWorstInside = Math.max(jpegWorstInside, drift[0]);
                jpegWorstOutside = Math.max(jpegWorstOutside, drift[1]);
            }
        }
        System.out.printf("celeba-wild: faces found in %d of %d photos, %d faces; after JPEG q95 re-encoding the "
                + "largest change is %d levels inside faces and %d outside%n", withFace, photos.size(), faces,
                jpegWorstInside, jpegWorstOutside);
        assertTrue(withFace >= 0.9 * photos.size(), "faces found in only " + withFace + " of " + photos.size());
    }

    /** Largest per-channel change inside any face region [0], outside all of them [1], changed pixels [2]. */
    static int[] compare(BufferedImage a, BufferedImage b, List<PhotoProtector.Face> faces) {
        return TestPhotos.compare(a, b, (x, y) -> faces.stream().anyMatch(f -> f.region().contains(x, y)));
    }
}
