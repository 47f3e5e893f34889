package org.segue.engine.generator;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.segue.engine.face.CropFraming;
import org.segue.engine.internal.DjlRuntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaceMaskTest {

    @Test
    void theWholeFaceBetweenBrowsAndChinIsCoveredAndNothingBeyondIt() {
        double[] points = CropFraming.unitTemplate();
        for (int i = 0; i < points.length; i += 2) {
            assertEquals(1, FaceMask.FACE.weight(points[i], points[i + 1]), "template point " + i / 2);
        }
        assertEquals(1, FaceMask.FACE.weight(0.5, 0.36), "between the brows");
        assertEquals(1, FaceMask.FACE.weight(0.5, 0.85), "above the chin");
        assertEquals(0, FaceMask.FACE.weight(0.5, 0.15), "the hair above the forehead");
        assertEquals(0, FaceMask.FACE.weight(0.5, 1.0), "below the chin");
        assertEquals(0, FaceMask.FACE.weight(0.05, 0.45), "beside the cheek, level with the eyes");
        assertEquals(0, FaceMask.FACE.weight(0.15, 0.85), "beside the jaw, level with the mouth");
        for (double[] corner : new double[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}}) {
            assertEquals(0, FaceMask.FACE.weight(corner[0], corner[1]));
        }
    }

    @Test
    void theHeadCoversTheFaceHairAndEarsButNotTheCornersOrTheNeck() {
        for (int i = 0; i <= 50; i++) {
            for (int j = 0; j <= 50; j++) {
                double u = j / 50.0;
                double v = i / 50.0;
                assertTrue(FaceMask.HEAD.weight(u, v) >= FaceMask.FACE.weight(u, v), "less than the face at " + u + "," + v);
            }
        }
        assertEquals(1, FaceMask.HEAD.weight(0.5, 0.15), "the hair above the forehead");
        assertTrue(FaceMask.HEAD.weight(0.5, 0.0) > 0.85, "the top of the crop above the middle");
        assertTrue(FaceMask.HEAD.weight(0.05, 0.45) > 0.9, "beside the cheek, level with the eyes (the ears)");
        assertEquals(0, FaceMask.HEAD.weight(0.5, 1.0), "below the chin");
        assertEquals(0, FaceMask.HEAD.weight(0.1, 0.95), "the shoulder beside the jaw");
        for (double[] corner : new double[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}}) {
            assertEquals(0, FaceMask.HEAD.weight(corner[0], corner[1]));
        }
    }

    @Test
    void aModelFileNamesItsAreaAndOneThatNamesNoneGetsTheFace() {
        for (FaceMask m : FaceMask.values()) {
            assertEquals(m, FaceMask.fromRecipe(m.recipeName()));
        }
        assertEquals(FaceMask.FACE, FaceMask.fromRecipe(null), "trained before areas were recorded");
        assertEquals(FaceMask.FACE, FaceMask.fromRecipe("none"), "trained before the face oval existed");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaceMask.fromRecipe("shoulders 2"));
        assertTrue(e.getMessage().contains("'shoulders 2'") && e.getMessage().contains("does not know"), e.getMessage());
    }

    @Test
    void aPaddedCropHoldsTheWholeHeadAreaWithinItsBorder() {
        int size = 130;
        assertArrayEquals(FaceMask.HEAD.weights(size, size), FaceMask.HEAD.paddedWeights(size, 0));
        float[] bare = FaceMask.HEAD.weights(size, size);
        float[] padded = FaceMask.HEAD.paddedWeights(size, 0.15);
        double bareBorder = 0;
        double paddedBorder = 0;
        for (int k = 0; k < size; k++) {
            int[] border = {k, (size - 1) * size + k, k * size, k * size + size - 1};
            for (int i : border) {
                bareBorder += bare[i];
                paddedBorder += padded[i];
            }
        }
        assertTrue(bareBorder > 10, "the head area reaches beyond the template's crop: " + bareBorder);
        assertEquals(0, paddedBorder, "the padded crop's border lies outside the head area");
        // the template's centre sits at the padded crop's centre, fully inside the area
        assertEquals(1f, padded[(size / 2) * size + size / 2]);
    }

    @Test
    void itIsSymmetricAndFeatheredWithoutASharpStep() {
        int size = 112;
        float[] w = FaceMask.FACE.weights(size, size);
        double largestStep = 0;
        int partial = 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                float v = w[i * size + j];
                assertTrue(v >= 0 && v <= 1);
                if (v > 0 && v < 1) {
                    partial++;
                }
                if (j + 1 < size) {
                    largestStep = Math.max(largestStep, Math.abs(v - w[i * size + j + 1]));
                }
                if (i + 1 < size) {
                    largestStep = Math.max(largestStep, Math.abs(v - w[(i + 1) * size + j]));
                }
                // mirror about the template's vertical axis: column j at u = j / size meets u' = 1 - j / size
                assertEquals(FaceMask.FACE.weight(1 - (double) j / size, (double) i / size), v, 1e-6);
            }
        }
        assertTrue(largestStep < 0.25, "largest step between neighbours " + largestStep);
        assertTrue(partial > 500, partial + " pixels in the feathered band");
    }

    @Test
    void aGreyPerturbationIsTheChannelsMeanOnAllThree() {
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            int h = 32;
            int w = 32;
            NDArray raw = nd.randomUniform(-0.1f, 0.1f, new Shape(2, 3, h, w));
            float eps = Perturbation.DEFAULT_EPSILON;
            float[] grey = Perturbation.delta(raw, eps, true, FaceMask.FACE).toFloatArray();
            float[] r = raw.toFloatArray();
            float[] weights = FaceMask.FACE.weights(h, w);
            int plane = h * w;
            for (int n = 0; n < 2; n++) {
                for (int i = 0; i < plane; i++) {
                    int base = n * 3 * plane + i;
                    float mean = (r[base] + r[base + plane] + r[base + 2 * plane]) / 3;
                    float expected = Math.max(-eps, Math.min(eps, mean)) * weights[i];
                    for (int c = 0; c < 3; c++) {
                        assertEquals(expected, grey[base + c * plane], 1e-6f);
                    }
                }
            }
        }
    }

    @Test
    void theProductsPerturbationIsZeroOutsideTheMaskAndBoundedInside() {
        try (NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            int h = 40;
            int w = 32;
            NDArray raw = nd.randomUniform(-1, 1, new Shape(2, 3, h, w));
            float eps = Perturbation.DEFAULT_EPSILON;
            float[] delta = Perturbation.delta(raw, eps, false, FaceMask.FACE).toFloatArray();
            float[] bounded = Perturbation.bounded(raw, eps).toFloatArray();
            float[] weights = FaceMask.FACE.weights(h, w);
            for (int i = 0; i < delta.length; i++) {
                float weight = weights[i % (h * w)];
                assertEquals(bounded[i] * weight, delta[i], 1e-7f);
                assertTrue(Math.abs(delta[i]) <= eps);
                if (weight == 0) {
                    assertEquals(0f, delta[i], 0f);
                }
            }
        }
    }
}
