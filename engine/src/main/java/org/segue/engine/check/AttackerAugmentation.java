package org.segue.engine.check;

import org.segue.engine.internal.Blur;
import org.segue.engine.internal.RgbImage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The data augmentations an attacker may train with to get around a protection, applied on the host
 * to each training batch: the counter-measures of the unlearnable-examples literature (Cutout, Mixup,
 * CutMix, Gaussian blur) and the re-framing a face pipeline's alignment and random-resized-crop
 * augmentation do. Mixing augmentations return two labels per image and the weight of the first.
 */
public enum AttackerAugmentation {
    /** No augmentation (the authors' protocol). */
    NONE,
    /** Cutout: two square holes of half the image side, filled with black, placed uniformly (clipped at the border). */
    CUTOUT,
    /** Mixup: the batch blended with a shuffled copy of itself, weight drawn from Beta(1,1). */
    MIXUP,
    /** CutMix: a box of a shuffled partner pasted in, its area fraction drawn from U(0,1); labels weighted by area. */
    CUTMIX,
    /** Gaussian blur, kernel 5x5, sigma 1, on every image. */
    BLUR,
    /** Random resized crop (area 0.8-1), shift up to 8% of the side and rotation up to 10 degrees. */
    REFRAME;

    /** A batch after augmentation: the loss is {@code w * CE(y) + (1 - w) * CE(other)} per image. */
    public record Batch(List<RgbImage> images, int[] labels, int[] otherLabels, float weight) {}

    public static AttackerAugmentation parse(String name) {
        for (AttackerAugmentation a : values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown augmentation '" + name + "': use one of "
                + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }

    /** Augments one batch; images are never modified in place. */
    public Batch apply(List<RgbImage> images, int[] labels, Random rng) {
        return switch (this) {
            case NONE -> new Batch(images, labels, labels, 1f);
            case CUTOUT -> new Batch(map(images, img -> cutout(img, 2, 0.5, rng)), labels, labels, 1f);
            case BLUR -> new Batch(map(images, img -> gaussianBlur5(img, 1.0)), labels, labels, 1f);
            case REFRAME -> new Batch(map(images, img -> reframe(img, 0.8, 0.08, 10, rng)), labels, labels, 1f);
            case MIXUP -> mixup(images, labels, rng);
            case CUTMIX -> cutmix(images, labels, rng);
        };
    }

    private static List<RgbImage> map(List<RgbImage> images, java.util.function.UnaryOperator<RgbImage> op) {
        List<RgbImage> out = new ArrayList<>(images.size());
        images.forEach(img -> out.add(op.apply(img)));
        return out;
    }

    private static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static Batch mixup(List<RgbImage> images, int[] labels, Random rng) {
        float w = rng.nextFloat(); // Beta(1,1)
        int[] partner = permutation(images.size(), rng);
        List<RgbImage> out = new ArrayList<>(images.size());
        int[] other = new int[labels.length];
        for (int i = 0; i < images.size(); i++) {
            float[] a = images.get(i).chw();
            float[] b = images.get(partner[i]).chw();
            float[] m = new float[a.length];
            for (int j = 0; j < a.length; j++) {
                m[j] = w * a[j] + (1 - w) * b[j];
            }
            out.add(new RgbImage(m, images.get(i).height(), images.get(i).width()));
            other[i] = labels[partner[i]];
        }
        return new Batch(out, labels, other, w);
    }

    private static Batch cutmix(List<RgbImage> images, int[] labels, Random rng) {
        RgbImage first = images.get(0);
        int h = first.height();
        int w = first.width();
        double cutFraction = rng.nextDouble(); // area of the pasted box, before clipping
        int bh = (int) Math.round(h * Math.sqrt(cutFraction));
        int bw = (int) Math.round(w * Math.sqrt(cutFraction));
        int cy = rng.nextInt(h);
        int cx = rng.nextInt(w);
        int y0 = Math.max(0, cy - bh / 2);
        int y1 = Math.min(h, cy + bh / 2);
        int x0 = Math.max(0, cx - bw / 2);
        int x1 = Math.min(w, cx + bw / 2);
        float keep = 1f - (float) ((y1 - y0) * (x1 - x0)) / (h * w); // labels follow the clipped area
        int[] partner = permutation(images.size(), rng);
        List<RgbImage> out = new ArrayList<>(images.size());
        int[] other = new int[labels.length];
        for (int i = 0; i < images.size(); i++) {
            float[] m = images.get(i).chw().clone();
            float[] b = images.get(partner[i]).chw();
            for (int c = 0; c < 3; c++) {
                for (int y = y0; y < y1; y++) {
                    int row = (c * h + y) * w;
                    System.arraycopy(b, row + x0, m, row + x0, x1 - x0);
                }
            }
            out.add(new RgbImage(m, h, w));
            other[i] = labels[partner[i]];
        }
        return new Batch(out, labels, other, keep);
    }

    /** {@code holes} black squares of side {@code fraction} of the image side, centres uniform. */
    static RgbImage cutout(RgbImage img, int holes, double fraction, Random rng) {
        int h = img.height();
        int w = img.width();
        float[] m = img.chw().clone();
        int side = (int) Math.round(Math.min(h, w) * fraction);
        for (int k = 0; k < holes; k++) {
            int cy = rng.nextInt(h);
            int cx = rng.nextInt(w);
            int y0 = Math.max(0, cy - side / 2);
            int y1 = Math.min(h, cy + side / 2);
            int x0 = Math.max(0, cx - side / 2);
            int x1 = Math.min(w, cx + side / 2);
            for (int c = 0; c < 3; c++) {
                for (int y = y0; y < y1; y++) {
                    java.util.Arrays.fill(m, (c * h + y) * w + x0, (c * h + y) * w + x1, 0f);
                }
            }
        }
        return new RgbImage(m, h, w);
    }

    /** Separable Gaussian blur, 5 taps, reflecting at the border (as torchvision's GaussianBlur). */
    static RgbImage gaussianBlur5(RgbImage img, double sigma) {
        return new RgbImage(Blur.planes(img.chw(), 3, img.height(), img.width(), Blur.gaussian(sigma, 2),
                Blur.Border.REFLECT), img.height(), img.width());
    }

    /**
     * Re-frames the image as a face aligner or random-resized-crop augmentation would: a window of
     * area {@code minArea}..1 of the image, moved by up to {@code maxShift} of the side and rotated
     * by up to {@code maxDegrees}, resampled bilinearly to the original size (edges repeated).
     */
    static RgbImage reframe(RgbImage img, double minArea, double maxShift, double maxDegrees, Random rng) {
        int h = img.height();
        int w = img.width();
        double scale = Math.sqrt(minArea + rng.nextDouble() * (1 - minArea)); // window side / image side
        double angle = Math.toRadians((2 * rng.nextDouble() - 1) * maxDegrees);
        double dx = (2 * rng.nextDouble() - 1) * maxShift * w;
        double dy = (2 * rng.nextDouble() - 1) * maxShift * h;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        float[] src = img.chw();
        float[] out = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // output pixel -> source position: scale into the window, rotate, shift
                double u = (x - cx) * scale;
                double v = (y - cy) * scale;
                double sx = cx + dx + cos * u - sin * v;
                double sy = cy + dy + sin * u + cos * v;
                double fx = Math.min(Math.max(sx, 0), w - 1);
                double fy = Math.min(Math.max(sy, 0), h - 1);
                int x0 = Math.min((int) fx, w - 2 < 0 ? 0 : w - 2);
                int y0 = Math.min((int) fy, h - 2 < 0 ? 0 : h - 2);
                int x1 = Math.min(x0 + 1, w - 1);
                int y1 = Math.min(y0 + 1, h - 1);
                double ax = fx - x0;
                double ay = fy - y0;
                for (int c = 0; c < 3; c++) {
                    int base = c * h * w;
                    double top = src[base + y0 * w + x0] * (1 - ax) + src[base + y0 * w + x1] * ax;
                    double bottom = src[base + y1 * w + x0] * (1 - ax) + src[base + y1 * w + x1] * ax;
                    out[base + y * w + x] = (float) (top * (1 - ay) + bottom * ay);
                }
            }
        }
        return new RgbImage(out, h, w);
    }
}
