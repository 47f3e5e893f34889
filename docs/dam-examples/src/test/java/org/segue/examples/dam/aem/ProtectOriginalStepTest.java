package org.segue.examples.dam.aem;

import com.adobe.granite.workflow.WorkflowException;
import org.junit.jupiter.api.Test;
import org.segue.examples.dam.ProtectedCopy;
import org.segue.examples.dam.Samples;
import org.segue.examples.dam.ScriptedProtector;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workflow step on one asset of a {@link FakeDam}, with a scripted protector. */
class ProtectOriginalStepTest {

    private static String sha256(byte[] content) throws IOException {
        return ProtectedCopy.sha256(new ByteArrayInputStream(content));
    }

    @Test
    void aPhotoIsProtectedByItsContentWhateverTypeWasDeclared() throws Exception {
        for (byte[] photo : List.of(Samples.jpeg(), Samples.png(), Samples.tiff(ByteOrder.LITTLE_ENDIAN),
                Samples.tiff(ByteOrder.BIG_ENDIAN), Samples.bmp())) {
            for (String declared : new String[] {"application/octet-stream", "application/pdf"}) {
                FakeDam dam = new FakeDam(photo, declared);
                ScriptedProtector protector = ScriptedProtector.returning(ScriptedProtector.FACES);
                new ProtectOriginalStep(protector).execute(dam.workItem(), dam.session(), null);
                byte[] expected = ScriptedProtector.transformed(photo);
                assertArrayEquals(photo, protector.lastInput, declared);
                assertArrayEquals(expected, dam.original, declared + ": the original is the protected photo");
                assertEquals("protected", dam.metadata.get(ProtectionRecord.STATUS, String.class));
                assertEquals(sha256(expected), dam.metadata.get(ProtectionRecord.ORIGINAL_SHA256, String.class));
                assertEquals(1L, dam.metadata.get(ProtectionRecord.FACES, Long.class));
                assertEquals(1, dam.commits, "the replacement and its record are saved together");
            }
        }
    }

    @Test
    void aPhotoDeclaredAsOctetStreamFailsTheStepWithoutTheProtector() {
        FakeDam dam = new FakeDam(Samples.jpeg(), "application/octet-stream");
        WorkflowException e = assertThrows(WorkflowException.class,
                () -> new ProtectOriginalStep(null).execute(dam.workItem(), dam.session(), null));
        assertTrue(e.getMessage().contains("FaceProtector service is not available"), e.getMessage());
        assertEquals(0, dam.commits);
    }

    @Test
    void aSecondRunOnTheProtectedOriginalDoesNothing() throws Exception {
        FakeDam dam = new FakeDam(Samples.jpeg(), "application/octet-stream");
        new ProtectOriginalStep(ScriptedProtector.returning(ScriptedProtector.FACES))
                .execute(dam.workItem(), dam.session(), null);
        byte[] protectedOriginal = dam.original;
        ScriptedProtector again = ScriptedProtector.returning(ScriptedProtector.FACES);
        new ProtectOriginalStep(again).execute(dam.workItem(), dam.session(), null);
        assertEquals(0, again.calls);
        assertArrayEquals(protectedOriginal, dam.original);
    }

    @Test
    void otherContentIsLeftAsItIs() throws Exception {
        for (byte[] other : List.of(Samples.pdf(), Samples.gif(), Samples.csvStartingLikeABmp())) {
            FakeDam dam = new FakeDam(other, "application/octet-stream");
            ScriptedProtector protector = ScriptedProtector.returning(ScriptedProtector.FACES);
            new ProtectOriginalStep(protector).execute(dam.workItem(), dam.session(), null);
            assertEquals(0, protector.calls);
            assertArrayEquals(other, dam.original);
            assertNull(dam.metadata.get(ProtectionRecord.STATUS));
            assertEquals(0, dam.commits);
        }
    }
}
