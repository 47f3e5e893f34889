package org.segue.lab.eval;

import org.junit.jupiter.api.Test;
import org.segue.engine.generator.FaceMask;
import org.segue.engine.internal.RgbImage;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttackerRunTest {

    @Test
    void theFaceOnlyViewKeepsTheOvalAndGreysTheRest() {
        int size = 64;
        int plane = size * size;
        float[] chw = new float[3 * plane];
        Random random = new Random(3);
        for (int i = 0; i < chw.length; i++) {
            chw[i] = random.nextFloat();
        }
        RgbImage seen = AttackerRun.faceOnly(new RgbImage(chw, size, size));
        float[] weights = FaceMask.FACE.weights(size, size);
        int kept = 0;
        int greyed = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float v = seen.chw()[c * plane + i];
                if (weights[i] == 1) {
                    assertEquals(chw[c * plane + i], v, 0f, "inside the oval the image is as it was");
                    kept++;
                } else if (weights[i] == 0) {
                    assertEquals(0.5f, v, 0f, "outside it mid-grey");
                    greyed++;
                } else {
                    assertEquals(0.5f + weights[i] * (chw[c * plane + i] - 0.5f), v, 1e-6f, "the feathered edge blends");
                }
            }
        }
        // over three planes: the full-weight part of the oval is about a quarter of the crop, the zero part half
        assertTrue(kept > plane / 2 && greyed > plane, kept + " kept, " + greyed + " greyed");
    }
}
