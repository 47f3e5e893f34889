package org.segue.plugin.imagej;

import ij.ImagePlus;
import ij.io.FileInfo;
import org.segue.engine.api.HostImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether an ImageJ image shows a photo on its side. ImageJ 1.x opens a JPEG tagged "rotate 90" as stored
 * (on its side) unless its Exif_Reader plugin is installed and the name ends in .jpg, in which case it turns
 * it upright itself; a user may also have turned it. So the file's tag alone does not say what is shown: the
 * image is compared with the file, as stored and as turned upright.
 */
final class ShownOrientation {

    private ShownOrientation() {}

    /**
     * The EXIF orientation to apply to what the image shows: the file's, when the image still shows the file's
     * stored grid; 1 when it is shown upright already, has no file, is a stack, or no longer matches its file.
     */
    static int of(ImagePlus imp) {
        if (imp.getStackSize() != 1) {
            return 1;
        }
        FileInfo fi = imp.getOriginalFileInfo();
        if (fi == null || fi.directory == null || fi.fileName == null || fi.fileName.isEmpty()) {
            return 1;
        }
        Path file = Path.of(fi.directory, fi.fileName);
        try {
            if (!Files.isRegularFile(file)) {
                return 1;
            }
            int tag = HostImage.orientationOf(file);
            if (tag == 1) {
                return 1;
            }
            BufferedImage stored = ImageIO.read(file.toFile());
            if (stored == null) {
                return 1;
            }
            BufferedImage upright = new HostImage(stored, tag).uprightPixels();
            BufferedImage shown = ImagePlusPixels.toBufferedImage(imp.getProcessor());
            double asStored = difference(shown, stored);
            double asUpright = difference(shown, upright);
            // JPEG decoders differ by a level or two; a different picture differs by tens
            if (asStored < asUpright && asStored < 12) {
                return tag;
            }
            return 1;
        } catch (Exception | OutOfMemoryError e) {
            return 1; // the file is gone or unreadable: what is shown is all there is
        }
    }

    /** Mean absolute difference of grey values on a grid of points; infinite when the sizes differ. */
    static double difference(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return Double.POSITIVE_INFINITY;
        }
        int steps = 24;
        double sum = 0;
        int n = 0;
        for (int j = 0; j < steps; j++) {
            for (int i = 0; i < steps; i++) {
                int x = (int) ((i + 0.5) * a.getWidth() / steps);
                int y = (int) ((j + 0.5) * a.getHeight() / steps);
                sum += Math.abs(grey(a.getRGB(x, y)) - grey(b.getRGB(x, y)));
                n++;
            }
        }
        return sum / n;
    }

    private static int grey(int rgb) {
        return (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / 3;
    }
}
