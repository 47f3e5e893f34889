package org.segue.examples.dam.aem;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtectionRecordTest {

    private static final String A = "aa".repeat(32);
    private static final String B = "bb".repeat(32);

    @Test
    void photosAreTheFormatsSegueReads() {
        for (String t : new String[] {"image/jpeg", "IMAGE/PNG", "image/tiff ", "image/bmp", "image/x-ms-bmp"}) {
            assertTrue(ProtectionRecord.isPhoto(t), t);
        }
        for (String t : new String[] {"application/pdf", "image/gif", "video/mp4", "", null}) {
            assertFalse(ProtectionRecord.isPhoto(t), String.valueOf(t));
        }
    }

    @Test
    void aRecordForThisOriginalMeansTheStepIsDone() {
        assertTrue(ProtectionRecord.handled("protected", A, A));
        assertTrue(ProtectionRecord.handled("no-face", A.toUpperCase(), A));
        assertFalse(ProtectionRecord.handled("protected", A, B), "a new original is protected again");
        assertFalse(ProtectionRecord.handled(null, A, A));
        assertFalse(ProtectionRecord.handled("protected", null, A));
    }

    @Test
    void onlyTheProtectedCurrentOriginalMayBePublished() {
        assertEquals(Optional.empty(), ProtectionRecord.publicationRefusal("protected", A, A));
        assertTrue(ProtectionRecord.publicationRefusal("no-face", A, A).orElseThrow().contains("no face was found"));
        assertTrue(ProtectionRecord.publicationRefusal("protected", A, B).orElseThrow().contains("original changed"));
        assertTrue(ProtectionRecord.publicationRefusal(null, null, A).orElseThrow().contains("not been protected"));
    }
}
