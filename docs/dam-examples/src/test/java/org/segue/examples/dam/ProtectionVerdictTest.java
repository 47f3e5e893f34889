package org.segue.examples.dam;

import org.junit.jupiter.api.Test;
import org.segue.plugin.osgi.api.ProtectionOutcome;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtectionVerdictTest {

    @Test
    void facesFoundIsTheOnlyPublishableVerdict() {
        ProtectionVerdict v = ProtectionVerdict.of(ScriptedProtector.FACES);
        assertEquals(ProtectionVerdict.PROTECTED, v);
        assertTrue(v.publishable());
        assertTrue(v.replacesOriginal());
        assertEquals("protected", v.mark());
    }

    @Test
    void aCleanedCopyWithoutFacesReplacesTheOriginalButIsNeverPublishable() {
        ProtectionVerdict v = ProtectionVerdict.of(ScriptedProtector.NO_FACE_COPY);
        assertEquals(ProtectionVerdict.NO_FACE_CLEANED_COPY, v);
        assertFalse(v.publishable());
        assertTrue(v.replacesOriginal());
        assertEquals("no-face", v.mark());
    }

    @Test
    void nothingWrittenKeepsTheOriginalAndIsNeverPublishable() {
        ProtectionVerdict v = ProtectionVerdict.of(ScriptedProtector.NO_FACE_SKIP);
        assertEquals(ProtectionVerdict.NO_FACE_NOTHING_WRITTEN, v);
        assertFalse(v.publishable());
        assertFalse(v.replacesOriginal());
        assertEquals("no-face", v.mark());
    }

    @Test
    void outcomesThatBreakTheContractAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProtectionVerdict.of(new ProtectionOutcome(true, false,
                List.of(new ProtectionOutcome.Region(0, 0, 5, 5)), List.of(), 8, "PNG", "default")));
        assertThrows(IllegalArgumentException.class, () -> ProtectionVerdict.of(new ProtectionOutcome(true, true,
                List.of(), List.of(), 8, "PNG", "default")));
    }
}
