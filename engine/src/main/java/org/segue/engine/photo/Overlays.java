package org.segue.engine.photo;

import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.spi.FaceBox;
import org.segue.engine.photo.Orientation;
import org.segue.engine.photo.PhotoPixels;
import org.segue.engine.photo.PhotoProtector;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Review images: an upright, reduced JPEG of a photo with each face's detection (thin) and
 * protected region (thick) drawn and numbered in report order, for checking what was found.
 */
final class Overlays {

    /** Longest side of an overlay image. */
    private static final int SIZE = 1024;

    private Overlays() {}

    static void write(PhotoPixels pixels, Orientation orientation, List<PhotoProtector.Face> faces, Path target)
            throws IOException {
        int factor = Math.max(1, (int) Math.ceil(Math.max(pixels.width(), pixels.height()) / (double) SIZE));
        BufferedImage image = orientation.applyTo(pixels.preview(factor));
        Graphics2D g = image.createGraphics();
        float stroke = Math.max(2f, image.getWidth() / 300f);
        g.setFont(g.getFont().deriveFont(Math.max(12f, image.getWidth() / 50f)));
        for (int i = 0; i < faces.size(); i++) {
            FaceBox region = faces.get(i).region().scaled(1.0 / factor, image.getWidth(), image.getHeight());
            FaceBox detected = faces.get(i).detected().scaled(1.0 / factor, image.getWidth(), image.getHeight());
            g.setColor(Color.GREEN);
            g.setStroke(new BasicStroke(stroke));
            g.drawRect(region.x(), region.y(), region.width(), region.height());
            g.setColor(Color.YELLOW);
            g.setStroke(new BasicStroke(Math.max(1f, stroke / 2)));
            g.drawRect(detected.x(), detected.y(), detected.width(), detected.height());
            g.drawString("#" + i, region.x() + stroke, region.y() + g.getFontMetrics().getAscent());
        }
        g.dispose();
        AtomicFiles.write(target, out -> {
            // a memory cache, not ImageIO's default temporary file; closing it flushes into out
            try (javax.imageio.stream.ImageOutputStream cached = new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(image, "jpeg", cached)) {
                    throw new IOException("no JPEG writer available");
                }
            }
        });
    }
}
