package org.segue.lab.eval;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.RgbImage;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Charts and example grids: valid PNGs of the expected size that show the data they were given. */
class ChartsTest {

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static BufferedImage readPng(Path png) throws Exception {
        byte[] bytes = Files.readAllBytes(png);
        // the PNG signature, then a decodable image
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals('P', bytes[1]);
        assertEquals('N', bytes[2]);
        assertEquals('G', bytes[3]);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " does not decode");
        return img;
    }

    /** Pixels of exactly {@code colour} in rows [y0, y1). */
    static int count(BufferedImage img, Color colour, int y0, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == (colour.getRGB() & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }

    static boolean same(BufferedImage a, BufferedImage b) {
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }

    static Charts.Series flat(String name, double y) {
        return new Charts.Series(name, new double[] {0, 10, 20, 30}, new double[] {y, y, y, y});
    }

    @Test
    void lineChartDrawsTheSeriesWhereTheyAre(@TempDir Path dir) throws Exception {
        Path low = dir.resolve("low.png");
        Path high = dir.resolve("high.png");
        Charts.lineChart("Attacker accuracy", "epoch", "accuracy (%)", List.of(flat("clean", 10)), low);
        Charts.lineChart("Attacker accuracy", "epoch", "accuracy (%)", List.of(flat("clean", 90)), high);
        BufferedImage a = readPng(low);
        BufferedImage b = readPng(high);
        assertEquals(Charts.WIDTH, a.getWidth());
        assertEquals(Charts.HEIGHT, a.getHeight());
        assertFalse(same(a, b), "different data, same drawing");
        Color c = Charts.colour(0);
        int half = Charts.HEIGHT / 2;
        // a line at 10% lies in the lower half; at 90% only the legend (top right) has the colour there
        assertTrue(count(a, c, half, Charts.HEIGHT) > 300, "line at 10% not drawn low");
        assertEquals(0, count(b, c, half, Charts.HEIGHT));
        assertTrue(count(b, c, 0, half) > count(a, c, 0, half) + 300, "line at 90% not drawn high");
    }

    @Test
    void severalSeriesReferenceLineAndGaps(@TempDir Path dir) throws Exception {
        List<Charts.Series> series = List.of(
                new Charts.Series("clean", new double[] {1, 2, 3, 4, 5}, new double[] {20, 45, 60, 70, 74}),
                new Charts.Series("Segue", new double[] {1, 2, 3, 4, 5}, new double[] {8, 9, Double.NaN, 11, 10}),
                new Charts.Series("LSP", new double[] {1, 3, 5}, new double[] {12, 15, 14}));
        Path plain = dir.resolve("plain.png");
        Path withChance = dir.resolve("chance.png");
        Charts.lineChart("Accuracy", "epoch", "%", series, plain);
        Charts.lineChart("Accuracy", "epoch", "%", series, new Charts.Reference(10, "chance 10%"), withChance);
        BufferedImage a = readPng(plain);
        BufferedImage b = readPng(withChance);
        for (int i = 0; i < 3; i++) {
            assertTrue(count(a, Charts.colour(i), 0, Charts.HEIGHT) > 50, "series " + i + " not drawn");
        }
        assertFalse(same(a, b), "reference line not drawn");
        // a custom range works too
        Path ranged = dir.resolve("ranged.png");
        Charts.lineChart("PSNR", "budget", "dB", List.of(flat("psnr", 38.5)), 30, 50, null, ranged);
        assertEquals(Charts.WIDTH, readPng(ranged).getWidth());
        assertThrows(IllegalArgumentException.class,
                () -> new Charts.Series("bad", new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> Charts.lineChart("t", "x", "y", List.of(), dir.resolve("none.png")));
    }

    @Test
    void barChartDrawsGroupedBarsInProportion(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("bars.png");
        Charts.barChart("Attacker accuracy by protection", "accuracy (%)", List.of("WebFace10", "CelebA10"),
                List.of(new Charts.Bars("clean", new double[] {80, 60}), new Charts.Bars("Segue", new double[] {10, 10})),
                png);
        BufferedImage img = readPng(png);
        assertEquals(Charts.WIDTH, img.getWidth());
        assertEquals(Charts.HEIGHT, img.getHeight());
        int clean = count(img, Charts.colour(0), 0, Charts.HEIGHT);
        int segue = count(img, Charts.colour(1), 0, Charts.HEIGHT);
        // bar areas are proportional to the values (140 vs 20), give or take the legend squares
        double ratio = (double) clean / segue;
        assertTrue(ratio > 5 && ratio < 9, "area ratio " + ratio);
        Path other = dir.resolve("other.png");
        Charts.barChart("Attacker accuracy by protection", "accuracy (%)", List.of("WebFace10", "CelebA10"),
                List.of(new Charts.Bars("clean", new double[] {80, 60}), new Charts.Bars("Segue", new double[] {10, 10})),
                100, new Charts.Reference(10, "chance"), other);
        assertFalse(same(img, readPng(other)));
        assertThrows(IllegalArgumentException.class, () -> Charts.barChart("t", "y", List.of("a", "b"),
                List.of(new Charts.Bars("g", new double[] {1})), dir.resolve("bad.png")));
    }

    static RgbImage random(long seed, int h, int w) {
        Random r = new Random(seed);
        float[] v = new float[3 * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(256) / 255f;
        }
        return new RgbImage(v, h, w);
    }

    @Test
    void imageGridShowsCleanProtectedAndAmplifiedResidual(@TempDir Path dir) throws Exception {
        RgbImage c0 = random(1, 40, 32);
        RgbImage c1 = random(2, 36, 32);
        float[] p0v = c0.chw().clone();
        int y = 7;
        int x = 5;
        int plane = 40 * 32;
        p0v[y * 32 + x] = 0.6f;                    // R
        p0v[plane + y * 32 + x] = c0.get(1, y, x); // G unchanged
        p0v[2 * plane + y * 32 + x] = Math.max(0, c0.get(2, y, x) - 3 / 255f); // B
        RgbImage p0 = new RgbImage(p0v, 40, 32);
        RgbImage p1 = random(3, 36, 32);
        float gain = 30;
        Path png = dir.resolve("grid.png");
        ImageGrid.write(List.of(c0, c1), List.of(p0, p1), gain, png);
        BufferedImage img = readPng(png);
        ImageGrid.Layout layout = ImageGrid.Layout.of(List.of(c0, c1), gain);
        assertEquals(layout.width(), img.getWidth());
        assertEquals(layout.height(), img.getHeight());
        assertTrue(layout.columnWidth() >= 32);
        assertEquals(layout.y(0) + 40 + ImageGrid.PAD, layout.y(1));

        int rgb = img.getRGB(layout.x(2) + x, layout.y(0) + y);
        for (int ch = 0; ch < 3; ch++) {
            float expected = Math.min(1, Math.max(0, 0.5f + gain * (p0.get(ch, y, x) - c0.get(ch, y, x))));
            int actual = (rgb >> (16 - 8 * ch)) & 0xff;
            assertEquals(ImageCodec.to8(expected), actual, "channel " + ch);
        }
        assertEquals(128, (rgb >> 8) & 0xff, "an unchanged channel sits at mid-grey");
        // the clean and protected columns are the images, pixel for pixel
        assertEquals(ImageCodec.toBuffered(c1).getRGB(3, 4) & 0xffffff,
                img.getRGB(layout.x(0) + 3, layout.y(1) + 4) & 0xffffff);
        assertEquals(ImageCodec.toBuffered(p1).getRGB(31, 35) & 0xffffff,
                img.getRGB(layout.x(1) + 31, layout.y(1) + 35) & 0xffffff);
        // column titles are written in the header strip
        assertTrue(count(img, Color.WHITE, 0, layout.headerHeight()) < img.getWidth() * layout.headerHeight(),
                "no titles");
        assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.write(List.of(c0), List.of(p1), gain, dir.resolve("bad.png")));
    }
}
