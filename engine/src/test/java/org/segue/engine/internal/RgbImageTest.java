package org.segue.engine.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RgbImageTest {

    @Test
    void aPerturbationIsAddedAndTheImageStaysInRangeAndTheOriginalUntouched() {
        float[] pixels = {0.0f, 0.5f, 1.0f, 0.25f, 0.98f, 0.02f};
        RgbImage image = new RgbImage(pixels.clone(), 1, 2);
        RgbImage out = image.plusClamped(new float[] {-0.1f, 0.1f, 0.1f, -0.05f, 0.05f, -0.05f});
        assertArrayEquals(new float[] {0f, 0.6f, 1f, 0.2f, 1f, 0f}, out.chw(), 1e-6f);
        assertArrayEquals(pixels, image.chw(), 0f, "the original is left as it is");
        assertThrows(IllegalArgumentException.class, () -> image.plusClamped(new float[5]));
    }
}
