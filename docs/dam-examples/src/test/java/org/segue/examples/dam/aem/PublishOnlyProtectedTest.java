package org.segue.examples.dam.aem;

import com.day.cq.replication.ReplicationAction;
import com.day.cq.replication.ReplicationActionType;
import com.day.cq.replication.ReplicationException;
import com.day.cq.replication.ReplicationOptions;
import org.junit.jupiter.api.Test;
import org.segue.examples.dam.Samples;
import org.segue.examples.dam.ScriptedProtector;

import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The publication gate on one asset of a {@link FakeDam}. */
class PublishOnlyProtectedTest {

    private static void publish(FakeDam dam) throws ReplicationException {
        new PublishOnlyProtected(dam.resolverFactory()).preprocess(
                new ReplicationAction(ReplicationActionType.ACTIVATE, FakeDam.ASSET), new ReplicationOptions());
    }

    @Test
    void aPhotoWithoutARecordIsRefusedWhateverTypeWasDeclared() {
        for (byte[] photo : List.of(Samples.jpeg(), Samples.png(), Samples.tiff(ByteOrder.LITTLE_ENDIAN),
                Samples.tiff(ByteOrder.BIG_ENDIAN), Samples.bmp())) {
            for (String declared : new String[] {"application/octet-stream", "application/pdf", "image/jpeg"}) {
                FakeDam dam = new FakeDam(photo, declared);
                ReplicationException e = assertThrows(ReplicationException.class, () -> publish(dam), declared);
                assertEquals("not published: " + FakeDam.ASSET + ": its faces have not been protected yet",
                        e.getMessage());
            }
        }
    }

    @Test
    void aPhotoProtectedByTheStepIsPublished() throws Exception {
        FakeDam dam = new FakeDam(Samples.jpeg(), "application/octet-stream");
        new ProtectOriginalStep(ScriptedProtector.returning(ScriptedProtector.FACES))
                .execute(dam.workItem(), dam.session(), null);
        assertDoesNotThrow(() -> publish(dam));
    }

    @Test
    void aPhotoWithoutAFoundFaceIsRefused() throws Exception {
        FakeDam dam = new FakeDam(Samples.png(), "application/octet-stream");
        new ProtectOriginalStep(ScriptedProtector.returning(ScriptedProtector.NO_FACE_SKIP))
                .execute(dam.workItem(), dam.session(), null);
        ReplicationException e = assertThrows(ReplicationException.class, () -> publish(dam));
        assertEquals("not published: " + FakeDam.ASSET + ": no face was found in it (no-face): review it; it is not"
                + " protected", e.getMessage());
    }

    @Test
    void aNewOriginalUploadedOverAProtectedAssetIsRefused() throws Exception {
        FakeDam dam = new FakeDam(Samples.jpeg(), "application/octet-stream");
        new ProtectOriginalStep(ScriptedProtector.returning(ScriptedProtector.FACES))
                .execute(dam.workItem(), dam.session(), null);
        dam.original = Samples.bmp();
        ReplicationException e = assertThrows(ReplicationException.class, () -> publish(dam));
        assertEquals("not published: " + FakeDam.ASSET + ": its original changed after it was protected",
                e.getMessage());
    }

    @Test
    void otherContentIsPublishedWithoutARecord() {
        for (byte[] other : List.of(Samples.pdf(), Samples.gif(), Samples.csvStartingLikeABmp())) {
            assertDoesNotThrow(() -> publish(new FakeDam(other, "application/octet-stream")));
        }
    }
}
