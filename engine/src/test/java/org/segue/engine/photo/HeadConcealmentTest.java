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
}
