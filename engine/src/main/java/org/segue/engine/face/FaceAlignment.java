package org.segue.engine.face;

import org.segue.engine.internal.RgbImage;
import org.segue.engine.spi.FaceBox;
import org.segue.engine.spi.FaceLandmarks;

import java.util.stream.IntStream;

/**
 * One face's alignment: the least-squares similarity taking its five landmarks onto the canonical
 * template of a {@link CropFraming}, the aligned crop cut from a photo through it, and the exact way
 * back from a perturbation of the crop to the photo's own pixel grid.
 *
 * <p>Coordinates: photo pixel {@code (row i, column j)} and crop pixel likewise have their centres at
 * {@code (x, y) = (j, i)}. Crop pixel {@code (u, v)} covers the square {@code [u - 0.5, u + 0.5) x
 * [v - 0.5, v + 0.5)}, so the crop covers {@code [-0.5, size - 0.5)^2} of its plane.
 *
 * <p>Immutable and thread-safe. It encodes the face's position, size and tilt, so its string form
 * shows none of them.
 */
public final class FaceAlignment {

    /** Footprints larger than this many pixels are mapped back on all cores. */
    private static final long PARALLEL_PIXELS = 1 << 20;

    private final CropFraming framing;
    private final Similarity photoToCrop;
    private final Similarity cropToPhoto;

    private FaceAlignment(CropFraming framing, Similarity photoToCrop) {
        this.framing = framing;
        this.photoToCrop = photoToCrop;
        this.cropToPhoto = photoToCrop.inverse();
    }

    /**
     * Aligns a face given its landmarks in photo pixels.
     *
     * @throws IllegalArgumentException when the landmarks (nearly) coincide and fix no size or orientation
     */
    public static FaceAlignment of(FaceLandmarks landmarks, CropFraming framing) {
        if (landmarks == null || framing == null) {
            throw new IllegalArgumentException("aligning a face needs its landmarks and a crop framing");
        }
        return of(landmarks.xy(), framing);
    }

    /** {@link #of(FaceLandmarks, CropFraming)} with a centred framing of the given size and padding. */
    public static FaceAlignment of(FaceLandmarks landmarks, int cropSize, double padding) {
        return of(landmarks, CropFraming.of(cropSize, padding));
    }

    /** Aligns five points given as {@code x0, y0, ... x4, y4} (the order of {@link FaceLandmarks}). */
    static FaceAlignment of(double[] fivePoints, CropFraming framing) {
        if (fivePoints == null || fivePoints.length != 2 * FaceLandmarks.POINTS) {
            throw new IllegalArgumentException("aligning a face needs its five landmarks");
        }
        return new FaceAlignment(framing, Similarity.fit(fivePoints, framing.templatePoints()));
    }

    /** This face with the same landmarks in another framing (e.g. the embedder's from the generator's). */
    public FaceAlignment reframed(CropFraming other) {
        // The template is fixed, so the fit in another framing is this one followed by the change of framing.
        Similarity change = Similarity.fit(framing.templatePoints(), other.templatePoints());
        return new FaceAlignment(other, change.after(photoToCrop));
    }

    public CropFraming framing() {
        return framing;
    }

    public int cropSize() {
        return framing.size();
    }

    /** Photo pixel coordinates to crop pixel coordinates. */
    public Similarity photoToCrop() {
        return photoToCrop;
    }

    /** Crop pixel coordinates to photo pixel coordinates. */
    public Similarity cropToPhoto() {
        return cropToPhoto;
    }

    /** Photo pixels per crop pixel: above 1 the crop shrinks the face, below 1 it enlarges it. */
    public double photoPixelsPerCropPixel() {
        return cropToPhoto.scale();
    }

    /**
     * The aligned {@code size x size} crop: each crop pixel takes the photo's bilinear interpolation at its
     * centre's position, with the photo's edge repeated outwards where the crop reaches past it. When the
     * crop shrinks the face by 2 or more, the photo is first averaged over {@code k x k} blocks ({@code k} the
     * whole part of the shrink factor) so that the crop does not alias.
     */
    public RgbImage warp(RgbImage photo) {
        if (photo == null) {
            throw new IllegalArgumentException("no photo to cut the face from");
        }
        Similarity sample = cropToPhoto;
        float[] src = photo.chw();
        int sw = photo.width();
        int sh = photo.height();
        int k = (int) Math.floor(cropToPhoto.scale());
        if (k >= 2) {
            Bounds region = footprintBounds().grown(k).clippedTo(sw, sh);
            if (region != null) {
                int rw = (region.x1 - region.x0 + k) / k;
                int rh = (region.y1 - region.y0 + k) / k;
                src = blockMeans(photo, region, k, rw, rh);
                sw = rw;
                sh = rh;
                // photo x -> block column (x - x0 - (k - 1) / 2) / k, where block centres fall on integers
                double off = (k - 1) / 2.0;
                Similarity toBlocks = new Similarity(1.0 / k, 0, -(region.x0 + off) / k, -(region.y0 + off) / k);
                sample = toBlocks.after(cropToPhoto);
            }
        }
        int s = framing.size();
        float[] out = new float[3 * s * s];
        int plane = sw * sh;
        for (int v = 0; v < s; v++) {
            for (int u = 0; u < s; u++) {
                double x = Math.min(sw - 1, Math.max(0, sample.mapX(u, v)));
                double y = Math.min(sh - 1, Math.max(0, sample.mapY(u, v)));
                int x0 = Math.min(sw - 2, (int) x);
                int y0 = Math.min(sh - 2, (int) y);
                if (sw == 1) {
                    x0 = 0;
                }
                if (sh == 1) {
                    y0 = 0;
                }
                int x1 = Math.min(sw - 1, x0 + 1);
                int y1 = Math.min(sh - 1, y0 + 1);
                float fx = (float) (x - x0);
                float fy = (float) (y - y0);
                int i00 = y0 * sw + x0, i01 = y0 * sw + x1, i10 = y1 * sw + x0, i11 = y1 * sw + x1;
                int o = v * s + u;
                for (int c = 0; c < 3; c++) {
                    int base = c * plane;
                    float top = src[base + i00] + fx * (src[base + i01] - src[base + i00]);
                    float bottom = src[base + i10] + fx * (src[base + i11] - src[base + i10]);
                    out[c * s * s + o] = top + fy * (bottom - top);
                }
            }
        }
        return new RgbImage(out, s, s);
    }

    /**
     * The photo pixels the crop covers, as the bounding rectangle of the crop square's image in the photo,
     * clipped to a {@code width x height} photo.
     *
     * @throws IllegalArgumentException when the crop lies wholly outside the photo
     */
    public FaceBox footprint(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("a photo needs a positive size, got " + width + "x" + height);
        }
        Bounds b = footprintBounds().clippedTo(width, height);
        if (b == null) {
            throw new IllegalArgumentException("the aligned face crop lies wholly outside the "
                    + width + "x" + height + " photo");
        }
        return new FaceBox(b.x0, b.y0, b.x1 - b.x0 + 1, b.y1 - b.y0 + 1);
    }

    /**
     * A perturbation of the crop ({@code 3 x size x size}, channel-major, template coordinates) on the
     * photo's pixel grid over {@link #footprint}: each photo pixel whose centre falls inside the crop square
     * takes the crop's bilinear interpolation of {@code delta} at that position (edge crop pixels repeated
     * into the crop's outer half pixel), every other pixel zero. Interpolation only averages (and the result
     * is clamped to the largest {@code |delta|} against float rounding), so a bound {@code |delta| <= eps}
     * holds for the result to the last bit.
     *
     * @throws IllegalArgumentException when {@code delta} has the wrong length or a non-finite value, or the
     *     crop lies wholly outside the photo
     */
    public PhotoDelta toPhoto(float[] delta, int width, int height) {
        return new PhotoDelta(footprint(width, height), toPhoto(delta, 3, width, height));
    }

    /**
     * {@link #toPhoto(float[], int, int)} for {@code planes} planes of the crop of any meaning (weights, a mask),
     * mapped alike onto the photo's grid over {@link #footprint}, plane after plane.
     *
     * @throws IllegalArgumentException when {@code values} has the wrong length or a non-finite value, or the
     *     crop lies wholly outside the photo
     */
    public float[] toPhoto(float[] values, int planes, int width, int height) {
        int s = framing.size();
        if (planes < 1 || values == null || values.length != planes * s * s) {
            throw new IllegalArgumentException(planes + " planes of a " + s + "x" + s + " crop need " + planes * s * s
                    + " values, got " + (values == null ? "none" : values.length));
        }
        float bound = 0;
        for (float d : values) {
            if (!Float.isFinite(d)) {
                throw new IllegalArgumentException("the face crop's values hold a non-finite value");
            }
            bound = Math.max(bound, Math.abs(d));
        }
        FaceBox box = footprint(width, height);
        int bw = box.width();
        int bh = box.height();
        float[] out = new float[planes * bw * bh];
        float limit = bound;
        IntStream rows = IntStream.range(0, bh);
        // a large face's footprint has millions of pixels: its rows are independent
        (bw * (long) bh > PARALLEL_PIXELS ? rows.parallel() : rows)
                .forEach(r -> mapRow(values, planes, box, r, limit, out));
        return out;
    }

    /**
     * One row of {@link #toPhoto}. Along a row the crop position moves by a constant step, so the pixels
     * inside the crop square form one run, found by solving the square's four edges for the column.
     */
    private void mapRow(float[] delta, int planes, FaceBox box, int r, float limit, float[] out) {
        int s = framing.size();
        int plane = s * s;
        int bw = box.width();
        int outPlane = bw * box.height();
        int py = box.y() + r;
        double u0 = photoToCrop.mapX(box.x(), py);
        double v0 = photoToCrop.mapY(box.x(), py);
        double du = photoToCrop.a();
        double dv = photoToCrop.b();
        double lo = -0.5;
        double hi = s - 0.5;
        double[] span = {0, bw - 1};
        if (!narrow(span, u0, du, lo, hi) || !narrow(span, v0, dv, lo, hi)) {
            return;
        }
        // one pixel of slack each way: the exact test below decides
        int qStart = Math.max(0, (int) Math.floor(span[0]) - 1);
        int qEnd = Math.min(bw - 1, (int) Math.ceil(span[1]) + 1);
        int last = s - 1;
        for (int q = qStart; q <= qEnd; q++) {
            double u = u0 + du * q;
            double v = v0 + dv * q;
            if (!(u >= lo && u < hi && v >= lo && v < hi)) {
                continue;
            }
            double x = u < 0 ? 0 : (u > last ? last : u);
            double y = v < 0 ? 0 : (v > last ? last : v);
            int x0 = Math.min(s - 2, (int) x);
            int y0 = Math.min(s - 2, (int) y);
            float fx = (float) (x - x0);
            float fy = (float) (y - y0);
            int i00 = y0 * s + x0;
            int o = r * bw + q;
            for (int c = 0; c < planes; c++) {
                int base = c * plane + i00;
                float top = delta[base] + fx * (delta[base + 1] - delta[base]);
                float bottom = delta[base + s] + fx * (delta[base + s + 1] - delta[base + s]);
                float mixed = top + fy * (bottom - top);
                // float rounding may overshoot the corners by an ulp; the budget holds to the last bit
                out[c * outPlane + o] = mixed > limit ? limit : (mixed < -limit ? -limit : mixed);
            }
        }
    }

    /** Narrows the column interval {@code span} to where {@code lo <= start + step * q < hi}; false if empty. */
    private static boolean narrow(double[] span, double start, double step, double lo, double hi) {
        if (Math.abs(step) < 1e-12) {
            return start >= lo && start < hi;
        }
        double q1 = (lo - start) / step;
        double q2 = (hi - start) / step;
        span[0] = Math.max(span[0], Math.min(q1, q2));
        span[1] = Math.min(span[1], Math.max(q1, q2));
        return span[0] <= span[1] + 2;
    }

    /**
     * A perturbation on a photo's pixel grid: {@code chw} holds three planes of {@code box.width() x
     * box.height()} values to add to the photo's pixels inside {@code box} (zero where the crop did not reach).
     */
    public record PhotoDelta(FaceBox box, float[] chw) {

        public PhotoDelta {
            if (box == null || chw == null || chw.length != 3 * box.width() * box.height()) {
                throw new IllegalArgumentException("a photo perturbation needs three planes the size of its box");
            }
        }

        /** Channel {@code c} at photo pixel {@code (x, y)}, zero outside the box. */
        public float at(int c, int x, int y) {
            if (!box.contains(x, y)) {
                return 0f;
            }
            return chw[(c * box.height() + y - box.y()) * box.width() + x - box.x()];
        }

        /** Without values or position. */
        @Override
        public String toString() {
            return "PhotoDelta[" + box.width() + "x" + box.height() + "]";
        }
    }

    /** Without the transform: it says where the face is and how it is turned. */
    @Override
    public String toString() {
        return "FaceAlignment[" + framing.size() + "px crop]";
    }

    private record Bounds(int x0, int y0, int x1, int y1) {

        Bounds grown(int by) {
            return new Bounds(x0 - by, y0 - by, x1 + by, y1 + by);
        }

        /** Null when nothing is left. */
        Bounds clippedTo(int width, int height) {
            int a = Math.max(0, x0);
            int b = Math.max(0, y0);
            int c = Math.min(width - 1, x1);
            int d = Math.min(height - 1, y1);
            return a > c || b > d ? null : new Bounds(a, b, c, d);
        }
    }

    /** The photo pixels (inclusive, unclipped) whose centres can fall inside the crop square. */
    private Bounds footprintBounds() {
        double lo = -0.5;
        double hi = framing.size() - 0.5;
        double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (double u : new double[] {lo, hi}) {
            for (double v : new double[] {lo, hi}) {
                double x = cropToPhoto.mapX(u, v);
                double y = cropToPhoto.mapY(u, v);
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
        }
        return new Bounds(saturate(Math.ceil(minX)), saturate(Math.ceil(minY)),
                saturate(Math.floor(maxX)), saturate(Math.floor(maxY)));
    }

    private static int saturate(double v) {
        return (int) Math.max(-(1 << 29), Math.min(1 << 29, v));
    }

    /** Means of {@code k x k} blocks of the region (blocks cut by the region's edge average what they hold). */
    private static float[] blockMeans(RgbImage photo, Bounds region, int k, int rw, int rh) {
        int w = photo.width();
        int h = photo.height();
        float[] chw = photo.chw();
        float[] out = new float[3 * rw * rh];
        double[] rowSums = new double[rw];
        for (int c = 0; c < 3; c++) {
            for (int by = 0; by < rh; by++) {
                java.util.Arrays.fill(rowSums, 0);
                int yStart = region.y0 + by * k;
                int yEnd = Math.min(region.y1 + 1, yStart + k);
                for (int y = yStart; y < yEnd; y++) {
                    int rowBase = (c * h + y) * w;
                    for (int bx = 0; bx < rw; bx++) {
                        int xStart = region.x0 + bx * k;
                        int xEnd = Math.min(region.x1 + 1, xStart + k);
                        double sum = 0;
                        for (int x = xStart; x < xEnd; x++) {
                            sum += chw[rowBase + x];
                        }
                        rowSums[bx] += sum;
                    }
                }
                for (int bx = 0; bx < rw; bx++) {
                    int xStart = region.x0 + bx * k;
                    int count = (Math.min(region.x1 + 1, xStart + k) - xStart) * (yEnd - yStart);
                    out[(c * rh + by) * rw + bx] = (float) (rowSums[bx] / count);
                }
            }
        }
        return out;
    }
}
