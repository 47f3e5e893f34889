package org.segue.engine.photo;

import org.segue.engine.face.CropFraming;
import org.segue.engine.face.FaceAlignment;
import org.segue.engine.generator.FaceMask;
import org.segue.engine.internal.Blur;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.spi.FaceBox;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Conceals a head from pretrained face recognition: the face, hair and ears ({@link FaceMask#HEAD}) are replaced by a
 * coarse, smoothed version of themselves, fading into the untouched photo at the area's feathered edge. This is the
 * protection for people whose photos are enrolled by a pretrained embedder rather than learnt from: no perturbation
 * within the product's budget, and no change confined to the face oval, keeps such recognisers from matching a face
 * (docs/evaluation.md), while this does. It is plainly seen, by design; the perturbation that defends against
 * training on the photos is added on top of it as usual.
 *
 * <p>The head is first reduced to the means of square cells of {@link #CELL} of the template's width, then smoothed
 * (a Gaussian of half a cell) so that it reads as a blur rather than blocks. The smoothing can be undone by an
 * attacker who knows it; the cell means cannot be, so no deblurring gets more out of a head than those cells, and
 * the cell size is the smallest measured at which even the bare cells are no longer matched as smaller ones are
 * (a plain Gaussian blur of the same look is matched again once deconvolved). Cells and smoothing are defined on the
 * canonical face template, so every face loses the same detail whatever its size in the photo. In a photo the work
 * is done on an aligned crop of the head at {@link #WORKING_SIZE} pixels and mapped back onto the photo's grid,
 * concealed pixels and weights alike, so its cost does not grow with the face.
 */
public final class HeadConcealment {

    /**
     * The side of a cell as a fraction of the template's width (a 224-pixel crop's 24 pixels): the smallest of the
     * sizes measured at which held-out recognisers miss the concealed faces and the bare cells, the most a deblurring
     * attacker could recover, are no longer matched as those of smaller cells are (docs/evaluation.md).
     */
    public static final double CELL = 24.0 / 224;

    /** The template's width, in pixels of the crop a photo's head is concealed on. */
    static final int WORKING_SIZE = 112;

    /**
     * Padding of the concealment crop around the template, in template widths: the head area reaches 8% above the
     * template's top edge and 5% beyond its sides, so its feathered edge ends inside the crop, not at a straight cut.
     */
    static final double PADDING = 0.15;

    private static final FaceMask AREA = FaceMask.HEAD;

    private HeadConcealment() {}

    /** How a face's head is cut for concealing it: centred on the template with room for the whole head area. */
    public static CropFraming framing() {
        return CropFraming.of((int) Math.round(WORKING_SIZE * (1 + 2 * PADDING)), PADDING);
    }

    /**
     * A face crop in the framing the generators learn from ({@link CropFraming#trainingCrops}, any size) with its
     * head concealed; the head area is cut off at the crop's edges (a dataset's crops hold nothing beyond them).
     */
    public static RgbImage concealCrop(RgbImage crop) {
        int h = crop.height();
        int w = crop.width();
        Layers layers = Layers.of(AREA.weights(h, w), obscure(crop.chw(), h, w, w, 0));
        return crop.plusClamped(change(crop, new FaceBox(0, 0, w, h), layers.weightedFill(), layers.weights()));
    }

    /**
     * A protected crop with the head of its original concealed beneath the protection: {@code protectedCrop}'s
     * change to {@code original} added to the concealed original, so that a crop gets what a photo's face gets.
     */
    public static RgbImage underProtection(RgbImage original, RgbImage protectedCrop) {
        float[] concealed = concealCrop(original).chw();
        float[] before = original.chw();
        float[] after = protectedCrop.chw();
        float[] change = new float[before.length];
        for (int k = 0; k < change.length; k++) {
            change[k] = concealed[k] - before[k] + after[k] - before[k];
        }
        return original.plusClamped(change);
    }

    /** {@link #underProtection(RgbImage, RgbImage)} for each original and its protected crop. */
    public static List<RgbImage> underProtection(List<RgbImage> originals, List<RgbImage> protectedCrops) {
        if (originals.size() != protectedCrops.size()) {
            throw new IllegalArgumentException(originals.size() + " originals for " + protectedCrops.size()
                    + " protected crops");
        }
        return IntStream.range(0, originals.size())
                .mapToObj(i -> underProtection(originals.get(i), protectedCrops.get(i))).toList();
    }

    /**
     * The change that conceals a face's head in a photo region (three planes of the region's size, to add to its
     * pixels): the region aligned into the concealment crop by the face's landmarks (given in the region's
     * coordinates), concealed and weighted there, and mapped back. Pixels the head area does not reach get zero.
     *
     * @param alignment the face's alignment in any framing (it is reframed to {@link #framing()})
     */
    public static float[] regionChange(FaceAlignment alignment, RgbImage region) {
        FaceAlignment head = alignment.reframed(framing());
        int s = head.cropSize();
        RgbImage crop = head.warp(region);
        double zoom = s / (1 + 2 * PADDING);
        Layers layers = Layers.of(AREA.paddedWeights(s, PADDING), obscure(crop.chw(), s, s, zoom, PADDING));
        int w = region.width();
        int h = region.height();
        return change(region, head.footprint(w, h), head.toPhoto(layers.weightedFill(), 3, w, h),
                head.toPhoto(layers.weights(), 1, w, h));
    }

    /**
     * The change that conceals the head of a face without landmarks, whose region is its detection widened to a
     * square: the head area is placed on that square as on a crop, computed at the working size and resized back.
     */
    public static float[] unalignedRegionChange(RgbImage region) {
        int h = region.height();
        int w = region.width();
        int s = WORKING_SIZE;
        RgbImage small = ImageOps.resize(region, s, s);
        Layers layers = Layers.of(AREA.weights(s, s), obscure(small.chw(), s, s, s, 0));
        return change(region, new FaceBox(0, 0, w, h),
                ImageOps.resizePlanes(layers.weightedFill(), 3, s, s, h, w, ImageOps.Filter.BILINEAR),
                ImageOps.resizePlanes(layers.weights(), 1, s, s, h, w, ImageOps.Filter.BILINEAR));
    }

    /**
     * A concealment crop's concealed pixels times their weights (premultiplied, three planes) and the weights (one
     * plane). They travel back to the photo separately, so that where the area fades out a pixel gets the weight's
     * share of the concealed value and keeps the rest of its own.
     */
    private record Layers(float[] weightedFill, float[] weights) {

        static Layers of(float[] weights, float[] concealed) {
            int plane = weights.length;
            float[] weightedFill = new float[3 * plane];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < plane; i++) {
                    weightedFill[c * plane + i] = weights[i] * concealed[c * plane + i];
                }
            }
            return new Layers(weightedFill, weights);
        }
    }

    /**
     * Over the region: weight x concealed - weight x pixel inside {@code box} (region coordinates; three planes of
     * weighted fill, one of weights, the box's size), zero elsewhere.
     */
    private static float[] change(RgbImage region, FaceBox box, float[] weightedFill, float[] weights) {
        int h = region.height();
        int w = region.width();
        float[] src = region.chw();
        float[] out = new float[3 * h * w];
        int bw = box.width();
        int bh = box.height();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < bh; y++) {
                for (int x = 0; x < bw; x++) {
                    int b = y * bw + x;
                    int r = (c * h + box.y() + y) * w + box.x() + x;
                    out[r] = weightedFill[c * bh * bw + b] - weights[b] * src[r];
                }
            }
        }
        return out;
    }

    /**
     * Three planes reduced to the means of template-aligned cells of {@link #CELL}, then smoothed by a Gaussian of half
     * a cell. Pixel {@code (i, j)} lies at template point {@code ((j + 0.5) / zoom - padding, (i + 0.5) / zoom -
     * padding)}, so the cells fall on the same parts of every face in every crop of it.
     */
    static float[] obscure(float[] chw, int h, int w, double zoom, double padding) {
        int first = (int) Math.floor(-padding / CELL); // the cell index of the crop's first pixel
        int[] col = new int[w];
        int[] row = new int[h];
        for (int j = 0; j < w; j++) {
            col[j] = (int) Math.floor(((j + 0.5) / zoom - padding) / CELL) - first;
        }
        for (int i = 0; i < h; i++) {
            row[i] = (int) Math.floor(((i + 0.5) / zoom - padding) / CELL) - first;
        }
        int cols = col[w - 1] + 1;
        int rows = row[h - 1] + 1;
        float[] out = new float[chw.length];
        for (int c = 0; c < 3; c++) {
            double[] sum = new double[rows * cols];
            int[] count = new int[rows * cols];
            int base = c * h * w;
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    sum[row[i] * cols + col[j]] += chw[base + i * w + j];
                    count[row[i] * cols + col[j]]++;
                }
            }
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int k = row[i] * cols + col[j];
                    out[base + i * w + j] = (float) (sum[k] / count[k]);
                }
            }
        }
        double sigma = CELL * zoom / 2;
        return Blur.planes(out, 3, h, w, Blur.gaussian(sigma, Math.max(1, (int) Math.ceil(3 * sigma))),
                Blur.Border.REPEAT);
    }
}
