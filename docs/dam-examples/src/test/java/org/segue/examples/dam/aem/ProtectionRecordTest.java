package org.segue.examples.dam.aem;

import org.junit.jupiter.api.Test;
import org.segue.examples.dam.Samples;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtectionRecordTest {

    private static final String A = "aa".repeat(32);
    private static final String B = "bb".repeat(32);

    @Test
    void anAssetIsAPhotoByItsOriginalsContentWhateverTypeWasDeclared() throws IOException {
        for (byte[] photo : List.of(Samples.jpeg(), Samples.png(), Samples.tiff(ByteOrder.LITTLE_ENDIAN),
                Samples.tiff(ByteOrder.BIG_ENDIAN), Samples.bmp())) {
            for (String declared : new String[] {"application/octet-stream", "application/pdf", null}) {
                assertTrue(ProtectionRecord.isPhoto(new FakeDam(photo, declared).asset()), String.valueOf(declared));
            }
        }
        assertFalse(ProtectionRecord.isPhoto(new FakeDam(Samples.pdf(), "application/pdf").asset()));
        assertFalse(ProtectionRecord.isPhoto(new FakeDam(Samples.gif(), "image/gif").asset()));
        assertTrue(ProtectionRecord.isPhoto(new FakeDam(Samples.pdf(), "image/jpeg").asset()),
                "declared as a photo: the protector refuses what it cannot read");
        assertTrue(ProtectionRecord.isPhoto(new FakeDam(null, "image/png").asset()), "no original, declared a photo");
        assertFalse(ProtectionRecord.isPhoto(new FakeDam(null, "application/pdf").asset()));
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
