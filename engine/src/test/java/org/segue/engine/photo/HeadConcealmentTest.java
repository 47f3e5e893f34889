package org.segue.engine.photo;

import org.junit.jupiter.api.Test;
import org.segue.engine.generator.FaceMask;
import org.segue.engine.internal.RgbImage;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Concealing a dataset's face crop: blurred where the head area is, untouched where it is not. */
class HeadConcealmentTest {

    private static RgbImage noise(int size, long seed) {
        Random r = new Random(seed);
        float[] chw = new float[3 * size * size];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = r.nextFloat();
        }
        return new RgbImage(chw, size, size);
    }

    @Test
    void aCropsHeadIsBlurredAndItsLowerCornersKept() {
        int size = 112;
        RgbImage crop = noise(size, 1);
        RgbImage concealed = HeadConcealment.concealCrop(crop);
        float[] w = FaceMask.HEAD.weights(size, size);
        double spreadInside = 0;
        int inside = 0;
        for (int i = 0; i < size * size; i++) {
            if (w[i] == 0) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(crop.chw()[c * size * size + i], concealed.chw()[c * size * size + i], "pixel " + i);
                }
            } else if (w[i] == 1) {
                spreadInside += Math.abs(concealed.chw()[i] - 0.5);
                inside++;
            }
        }
        // uniform noise strays 0.25 from its mean on average; blurred over a spread of 6 pixels, a few hundredths
        assertTrue(inside > 3000 && spreadInside / inside < 0.02, "mean distance from grey " + spreadInside / inside);
    }

    @Test
    void underProtectionAddsTheProtectionsChangeToTheConcealedFace() {
        RgbImage original = noise(64, 2);
        RgbImage change = noise(64, 3);
        float[] small = new float[change.chw().length];
        for (int i = 0; i < small.length; i++) {
            small[i] = (change.chw()[i] - 0.5f) * 0.06f;
        }
        RgbImage protectedCrop = original.plusClamped(small);
        float[] expected = HeadConcealment.concealCrop(original).chw();
        float[] got = HeadConcealment.underProtection(original, protectedCrop).chw();
        for (int i = 0; i < got.length; i++) {
            float want = Math.max(0, Math.min(1, expected[i] + protectedCrop.chw()[i] - original.chw()[i]));
            assertEquals(want, got[i], 1e-5, "sample " + i);
        }
    }

    @Test
    void aFaceWithoutLandmarksIsConcealedInItsSquareAtAnySize() {
        for (int size : new int[] {60, 300}) {
            RgbImage region = noise(size, 4);
            float[] change = HeadConcealment.unalignedRegionChange(region);
            int plane = size * size;
            // the lower corners lie outside the head area: unchanged
            for (int c = 0; c < 3; c++) {
                assertEquals(0f, change[c * plane + (size - 1) * size], 1e-6, "lower left corner, size " + size);
                assertEquals(0f, change[c * plane + size * size - 1], 1e-6, "lower right corner, size " + size);
            }
            // the centre is blurred to near the noise's mean whatever the region's size
            double spread = 0;
            int n = 0;
            for (int y = size * 2 / 5; y < size * 3 / 5; y++) {
                for (int x = size * 2 / 5; x < size * 3 / 5; x++) {
                    spread += Math.abs(region.chw()[y * size + x] + change[y * size + x] - 0.5);
                    n++;
                }
            }
            assertTrue(spread / n < 0.03, "mean distance from grey at the centre " + spread / n + ", size " + size);
        }
    }

    /**
     * What a concealed head keeps of the face is its cell means and nothing finer: two faces that differ only within
     * cells (here two pixels of every cell swapped) conceal to the same pixels wherever the head area is whole, so no
     * deblurring can tell them apart.
     */
    @Test
    void nothingFinerThanTheCellsSurvives() {
        int size = 224;
        RgbImage a = noise(size, 5);
        float[] swapped = a.chw().clone();
        int cell = (int) Math.round(HeadConcealment.CELL * size);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y + cell <= size; y += cell) {
                for (int x = 0; x + cell <= size; x += cell) {
                    int p = c * size * size + y * size + x;
                    int q = c * size * size + (y + cell / 2) * size + x + cell - 1;
                    float t = swapped[p];
                    swapped[p] = swapped[q];
                    swapped[q] = t;
                }
            }
        }
        RgbImage b = new RgbImage(swapped, size, size);
        float[] ca = HeadConcealment.concealCrop(a).chw();
        float[] cb = HeadConcealment.concealCrop(b).chw();
        float[] w = FaceMask.HEAD.weights(size, size);
        int compared = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < size * size; i++) {
                if (w[i] == 1) {
                    assertEquals(ca[c * size * size + i], cb[c * size * size + i], 1e-5, "sample " + i);
                    compared++;
                }
            }
        }
        assertTrue(compared > 30000, compared + " samples compared");
        // while the faces themselves differ there
        double apart = 0;
        for (int i = 0; i < swapped.length; i++) {
            apart += Math.abs(swapped[i] - a.chw()[i]);
        }
        assertTrue(apart > 100, "the two faces should differ, by " + apart);
    }
}
