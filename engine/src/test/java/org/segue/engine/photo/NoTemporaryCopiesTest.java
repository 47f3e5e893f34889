package org.segue.engine.photo;

import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.BatchSummary;
import org.segue.engine.api.BatchRequest;
import org.segue.engine.api.Identities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.photo.FixedBoxDetector;
import org.segue.engine.photo.TestEngine;
import org.segue.engine.photo.PhotoProtector;
import org.segue.engine.photo.TestPhotos;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ImageIO copies streams into temporary files by default; for this product such a copy is an
 * unprotected photo left in the temporary folder if the process dies. The cache folder is made to
 * vanish here, so any use of ImageIO's file cache fails the run.
 */
class NoTemporaryCopiesTest {

    @AfterEach
    void restore() throws Exception {
        ImageIO.setCacheDirectory(null);
    }

    @Test
    void decodingEncodingAndOverlaysNeverUseTheTemporaryFolder(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_3BYTE_BGR);
        img.setRGB(10, 10, 0xFF0000);
        Files.write(in.resolve("a.jpg"), TestPhotos.encode(img, "jpeg"));
        Files.write(in.resolve("b.png"), TestPhotos.encode(img, "png"));
        Path cache = Files.createDirectories(dir.resolve("imageio-cache"));
        ImageIO.setCacheDirectory(cache.toFile());
        Files.delete(cache); // from now on, a file cache cannot be created: its use would fail loudly
        assertTrue(ImageIO.getUseCache(), "the default that makes this test meaningful");

        {
            PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(), new FixedBoxDetector(),
                    ProtectionOptions.defaults());
            Path out = dir.resolve("out");
            BatchSummary s = PhotoBatch.run(protector, new Identities.Person("x"), new BatchRequest(List.of(in), out, false, false,
                    out.resolve("overlays"), out.resolve("report.json")),
                    ProgressListener.NONE, new Cancellation());
            assertEquals(2, s.written(), "failures: " + s.failed());
            assertTrue(Files.exists(out.resolve("overlays/a.jpg.faces.jpg")));
            // the face-crop dataset path as well
            ImageCodec.writePng(ImageCodec.read(in.resolve("b.png")), out.resolve("crop.png"));
            assertTrue(Files.size(out.resolve("crop.png")) > 0);
        }
    }
}
