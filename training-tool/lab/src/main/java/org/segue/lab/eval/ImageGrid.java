package org.segue.lab.eval;

import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.RgbImage;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A figure of examples, like Figure 3 of the Segue paper: one row per example, columns clean /
 * protected / residual, with small column titles. The residual shows the perturbation amplified
 * around mid-grey, {@code 0.5 + gain * (protected - clean)} clamped to [0,1] per channel, so that an
 * 8/255 change becomes visible (a gain of 30 maps +-8 levels to about +-0.94 of the range).
 *
 * <p>Images are drawn pixel for pixel (no resampling), so the figure shows exactly what was written.
 */
public final class ImageGrid {

    /** Gap around and between cells, pixels. */
    static final int PAD = 4;
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private ImageGrid() {}

    /**
     * @param clean           clean images, one per row
     * @param protectedImages their protected versions, same count and sizes
     * @param residualGain    amplification of the residual column (the paper uses 30)
     */
    public static void write(List<RgbImage> clean, List<RgbImage> protectedImages, float residualGain, Path png)
            throws IOException {
        PngFiles.write(render(clean, protectedImages, residualGain), png);
    }

    /** The residual image: 0.5 + gain * (protected - clean), clamped to [0,1]. */
    public static RgbImage residual(RgbImage clean, RgbImage protectedImage, float gain) {
        if (clean.height() != protectedImage.height() || clean.width() != protectedImage.width()) {
            throw new IllegalArgumentException("clean " + clean.width() + "x" + clean.height() + " and protected "
                    + protectedImage.width() + "x" + protectedImage.height() + " differ in size");
        }
        float[] c = clean.chw();
        float[] p = protectedImage.chw();
        float[] out = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            out[i] = Math.min(1f, Math.max(0f, 0.5f + gain * (p[i] - c[i])));
        }
        return new RgbImage(out, clean.height(), clean.width());
    }

    /**
     * Where things go: every column as wide as the widest image (or its title), every row as tall as
     * its own image, a title strip on top.
     */
    record Layout(int columnWidth, int headerHeight, int[] rowY, int width, int height, String[] titles) {

        /** Left edge of column {@code column} (0 clean, 1 protected, 2 residual). */
        int x(int column) {
            return PAD + column * (columnWidth + PAD);
        }

        /** Top edge of row {@code row}. */
        int y(int row) {
            return rowY[row];
        }

        static Layout of(List<RgbImage> clean, float gain) {
            String[] titles = {"clean", "protected", "residual \u00d7" + formatGain(gain)};
            // font metrics need a graphics context; a 1x1 scratch image gives one without a display
            Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
            g.setFont(TITLE_FONT);
            FontMetrics fm = g.getFontMetrics();
            int columnWidth = 0;
            for (String t : titles) {
                columnWidth = Math.max(columnWidth, fm.stringWidth(t) + 2);
            }
            int header = fm.getHeight() + PAD;
            g.dispose();
            for (RgbImage img : clean) {
                columnWidth = Math.max(columnWidth, img.width());
            }
            int[] rowY = new int[clean.size()];
            int y = header + PAD;
            for (int r = 0; r < clean.size(); r++) {
                rowY[r] = y;
                y += clean.get(r).height() + PAD;
            }
            return new Layout(columnWidth, header, rowY, PAD + 3 * (columnWidth + PAD), y, titles);
        }
    }

    static BufferedImage render(List<RgbImage> clean, List<RgbImage> protectedImages, float gain) {
        if (clean.isEmpty() || clean.size() != protectedImages.size()) {
            throw new IllegalArgumentException("need as many protected as clean images, at least one (got "
                    + clean.size() + " clean, " + protectedImages.size() + " protected)");
        }
        Layout layout = Layout.of(clean, gain);
        BufferedImage out = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(TITLE_FONT);
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        for (int c = 0; c < 3; c++) {
            String t = layout.titles()[c];
            g.drawString(t, layout.x(c) + (layout.columnWidth() - fm.stringWidth(t)) / 2, PAD + fm.getAscent());
        }
        g.dispose();
        for (int r = 0; r < clean.size(); r++) {
            RgbImage a = clean.get(r);
            RgbImage b = protectedImages.get(r);
            RgbImage res = residual(a, b, gain); // also checks the sizes match
            int y = layout.y(r);
            put(out, a, layout.x(0), y);
            put(out, b, layout.x(1), y);
            put(out, res, layout.x(2), y);
        }
        return out;
    }

    /** Copies the 8-bit pixels directly: drawImage could filter or colour-convert them. */
    private static void put(BufferedImage canvas, RgbImage image, int x, int y) {
        int w = image.width();
        int h = image.height();
        BufferedImage pixels = ImageCodec.toBuffered(image);
        canvas.setRGB(x, y, w, h, pixels.getRGB(0, 0, w, h, null, 0, w), 0, w);
    }

    private static String formatGain(float gain) {
        return gain == Math.rint(gain) ? Integer.toString((int) gain) : String.format(Locale.ROOT, "%.1f", gain);
    }
}
