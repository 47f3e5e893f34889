package org.segue.engine.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrengthPresetTest {

    @Test
    void namesAndNumbersBothGiveLevels() {
        assertEquals(StrengthPreset.LOW.levels(), StrengthPreset.parse("low"));
        assertEquals(StrengthPreset.MEDIUM.levels(), StrengthPreset.parse(" Medium "));
        assertEquals(ProtectionOptions.MAX_LEVELS, StrengthPreset.parse("HIGH"));
        assertEquals(3, StrengthPreset.parse("3"));
        assertEquals("high, 8 of 255", StrengthPreset.describe(8));
        assertEquals("5 of 255", StrengthPreset.describe(5));
    }

    @Test
    void anythingElseIsRefusedWithTheChoices() {
        for (String bad : new String[] {"", "strong", "0", "9", "-1", "2.5", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrengthPreset.parse(bad));
            assertTrue(e.getMessage().contains("low, medium, high or 1..8"), e.getMessage());
        }
    }

    @Test
    void presetsRiseWithinTheBudgetAndTheDefaultIsOne() {
        int previous = 0;
        for (StrengthPreset p : StrengthPreset.values()) {
            assertTrue(p.levels() > previous && p.levels() <= ProtectionOptions.MAX_LEVELS, p.label());
            previous = p.levels();
        }
        assertEquals(StrengthPreset.DEFAULT_NAME, StrengthPreset.DEFAULT.label());
        assertEquals(StrengthPreset.DEFAULT.levels(), ProtectionOptions.defaults().strengthLevels());
    }
}
