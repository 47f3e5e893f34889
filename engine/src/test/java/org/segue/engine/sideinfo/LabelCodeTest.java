package org.segue.engine.sideinfo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LabelCodeTest {

    @Test
    void writesMostSignificantBitFirst() {
        float[] five = LabelCode.encode(5, 16);
        float[] expected = new float[16];
        expected[13] = 1;
        expected[15] = 1;
        assertArrayEquals(expected, five);
    }

    @Test
    void roundTripsEveryLabelOfA16BitCode() {
        for (int label = 0; label < 65536; label += 97) {
            assertEquals(label, LabelCode.decode(LabelCode.encode(label, 16)));
        }
        assertEquals(65535, LabelCode.decode(LabelCode.encode(65535, 16)));
    }

    @Test
    void refusesLabelsThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> LabelCode.encode(65536, 16));
        assertThrows(IllegalArgumentException.class, () -> LabelCode.encode(-1, 16));
        assertThrows(IllegalArgumentException.class, () -> LabelCode.encode(1, 0));
        assertEquals(65536, LabelCode.capacity(16));
    }
}
