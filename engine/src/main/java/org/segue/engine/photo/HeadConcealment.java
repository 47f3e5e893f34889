package org.segue.engine.photo;

import org.segue.engine.face.CropFraming;
import org.segue.engine.face.FaceAlignment;
import org.segue.engine.generator.FaceMask;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;

/**
 * Conceals a head from pretrained face recognition: the face, hair and ears ({@link FaceMask#HEAD}) are blurred,
 * fading into the untouched photo at the area's feathered edge. This is the protection for people whose photos are
 * enrolled by a pretrained embedder rather than learnt from: no perturbation within the product's budget, and no
 * change confined to the face oval, keeps such recognisers from matching a face here (docs/evaluation.md), while
 * this blur does. It is plainly seen, by design; the perturbation that defends against training on the photos is
 * added on top of it as usual.
 *
 * <p>The blur is defined on the canonical face template, so it removes the same detail from every face whatever its
 * size in the photo: its spread is {@link #SPREAD} of the template's width (the ArcFace crop's). In a photo it is
 * computed on an aligned crop of the head at {@link #WORKING_SIZE} pixels and mapped back onto the photo's grid,
 * blurred pixels and weights alike, so its cost does not grow with the face.
 */
public final class HeadConcealment {

    /**
     * The blur's standard deviation as a fraction of the template's width (a 224-pixel crop's 10 pixels): the
     * smallest of the spreads measured that keeps two held-out recognisers from identifying clean photos against a
     * concealed gallery (docs/evaluation.md).
     */
    public static final double SPREAD = 10.0 / 224;

    /** The template's width, in pixels of the crop the blur is computed on in a photo. */
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
        float[] weights = AREA.weights(h, w);
        float[] blurred = gaussianBlur(crop.chw(), h, w, SPREAD * w);
        float[] src = crop.chw();
        float[] out = new float[src.length];
        int plane = h * w;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                int k = c * plane + i;
                out[k] = src[k] + weights[i] * (blurred[k] - src[k]);
            }
        }
        return new RgbImage(out, h, w);
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

    /**
     * The change that conceals a face's head in a photo region (three planes of the region's size, to add to its
     * pixels): the region aligned into the concealment crop by the face's landmarks (given in the region's
     * coordinates), blurred and weighted there, and mapped back. Pixels the head area does not reach get zero.
     *
     * @param alignment the face's alignment in any framing (it is reframed to {@link #framing()})
     */
    public static float[] regionChange(FaceAlignment alignment, RgbImage region) {
        FaceAlignment head = alignment.reframed(framing());
        int s = head.cropSize();
        RgbImage crop = head.warp(region);
        float[] weights = new float[s * s];
        double zoom = s / (1 + 2 * PADDING);
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                weights[i * s + j] = (float) AREA.weight(j / zoom - PADDING, i / zoom - PADDING);
            }
        }
        float[] blurred = gaussianBlur(crop.chw(), s, s, SPREAD * zoom);
        // weighted (premultiplied) blur and weights travel back separately: where the area fades out, the photo
        // gets the weight's share of blur and keeps the rest of its own pixel
        float[] weightedBlur = new float[3 * s * s];
        float[] weight3 = new float[3 * s * s];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < s * s; i++) {
                weightedBlur[c * s * s + i] = weights[i] * blurred[c * s * s + i];
                weight3[c * s * s + i] = weights[i];
            }
        }
        FaceAlignment.PhotoDelta blurBack = head.toPhoto(weightedBlur, region.width(), region.height());
        FaceAlignment.PhotoDelta weightBack = head.toPhoto(weight3, region.width(), region.height());
        return change(region, blurBack.box(), blurBack.chw(), weightBack.chw());
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
        float[] weights = AREA.weights(s, s);
        float[] blurred = gaussianBlur(small.chw(), s, s, SPREAD * s);
        float[] weightedBlur = new float[3 * s * s];
        float[] weight3 = new float[3 * s * s];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < s * s; i++) {
                weightedBlur[c * s * s + i] = weights[i] * blurred[c * s * s + i];
                weight3[c * s * s + i] = weights[i];
            }
        }
        return change(region, new org.segue.engine.spi.FaceBox(0, 0, w, h),
                ImageOps.resizePlanes(weightedBlur, 3, s, s, h, w, ImageOps.Filter.BILINEAR),
                ImageOps.resizePlanes(weight3, 3, s, s, h, w, ImageOps.Filter.BILINEAR));
    }

    /** Over the region: weight x blur - weight x pixel inside {@code box} (region coordinates), zero elsewhere. */
    private static float[] change(RgbImage region, org.segue.engine.spi.FaceBox box, float[] weightedBlur,
                                  float[] weights) {
        int h = region.height();
        int w = region.width();
        float[] src = region.chw();
        float[] out = new float[3 * h * w];
        int bw = box.width();
        int bh = box.height();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < bh; y++) {
                for (int x = 0; x < bw; x++) {
                    int b = (c * bh + y) * bw + x;
                    int r = (c * h + box.y() + y) * w + box.x() + x;
                    out[r] = weightedBlur[b] - weights[b] * src[r];
                }
            }
        }
        return out;
    }

    /** A separable Gaussian blur of three planes, the edge pixels repeated outwards. */
    static float[] gaussianBlur(float[] chw, int h, int w, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            sum += kernel[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= (float) sum;
        }
        float[] rows = new float[chw.length];
        float[] out = new float[chw.length];
        for (int c = 0; c < 3; c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float a = 0;
                    for (int i = -radius; i <= radius; i++) {
                        a += kernel[i + radius] * chw[base + y * w + Math.min(w - 1, Math.max(0, x + i))];
                    }
                    rows[base + y * w + x] = a;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float a = 0;
                    for (int i = -radius; i <= radius; i++) {
                        a += kernel[i + radius] * rows[base + Math.min(h - 1, Math.max(0, y + i)) * w + x];
                    }
                    out[base + y * w + x] = a;
                }
            }
        }
        return out;
    }
}
