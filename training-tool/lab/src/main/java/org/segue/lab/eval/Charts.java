package org.segue.lab.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * PNG charts for evaluation reports, drawn with Java2D on an off-screen image (headless: no display
 * or toolkit window is involved). Accuracies are the usual content, so the y axis runs from 0 to 100
 * (percent) unless a range is given, and a dashed reference line can mark e.g. chance level.
 */
public final class Charts {

    /** Size of every chart, pixels. */
    public static final int WIDTH = 900;
    public static final int HEIGHT = 560;

    /** A line: points (x[i], y[i]) joined in order; a NaN y leaves a gap. */
    public record Series(String name, double[] x, double[] y) {

        public Series {
            if (x.length != y.length || x.length == 0) {
                throw new IllegalArgumentException("series '" + name + "' needs as many x as y values, at least one ("
                        + x.length + " x, " + y.length + " y)");
            }
        }
    }

    /** One bar per category, in this group's colour: {@code values[i]} belongs to category i. */
    public record Bars(String name, double[] values) {}

    /** A horizontal dashed line at {@code y}, labelled (e.g. "chance 10%"); the label may be empty. */
    public record Reference(double y, String label) {}

    /** Tableau 10: distinguishable colours, also in greyscale print to a fair degree. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };
    private static final Color AXIS = new Color(0x333333);
    private static final Color GRID = new Color(0xe6e6e6);
    private static final Color REFERENCE = new Color(0x777777);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 17);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Charts() {}

    /** The colour of the i-th series or bar group. */
    public static Color colour(int index) {
        return PALETTE[index % PALETTE.length];
    }

    /** Line chart with y from 0 to 100, no reference line. */
    public static void lineChart(String title, String xLabel, String yLabel, List<Series> series, Path png)
            throws IOException {
        lineChart(title, xLabel, yLabel, series, 0, 100, null, png);
    }

    /** Line chart with y from 0 to 100 and a reference line (null for none). */
    public static void lineChart(String title, String xLabel, String yLabel, List<Series> series, Reference reference,
                                 Path png) throws IOException {
        lineChart(title, xLabel, yLabel, series, 0, 100, reference, png);
    }

    /** Line chart with y from {@code yMin} to {@code yMax} and an optional reference line (null for none). */
    public static void lineChart(String title, String xLabel, String yLabel, List<Series> series, double yMin,
                                 double yMax, Reference reference, Path png) throws IOException {
        PngFiles.write(renderLineChart(title, xLabel, yLabel, series, yMin, yMax, reference), png);
    }

    /** Grouped bar chart with y from 0 to 100, no reference line. */
    public static void barChart(String title, String yLabel, List<String> categories, List<Bars> groups, Path png)
            throws IOException {
        barChart(title, yLabel, categories, groups, 100, null, png);
    }

    /**
     * Grouped bar chart: one cluster per category, one bar per group inside it, y from 0 to
     * {@code yMax}, each bar labelled with its value; an optional reference line (null for none).
     */
    public static void barChart(String title, String yLabel, List<String> categories, List<Bars> groups, double yMax,
                                Reference reference, Path png) throws IOException {
        PngFiles.write(renderBarChart(title, yLabel, categories, groups, yMax, reference), png);
    }

    static BufferedImage renderLineChart(String title, String xLabel, String yLabel, List<Series> series, double yMin,
                                         double yMax, Reference reference) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("a line chart needs at least one series");
        }
        requireRange(yMin, yMax);
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.x()) {
                xMin = Math.min(xMin, v);
                xMax = Math.max(xMax, v);
            }
        }
        if (!(xMax > xMin)) { // one x value: widen the axis so the point sits in the middle
            xMin -= 1;
            xMax += 1;
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        List<String> names = series.stream().map(Series::name).toList();
        Rectangle plot = plotArea(g, names, reference);
        drawFrame(g, plot, title, yLabel, yMin, yMax);
        // x ticks and label
        g.setFont(TICK_FONT);
        FontMetrics tm = g.getFontMetrics();
        double xStep = niceStep(xMax - xMin, 8);
        double firstX = Math.ceil(xMin / xStep - 1e-9) * xStep;
        for (int i = 0; firstX + i * xStep <= xMax + xStep * 1e-9; i++) {
            double v = firstX + i * xStep; // by index, not by adding steps: no drift over many ticks
            int px = (int) Math.round(mapX(v, xMin, xMax, plot));
            g.setColor(GRID);
            g.drawLine(px, plot.y, px, plot.y + plot.height);
            g.setColor(AXIS);
            g.drawLine(px, plot.y + plot.height, px, plot.y + plot.height + 5);
            String text = format(v, xStep);
            g.drawString(text, px - tm.stringWidth(text) / 2, plot.y + plot.height + 8 + tm.getAscent());
        }
        g.setColor(AXIS);
        g.drawRect(plot.x, plot.y, plot.width, plot.height);
        g.setFont(LABEL_FONT);
        FontMetrics lm = g.getFontMetrics();
        g.drawString(xLabel, plot.x + (plot.width - lm.stringWidth(xLabel)) / 2, HEIGHT - 14);
        drawReference(g, plot, yMin, yMax, reference);
        // the data, clipped to the plot area so out-of-range values do not run over the axes
        Shape oldClip = g.getClip();
        g.clip(new Rectangle(plot.x, plot.y, plot.width + 1, plot.height + 1));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            g.setColor(colour(i));
            g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D.Double line = new Path2D.Double();
            boolean open = false;
            for (int j = 0; j < s.x().length; j++) {
                if (Double.isNaN(s.y()[j])) {
                    open = false;
                    continue;
                }
                double px = mapX(s.x()[j], xMin, xMax, plot);
                double py = mapY(s.y()[j], yMin, yMax, plot);
                if (open) {
                    line.lineTo(px, py);
                } else {
                    line.moveTo(px, py);
                    open = true;
                }
            }
            g.draw(line);
            for (int j = 0; j < s.x().length; j++) {
                if (!Double.isNaN(s.y()[j])) {
                    double px = mapX(s.x()[j], xMin, xMax, plot);
                    double py = mapY(s.y()[j], yMin, yMax, plot);
                    g.fill(new Ellipse2D.Double(px - 3.5, py - 3.5, 7, 7));
                }
            }
        }
        g.setClip(oldClip);
        drawReferenceLabel(g, plot, yMin, yMax, reference, names.size());
        drawLegend(g, plot, names, true);
        g.dispose();
        return image;
    }

    static BufferedImage renderBarChart(String title, String yLabel, List<String> categories, List<Bars> groups,
                                        double yMax, Reference reference) {
        if (categories.isEmpty() || groups.isEmpty()) {
            throw new IllegalArgumentException("a bar chart needs at least one category and one group");
        }
        for (Bars b : groups) {
            if (b.values().length != categories.size()) {
                throw new IllegalArgumentException("group '" + b.name() + "' has " + b.values().length + " values for "
                        + categories.size() + " categories");
            }
        }
        requireRange(0, yMax);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        List<String> names = groups.stream().map(Bars::name).toList();
        Rectangle plot = plotArea(g, names, reference);
        drawFrame(g, plot, title, yLabel, 0, yMax);
        double slot = (double) plot.width / categories.size();
        double barWidth = slot * 0.8 / groups.size();
        g.setFont(TICK_FONT);
        FontMetrics tm = g.getFontMetrics();
        for (int c = 0; c < categories.size(); c++) {
            double left = plot.x + c * slot + slot * 0.1;
            for (int k = 0; k < groups.size(); k++) {
                double v = groups.get(k).values()[c];
                if (Double.isNaN(v)) {
                    continue;
                }
                double top = mapY(Math.min(Math.max(v, 0), yMax), 0, yMax, plot);
                double x0 = left + k * barWidth;
                g.setColor(colour(k));
                g.fill(new java.awt.geom.Rectangle2D.Double(x0 + 1, top, barWidth - 2, plot.y + plot.height - top));
                // the value above its bar, so the figure can be read without a ruler
                String text = format(v, yMax >= 20 ? 0.1 : niceStep(yMax, 8) / 10);
                if (tm.stringWidth(text) <= barWidth + 6) {
                    g.setColor(AXIS);
                    g.drawString(text, (float) (x0 + (barWidth - tm.stringWidth(text)) / 2), (float) top - 3);
                }
            }
            String label = categories.get(c);
            int labelWidth = tm.stringWidth(label);
            Font old = g.getFont();
            if (labelWidth > slot) { // crowded axis: shrink the label rather than overlap the next one
                g.setFont(TICK_FONT.deriveFont((float) Math.max(8, TICK_FONT.getSize2D() * slot / labelWidth)));
            }
            FontMetrics cm = g.getFontMetrics();
            g.setColor(AXIS);
            g.drawString(label, (float) (plot.x + c * slot + (slot - cm.stringWidth(label)) / 2),
                    plot.y + plot.height + 8 + cm.getAscent());
            g.setFont(old);
        }
        g.setColor(AXIS);
        g.drawRect(plot.x, plot.y, plot.width, plot.height);
        drawReference(g, plot, 0, yMax, reference);
        drawReferenceLabel(g, plot, 0, yMax, reference, names.size());
        drawLegend(g, plot, names, false);
        g.dispose();
        return image;
    }

    private static void requireRange(double min, double max) {
        if (!(max > min) || Double.isInfinite(min) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("axis range must be finite with max > min, was " + min + ".." + max);
        }
    }

    private static Graphics2D canvas(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        return g;
    }

    /**
     * The data rectangle: room for the title, axis labels and ticks, and on the right a column for the
     * legend and the reference line's label.
     */
    private static Rectangle plotArea(Graphics2D g, List<String> names, Reference reference) {
        g.setFont(LABEL_FONT);
        FontMetrics fm = g.getFontMetrics();
        int column = 0;
        for (String n : names) {
            column = Math.max(column, fm.stringWidth(n) + 50);
        }
        if (reference != null && reference.label() != null) {
            column = Math.max(column, g.getFontMetrics(TICK_FONT).stringWidth(reference.label()) + 20);
        }
        // outside the plot so neither hides data; the column takes at most a third of the width
        int legendWidth = Math.min(WIDTH / 3, column);
        int left = 80;
        int top = 50;
        int right = WIDTH - 20 - legendWidth;
        int bottom = HEIGHT - 60;
        return new Rectangle(left, top, right - left, bottom - top);
    }

    /** Background grid, y ticks and labels, title and y-axis label. */
    private static void drawFrame(Graphics2D g, Rectangle plot, String title, String yLabel, double yMin, double yMax) {
        g.setFont(TICK_FONT);
        FontMetrics tm = g.getFontMetrics();
        double step = niceStep(yMax - yMin, 10);
        double first = Math.ceil(yMin / step - 1e-9) * step;
        for (int i = 0; first + i * step <= yMax + step * 1e-9; i++) {
            double v = first + i * step;
            int py = (int) Math.round(mapY(v, yMin, yMax, plot));
            g.setColor(GRID);
            g.drawLine(plot.x, py, plot.x + plot.width, py);
            g.setColor(AXIS);
            g.drawLine(plot.x - 5, py, plot.x, py);
            String text = format(v, step);
            g.drawString(text, plot.x - 8 - tm.stringWidth(text), py + tm.getAscent() / 2 - 1);
        }
        g.setFont(TITLE_FONT);
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawString(title, (WIDTH - fm.stringWidth(title)) / 2, 30);
        g.setFont(LABEL_FONT);
        FontMetrics lm = g.getFontMetrics();
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        // rotated: x runs upwards, y to the right
        g.drawString(yLabel, -(plot.y + (plot.height + lm.stringWidth(yLabel)) / 2), 22);
        g.setTransform(saved);
    }

    private static void drawReference(Graphics2D g, Rectangle plot, double yMin, double yMax, Reference reference) {
        if (reference == null || reference.y() < yMin || reference.y() > yMax) {
            return;
        }
        double py = mapY(reference.y(), yMin, yMax, plot);
        g.setColor(REFERENCE);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
        g.draw(new java.awt.geom.Line2D.Double(plot.x, py, plot.x + plot.width, py));
        g.setStroke(new BasicStroke(1f));
    }

    /**
     * The reference line's label: beside the line's right end, outside the plot, where no data can
     * cover it; when the line is level with the legend, inside the plot on a translucent box instead.
     */
    private static void drawReferenceLabel(Graphics2D g, Rectangle plot, double yMin, double yMax, Reference reference,
                                           int legendEntries) {
        if (reference == null || reference.y() < yMin || reference.y() > yMax
                || reference.label() == null || reference.label().isEmpty()) {
            return;
        }
        double py = mapY(reference.y(), yMin, yMax, plot);
        g.setFont(TICK_FONT);
        FontMetrics tm = g.getFontMetrics();
        int w = tm.stringWidth(reference.label());
        int x;
        int baseline;
        if (py - tm.getAscent() > legendBottom(g, plot, legendEntries)) {
            x = plot.x + plot.width + 8;
            baseline = (int) Math.round(py + tm.getAscent() / 2.0 - 1);
        } else {
            x = plot.x + plot.width - w - 6;
            baseline = (int) Math.round(py + tm.getAscent() + 3); // below the line, away from the top edge
            g.setColor(new Color(255, 255, 255, 210));
            g.fillRect(x - 2, baseline - tm.getAscent(), w + 4, tm.getAscent() + tm.getDescent());
        }
        g.setColor(REFERENCE.darker());
        g.drawString(reference.label(), x, baseline);
    }

    /** Lowest pixel row the legend occupies (see {@link #drawLegend}). */
    private static int legendBottom(Graphics2D g, Rectangle plot, int entries) {
        FontMetrics fm = g.getFontMetrics(LABEL_FONT);
        return plot.y + 8 + entries * (fm.getHeight() + 6);
    }

    /** Legend to the right of the plot: a line with a dot per series, or a filled square per bar group. */
    private static void drawLegend(Graphics2D g, Rectangle plot, List<String> names, boolean lines) {
        g.setFont(LABEL_FONT);
        FontMetrics fm = g.getFontMetrics();
        int x = plot.x + plot.width + 16;
        int y = plot.y + 8;
        for (int i = 0; i < names.size(); i++) {
            g.setColor(colour(i));
            int mid = y + fm.getAscent() / 2;
            if (lines) {
                g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.drawLine(x, mid, x + 22, mid);
                g.fill(new Ellipse2D.Double(x + 11 - 3.5, mid - 3.5, 7, 7));
            } else {
                g.fillRect(x + 4, mid - 7, 14, 14);
            }
            g.setColor(AXIS);
            g.drawString(names.get(i), x + 30, y + fm.getAscent() - 1);
            y += fm.getHeight() + 6;
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static double mapX(double v, double min, double max, Rectangle plot) {
        return plot.x + (v - min) / (max - min) * plot.width;
    }

    private static double mapY(double v, double min, double max, Rectangle plot) {
        return plot.y + plot.height - (v - min) / (max - min) * plot.height;
    }

    /** A step of 1, 2 or 5 times a power of ten giving at most about {@code maxTicks} intervals. */
    static double niceStep(double range, int maxTicks) {
        double raw = range / maxTicks;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw - 1e-12 * power) {
                return m * power;
            }
        }
        return 10 * power;
    }

    /** A tick label with as many decimals as the step needs (none for whole steps). */
    static String format(double v, double step) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        if (Math.abs(v) < step * 1e-6) {
            v = 0; // a tick reached by adding steps may sit a rounding error below zero: no "-0"
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
