package org.segue.lab;

import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.visibility.SCielab;
import org.segue.lab.eval.ImageQuality;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "sheets", mixinStandardHelpOptions = true,
        description = {"Before / after sheets for looking at protection: for each clean image and its protected version",
                "(paired by name), one PNG with the original, the protected image and their difference amplified around",
                "grey, side by side at 1:1, and the S-CIELAB difference of the pair at the viewing condition (mean and 99th",
                "percentile over the changed pixels) in the file name and on standard output. Research faces: keep --out",
                "out of the repository."})
final class SheetsCommand implements Callable<Integer> {

    @Option(names = "--clean", required = true, description = "clean dataset folder (<group>/<images>)")
    Path clean;

    @Option(names = "--protected", required = true, description = "its protected version")
    Path protectedRoot;

    @Option(names = "--out", required = true, description = "folder for the sheets")
    Path out;

    @Option(names = "--amplify", defaultValue = "10", description = "difference gain (default ${DEFAULT-VALUE})")
    float amplify;

    @Option(names = "--ppd", defaultValue = "40", description = "pixels per degree for S-CIELAB (default ${DEFAULT-VALUE})")
    double pixelsPerDegree;

    @Option(names = "--limit", defaultValue = "20", description = "at most this many sheets (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--region", split = ",", paramLabel = "X,Y,W,H",
            description = "compare and show only this rectangle of every pair (left, top, width, height in pixels), "
                    + "e.g. a face of a whole photo at 1:1")
    int[] region;

    @Override
    public Integer call() throws Exception {
        SCielab eye = new SCielab(pixelsPerDegree);
        List<Path[]> pairs = ImageQuality.pairFolders(clean, protectedRoot);
        Files.createDirectories(out);
        int n = 0;
        for (Path[] pair : pairs) {
            if (n++ >= limit) {
                break;
            }
            RgbImage a = cut(ImageCodec.read(pair[0]), region);
            RgbImage b = cut(ImageCodec.read(pair[1]), region);
            SCielab.Summary s = SCielab.summarise(eye.differenceMap(a, b), SCielab.changedPixels(a, b));
            String stem = clean.relativize(pair[0]).toString().replace('/', '_').replaceAll("\\.[^.]*$", "");
            Path sheet = out.resolve(String.format(Locale.ROOT, "%s_scielab-%.1f-p99-%.1f.png", stem, s.mean(), s.p99()));
            ImageCodec.writePng(sheet(a, b, amplify), sheet);
            System.out.printf(Locale.ROOT, "%s: S-CIELAB over %d changed px mean %.2f, p99 %.2f -> %s%n",
                    clean.relativize(pair[0]), s.pixels(), s.mean(), s.p99(), sheet.getFileName());
        }
        return 0;
    }

    /** The rectangle {x, y, w, h} of {@code image} (refused unless inside it), or the image itself for no rectangle. */
    static RgbImage cut(RgbImage image, int[] region) {
        if (region == null) {
            return image;
        }
        if (region.length != 4) {
            throw new IllegalArgumentException("--region must be X,Y,W,H, four numbers");
        }
        return ImageOps.crop(image, region[0], region[1], region[2], region[3]);
    }

    /** Original | protected | (protected - original) * gain + 0.5, with a 4 px white gap between them. */
    static RgbImage sheet(RgbImage a, RgbImage b, float gain) {
        int h = a.height();
        int w = a.width();
        int gap = 4;
        int sw = 3 * w + 2 * gap;
        float[] chw = new float[3 * h * sw];
        java.util.Arrays.fill(chw, 1f);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int src = (c * h + y) * w + x;
                    int row = (c * h + y) * sw;
                    chw[row + x] = a.chw()[src];
                    chw[row + w + gap + x] = b.chw()[src];
                    chw[row + 2 * (w + gap) + x] = Math.min(1, Math.max(0, 0.5f + gain * (b.chw()[src] - a.chw()[src])));
                }
            }
        }
        return new RgbImage(chw, h, sw);
    }
}
