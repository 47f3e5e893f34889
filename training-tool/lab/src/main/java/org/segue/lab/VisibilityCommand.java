package org.segue.lab;

import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.visibility.SCielab;
import org.segue.lab.eval.ImageQuality;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

@Command(name = "visibility", mixinStandardHelpOptions = true,
        description = {"How visible protection is: S-CIELAB (CIEDE2000) between each clean image of a dataset and its",
                "protected version (paired by name as the quality rows pair them) at a viewing condition, pooled over",
                "every pixel of every image (mean and 99th percentile), beside PSNR and SSIM. --reference noise|sign|green",
                "measures a made change instead of a protected folder: uniform random integers -8..8 (noise) or +-8 (sign)",
                "/255 on every sample, or +8/255 on green everywhere (the scale the figures are read against). --fit 1600",
                "measures whole photos as a screen shows them."})
final class VisibilityCommand implements Callable<Integer> {

    @Option(names = "--clean", required = true, description = "clean dataset folder")
    Path clean;

    @Option(names = "--protected", description = "its protected version")
    Path protectedRoot;

    @Option(names = "--reference", description = "noise, sign or green: a made change instead of --protected")
    String reference;

    @Option(names = "--ppd", defaultValue = "40",
            description = "image pixels per degree of visual angle (40: shown 1:1 at arm's length; default ${DEFAULT-VALUE})")
    double pixelsPerDegree;

    @Option(names = "--limit", defaultValue = "0", description = "at most this many images (0: all)")
    int limit;

    @Option(names = "--changed-only", description = "pool only the pixels where the two images differ")
    boolean changedOnly;

    @Option(names = "--fit", defaultValue = "0", description = "shrink both images (area averaging) so that the longer "
            + "side is at most this many pixels before measuring: a whole photo as shown fit to a screen (e.g. 1600); "
            + "0: as stored")
    int fit;

    /** Histogram of differences in steps of 0.01 up to 100, for the pooled percentile. */
    private static final double BIN = 0.01;

    @Override
    public Integer call() throws Exception {
        if ((protectedRoot == null) == (reference == null)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "give either --protected or --reference");
        }
        SCielab eye = new SCielab(pixelsPerDegree);
        // a made reference change pairs each clean image with itself and changes the copy below
        List<Path[]> pairs = ImageQuality.pairFolders(clean, protectedRoot != null ? protectedRoot : clean);
        if (limit > 0 && pairs.size() > limit) {
            pairs = pairs.subList(0, limit);
        }
        long[] histogram = new long[(int) (100 / BIN) + 1];
        double sum = 0;
        long pixels = 0;
        double psnr = 0;
        double ssim = 0;
        Random random = new Random(0);
        long t0 = System.nanoTime();
        for (Path[] pair : pairs) {
            RgbImage a = ImageCodec.read(pair[0]);
            RgbImage b = protectedRoot != null ? ImageCodec.read(pair[1]) : made(a, reference, random);
            a = fitted(a, fit);
            b = fitted(b, fit);
            float[] map = eye.differenceMap(a, b);
            boolean[] changed = changedOnly ? SCielab.changedPixels(a, b) : null;
            for (int i = 0; i < map.length; i++) {
                if (changed != null && !changed[i]) {
                    continue;
                }
                sum += map[i];
                histogram[(int) Math.min(histogram.length - 1, Math.round(map[i] / BIN))]++;
                pixels++;
            }
            ImageQuality.Stats q = ImageQuality.compare(a, b);
            psnr += q.psnr();
            ssim += q.ssim();
        }
        long rank = (long) Math.ceil(0.99 * pixels);
        long seen = 0;
        double p99 = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= rank) {
                p99 = i * BIN;
                break;
            }
        }
        System.out.printf(Locale.ROOT, "%d images, %d px, S-CIELAB (CIEDE2000) at %.0f px/degree: mean %.2f, p99 %.2f;"
                        + " PSNR %.2f dB, SSIM %.4f (%.1f s)%n", pairs.size(), pixels, pixelsPerDegree, sum / pixels,
                p99, psnr / pairs.size(), ssim / pairs.size(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** The image shrunk so that its longer side is at most {@code longSide} (unchanged when 0 or already smaller). */
    static RgbImage fitted(RgbImage image, int longSide) {
        int longer = Math.max(image.height(), image.width());
        if (longSide <= 0 || longer <= longSide) {
            return image;
        }
        double scale = (double) longSide / longer;
        return ImageOps.resize(image, Math.max(1, (int) Math.round(image.height() * scale)),
                Math.max(1, (int) Math.round(image.width() * scale)));
    }

    private static RgbImage made(RgbImage clean, String kind, Random random) {
        float[] chw = clean.chw().clone();
        int plane = clean.height() * clean.width();
        for (int i = 0; i < chw.length; i++) {
            float change = switch (kind) {
                case "noise" -> (random.nextInt(17) - 8) / 255f;
                case "sign" -> (random.nextBoolean() ? 8 : -8) / 255f;
                case "green" -> i >= plane && i < 2 * plane ? 8 / 255f : 0;
                default -> throw new IllegalArgumentException("--reference is noise, sign or green, not " + kind);
            };
            chw[i] = Math.min(1, Math.max(0, chw[i] + change));
        }
        return new RgbImage(chw, clean.height(), clean.width());
    }
}
