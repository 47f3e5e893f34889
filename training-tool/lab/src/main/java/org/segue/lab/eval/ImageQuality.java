package org.segue.lab.eval;

import org.segue.engine.internal.ImageCodec;
import org.segue.engine.training.ImageFolder;
import org.segue.engine.internal.RgbImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How visible a protection is: PSNR and SSIM between a clean image and its protected version, and
 * the size of the perturbation itself (L-inf and L2, in 8-bit levels).
 *
 * <p>Conventions, chosen so the figures compare with those published:
 * <ul>
 *   <li>PSNR uses MAX = 1 on values in [0,1], which equals the usual 8-bit PSNR (MAX = 255 on
 *       0..255); the mean squared error runs over all three channels. Identical images give
 *       {@code +Infinity}.</li>
 *   <li>SSIM is the Wang et al. (2004) index as scikit-image computes it with
 *       {@code gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1} and as
 *       pytorch-msssim's {@code ssim(..., data_range=1)} computes it: an 11x11 Gaussian window
 *       (sigma 1.5, normalised), K1 = 0.01, K2 = 0.03, population (biased) variances. The SSIM map is
 *       averaged over the <em>valid</em> region only (pixels whose whole window lies inside the
 *       image): pytorch-msssim convolves without padding, and scikit-image filters with padding but
 *       then crops (win_size-1)/2 pixels off every border before averaging, so both report exactly
 *       this mean. Channels are computed separately and averaged (scikit-image's
 *       {@code channel_axis}, pytorch-msssim's per-channel mean). Images need at least 11x11 pixels.</li>
 *   <li>L-inf is the largest absolute change of any channel value, L2 the Euclidean norm of the whole
 *       perturbation (all channels), both times 255, i.e. in 8-bit levels: a budget of 8/255 reads as
 *       8.</li>
 * </ul>
 */
public final class ImageQuality {

    /** Side of the Gaussian SSIM window. */
    public static final int WINDOW = 11;
    /** Standard deviation of the Gaussian SSIM window, in pixels. */
    public static final double SIGMA = 1.5;
    private static final double K1 = 0.01;
    private static final double K2 = 0.03;
    /** Stabilisers for a data range of 1. */
    static final double C1 = (K1 * 1) * (K1 * 1);
    static final double C2 = (K2 * 1) * (K2 * 1);

    /** The normalised 1-D Gaussian; the 2-D window is its outer product (the filter is separable). */
    private static final double[] GAUSS = gaussian(WINDOW, SIGMA);

    private ImageQuality() {}

    /**
     * Quality figures of one pair.
     *
     * @param psnr dB; {@code +Infinity} for identical images
     * @param ssim mean SSIM over the valid region and the three channels
     * @param linf largest absolute change, in 8-bit levels
     * @param l2   Euclidean norm of the change over all values, in 8-bit levels
     */
    public record Stats(double psnr, double ssim, double linf, double l2) {}

    /**
     * Figures over a dataset.
     *
     * @param images    pairs compared
     * @param meanPsnr  mean PSNR over the pairs that differ (identical pairs have an infinite PSNR and
     *                  would swamp the mean); NaN when every pair is identical
     * @param identical pairs left out of {@code meanPsnr} because they are identical
     * @param meanSsim  mean SSIM over all pairs
     * @param maxLinf   largest L-inf of any pair, 8-bit levels (the budget check)
     * @param meanL2    mean L2 over all pairs, 8-bit levels
     */
    public record Summary(int images, double meanPsnr, int identical, double meanSsim, double maxLinf,
                          double meanL2) {

        /** The figures as one JSON object, with the seconds the comparison took. */
        public String toJson(double seconds) {
            return String.format(java.util.Locale.ROOT, "{\"pairs\":%d,\"meanPsnr\":%.3f,\"identical\":%d,"
                    + "\"meanSsim\":%.5f,\"maxLinfLevels\":%.2f,\"meanL2Levels\":%.3f,\"seconds\":%.1f}",
                    images, meanPsnr, identical, meanSsim, maxLinf, meanL2, seconds);
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "%d images: PSNR %.2f dB (%d identical left out), SSIM %.4f, max Linf %.1f levels, mean L2 %.1f levels",
                    images, meanPsnr, identical, meanSsim, maxLinf, meanL2);
        }
    }

    /** All four figures for one clean image and its protected version (same size). */
    public static Stats compare(RgbImage clean, RgbImage protectedImage) {
        requireSameSize(clean, protectedImage, "clean", "protected");
        float[] a = clean.chw();
        float[] b = protectedImage.chw();
        double sumSq = 0;
        double maxAbs = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) b[i] - a[i];
            sumSq += d * d;
            maxAbs = Math.max(maxAbs, Math.abs(d));
        }
        double psnr = psnrFromMse(sumSq / a.length);
        return new Stats(psnr, ssim(clean, protectedImage), maxAbs * 255, Math.sqrt(sumSq) * 255);
    }

    /** PSNR in dB with MAX = 1 over all channel values; {@code +Infinity} for identical images. */
    public static double psnr(RgbImage a, RgbImage b) {
        requireSameSize(a, b, "first", "second");
        float[] x = a.chw();
        float[] y = b.chw();
        double sumSq = 0;
        for (int i = 0; i < x.length; i++) {
            double d = (double) x[i] - y[i];
            sumSq += d * d;
        }
        return psnrFromMse(sumSq / x.length);
    }

    private static double psnrFromMse(double mse) {
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1.0 / mse);
    }

    /** Mean SSIM over the valid region, averaged over the three channels (see the class comment). */
    public static double ssim(RgbImage a, RgbImage b) {
        requireSameSize(a, b, "first", "second");
        int h = a.height();
        int w = a.width();
        if (h < WINDOW || w < WINDOW) {
            throw new IllegalArgumentException("SSIM needs images of at least " + WINDOW + "x" + WINDOW
                    + " pixels (its window), got " + w + "x" + h);
        }
        int plane = h * w;
        double total = 0;
        for (int c = 0; c < 3; c++) {
            total += ssimPlane(a.chw(), b.chw(), c * plane, h, w);
        }
        return total / 3;
    }

    /** Mean SSIM of one channel plane starting at {@code offset}. */
    private static double ssimPlane(float[] a, float[] b, int offset, int h, int w) {
        int n = h * w;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] xx = new double[n];
        double[] yy = new double[n];
        double[] xy = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a[offset + i];
            y[i] = b[offset + i];
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        int vh = h - WINDOW + 1;
        int vw = w - WINDOW + 1;
        double[] muX = filterValid(x, h, w);
        double[] muY = filterValid(y, h, w);
        double[] eXX = filterValid(xx, h, w);
        double[] eYY = filterValid(yy, h, w);
        double[] eXY = filterValid(xy, h, w);
        double sum = 0;
        for (int i = 0; i < vh * vw; i++) {
            double mx = muX[i];
            double my = muY[i];
            // population (co)variances E[XY] - E[X]E[Y], as both references compute them
            double vx = eXX[i] - mx * mx;
            double vy = eYY[i] - my * my;
            double cov = eXY[i] - mx * my;
            double luminance = (2 * mx * my + C1) / (mx * mx + my * my + C1);
            double contrastStructure = (2 * cov + C2) / (vx + vy + C2);
            sum += luminance * contrastStructure;
        }
        return sum / (vh * vw);
    }

    /** Gaussian-weighted local means without padding: an (h-10) x (w-10) result, rows then columns. */
    private static double[] filterValid(double[] data, int h, int w) {
        int vw = w - WINDOW + 1;
        int vh = h - WINDOW + 1;
        double[] rows = new double[h * vw];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < vw; x++) {
                double s = 0;
                int base = y * w + x;
                for (int k = 0; k < WINDOW; k++) {
                    s += GAUSS[k] * data[base + k];
                }
                rows[y * vw + x] = s;
            }
        }
        double[] out = new double[vh * vw];
        for (int y = 0; y < vh; y++) {
            for (int x = 0; x < vw; x++) {
                double s = 0;
                for (int k = 0; k < WINDOW; k++) {
                    s += GAUSS[k] * rows[(y + k) * vw + x];
                }
                out[y * vw + x] = s;
            }
        }
        return out;
    }

    /** exp(-d^2 / 2 sigma^2) at d = -(size/2)..size/2, normalised to sum 1 (pytorch-msssim's window). */
    private static double[] gaussian(int size, double sigma) {
        double[] g = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double d = i - size / 2;
            g[i] = Math.exp(-(d * d) / (2 * sigma * sigma));
            sum += g[i];
        }
        for (int i = 0; i < size; i++) {
            g[i] /= sum;
        }
        return g;
    }

    /** Aggregates per-pair figures into a {@link Summary}. */
    public static Summary summarize(List<Stats> stats) {
        if (stats.isEmpty()) {
            throw new IllegalArgumentException("no image pairs to summarise");
        }
        double psnrSum = 0;
        int finite = 0;
        int identical = 0;
        double ssimSum = 0;
        double maxLinf = 0;
        double l2Sum = 0;
        for (Stats s : stats) {
            if (Double.isInfinite(s.psnr())) {
                identical++;
            } else {
                psnrSum += s.psnr();
                finite++;
            }
            ssimSum += s.ssim();
            maxLinf = Math.max(maxLinf, s.linf());
            l2Sum += s.l2();
        }
        int n = stats.size();
        return new Summary(n, finite == 0 ? Double.NaN : psnrSum / finite, identical, ssimSum / n, maxLinf, l2Sum / n);
    }

    /**
     * Compares a clean ImageFolder dataset with its protected version. Files are paired by their path
     * relative to the dataset root without the extension ({@code 3/img_0001.jpg} pairs with
     * {@code 3/img_0001.png}), since protection writes lossless PNGs under the original names.
     *
     * @throws IOException when a folder cannot be read, a file on either side lacks its pair, two files
     *                     of one side share a name up to the extension, or a pair differs in size
     */
    public static Summary compareFolders(Path clean, Path protectedRoot) throws IOException {
        List<Stats> stats = new ArrayList<>();
        for (Path[] pair : pairFolders(clean, protectedRoot)) {
            RgbImage a = ImageCodec.read(pair[0]);
            RgbImage b = ImageCodec.read(pair[1]);
            if (a.height() != b.height() || a.width() != b.width()) {
                // a resized "protected" image would compare meaninglessly: refuse rather than resample
                throw new IOException("size differs: " + pair[0] + " is " + a.width() + "x" + a.height()
                        + ", " + pair[1] + " is " + b.width() + "x" + b.height());
            }
            stats.add(compare(a, b));
        }
        return summarize(stats);
    }

    /**
     * The {clean, protected} file pairs of two ImageFolder datasets, paired as {@link #compareFolders}
     * describes, in the order of their relative paths.
     */
    public static List<Path[]> pairFolders(Path clean, Path protectedRoot) throws IOException {
        Map<String, Path> cleanFiles = byStem(ImageFolder.scan(clean));
        Map<String, Path> protectedFiles = byStem(ImageFolder.scan(protectedRoot));
        List<String> unpaired = new ArrayList<>();
        for (String key : cleanFiles.keySet()) {
            if (!protectedFiles.containsKey(key)) {
                unpaired.add(cleanFiles.get(key) + " has no protected version in " + protectedRoot);
            }
        }
        for (String key : protectedFiles.keySet()) {
            if (!cleanFiles.containsKey(key)) {
                unpaired.add(protectedFiles.get(key) + " has no clean original in " + clean);
            }
        }
        if (!unpaired.isEmpty()) {
            throw new IOException(unpaired.size() + " file(s) without a pair, e.g.: "
                    + String.join("; ", unpaired.subList(0, Math.min(5, unpaired.size()))));
        }
        List<Path[]> pairs = new ArrayList<>(cleanFiles.size());
        cleanFiles.forEach((key, file) -> pairs.add(new Path[] {file, protectedFiles.get(key)}));
        return pairs;
    }

    /** Files of a dataset keyed by relative path without extension, '/'-separated on every platform. */
    private static Map<String, Path> byStem(ImageFolder folder) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        for (ImageFolder.Sample s : folder.samples()) {
            Path rel = folder.root().relativize(s.file());
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < rel.getNameCount() - 1; i++) {
                key.append(rel.getName(i)).append('/');
            }
            String name = rel.getFileName().toString();
            int dot = name.lastIndexOf('.');
            key.append(dot > 0 ? name.substring(0, dot) : name);
            Path previous = out.put(key.toString(), s.file());
            if (previous != null) {
                throw new IOException("ambiguous pairing: " + previous + " and " + s.file()
                        + " differ only in their extension");
            }
        }
        return out;
    }

    private static void requireSameSize(RgbImage a, RgbImage b, String nameA, String nameB) {
        if (a.height() != b.height() || a.width() != b.width()) {
            throw new IllegalArgumentException("images differ in size: " + nameA + " " + a.width() + "x" + a.height()
                    + ", " + nameB + " " + b.width() + "x" + b.height());
        }
    }
}
