package org.segue.engine.photo;

import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.spi.FaceBox;
import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.exif.ExifIFD0Directory;
import org.junit.jupiter.api.Test;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.SharedData;
import org.segue.engine.metadata.JpegMetadata;
import org.segue.engine.internal.DjlRuntime;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrientationIT {

    @Test
    void mapsBoxesAndPlanesBetweenStoredAndUprightGrids() {
        int w = 5;
        int h = 3;
        float[] stored = new float[w * h];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = i;
        }
        for (Orientation o : Orientation.values()) {
            float[] upright = o.planesToUpright(stored, 1, h, w);
            assertTrue(java.util.Arrays.equals(stored, o.planesToStored(upright, 1, h, w)), o.name());
            // a one-pixel box lands on the pixel the planes moved it to
            int uw = o.uprightWidth(w, h);
            for (int v = 0; v < o.uprightHeight(w, h); v++) {
                for (int u = 0; u < uw; u++) {
                    FaceBox s = o.toStored(new FaceBox(u, v, 1, 1), w, h);
                    assertEquals(upright[v * uw + u], stored[s.y() * w + s.x()], o + " at " + u + "," + v);
                }
            }
        }
    }

    private static byte[] jpeg(BufferedImage image, int orientation) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(1f);
            writer.write(null, new IIOImage(image, null, null), p);
        }
        writer.dispose();
        return JpegMetadata.splice(bytes.toByteArray(), List.of(TestPhotos.orientationOnly(orientation)));
    }

    private static Orientation inverse(Orientation o) {
        return switch (o) {
            case ROTATE_90_CW -> Orientation.ROTATE_270_CW;
            case ROTATE_270_CW -> Orientation.ROTATE_90_CW;
            default -> o;
        };
    }

    /** The same photo saved with each of the 8 EXIF orientations yields the same protected face. */
    @Test
    void everyOrientationGivesTheSameProtectedFace() throws Exception {
        Path photo = SharedData.require("photos/celeba-wild/id07460/004134.jpg");
        BufferedImage decoded = ImageIO.read(photo.toFile());
        int w = decoded.getWidth() / 16 * 16;
        int h = decoded.getHeight() / 16 * 16;
        BufferedImage upright = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        upright.getGraphics().drawImage(decoded, 0, 0, null);
        PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(), new SteadyBoxes(TestEngine.detector()),
                ProtectionOptions.defaults());

        List<PhotoProtector.Face> reference = null;
        int[][] referenceRgb = null;
        int compared = 0;
        for (Orientation o : Orientation.values()) {
            BufferedImage stored = inverse(o).applyTo(upright);
            assertEquals(w, o.uprightWidth(stored.getWidth(), stored.getHeight()));
            byte[] file = jpeg(stored, o.exifValue());
            PhotoProtector.Analysed a = protector.analyse(file, "oriented-" + o.exifValue() + ".jpg");
            assertEquals(o, a.decoded().orientation());
            assertEquals(1, a.faces().size(), o + ": faces " + a.faces());
            PhotoProtector.Result r = protector.protect(a, new int[] {42});
            BufferedImage protectedUpright = o.applyTo(r.pixels().image());
            FaceBox region = a.faces().get(0).region();
            int[] rgb = protectedUpright.getRGB(region.x(), region.y(), region.width(), region.height(), null, 0,
                    region.width());
            if (reference == null) {
                reference = a.faces();
                referenceRgb = new int[][] {rgb};
            } else {
                FaceBox ref = reference.get(0).region();
                assertTrue(Math.abs(ref.x() - region.x()) <= 2 && Math.abs(ref.y() - region.y()) <= 2
                        && Math.abs(ref.width() - region.width()) <= 4, o + ": region " + region + " vs " + ref);
                if (ref.equals(region)) {
                    double meanDiff = 0;
                    for (int i = 0; i < rgb.length; i++) {
                        for (int shift = 0; shift <= 16; shift += 8) {
                            meanDiff += Math.abs(((rgb[i] >> shift) & 0xFF) - ((referenceRgb[0][i] >> shift) & 0xFF));
                        }
                    }
                    meanDiff /= 3.0 * rgb.length;
                    assertTrue(meanDiff < 1.0, o + ": protected face differs by " + meanDiff + " levels on average");
                    compared++;
                }
            }
            int tag = ImageMetadataReader.readMetadata(new ByteArrayInputStream(r.output()))
                    .getFirstDirectoryOfType(ExifIFD0Directory.class).getInt(ExifIFD0Directory.TAG_ORIENTATION);
            assertEquals(o.exifValue(), tag, "the output keeps its orientation tag");
        }
        assertTrue(compared >= 5, "only " + compared + " of 7 orientations found the very same region to compare");
    }

    /**
     * Each orientation is a separately encoded JPEG, so the upright pixels the detector sees differ by a few
     * levels, and a landmark-derived box follows them by a pixel. This test is about the pipeline's handling
     * of orientation, not the detector's steadiness: a box within 2 px of the first one found is reported as
     * that one, so the protected pixels of every orientation can be compared over the very same region.
     */
    private static final class SteadyBoxes implements org.segue.engine.spi.FaceDetector {
        private final org.segue.engine.spi.FaceDetector detector;
        private FaceBox first;

        SteadyBoxes(org.segue.engine.spi.FaceDetector detector) {
            this.detector = detector;
        }

        @Override
        public synchronized List<FaceBox> detect(BufferedImage upright) {
            return detector.detect(upright).stream().map(box -> {
                if (first == null) {
                    first = box;
                }
                boolean near = Math.abs(box.x() - first.x()) <= 2 && Math.abs(box.y() - first.y()) <= 2
                        && Math.abs(box.width() - first.width()) <= 2 && Math.abs(box.height() - first.height()) <= 2;
                return near ? first : box;
            }).toList();
        }

        @Override
        public int workingSize() {
            return detector.workingSize();
        }

        @Override
        public String name() {
            return detector.name();
        }

        @Override
        public void close() {
        }
    }
}
