package org.segue.examples.dam.liferay;

import com.liferay.document.library.kernel.model.DLFileEntry;
import com.liferay.document.library.kernel.model.DLVersionNumberIncrease;
import com.liferay.document.library.kernel.service.DLFileEntryLocalServiceWrapper;
import com.liferay.dynamic.data.mapping.kernel.DDMFormValues;
import com.liferay.portal.kernel.exception.PortalException;
import com.liferay.portal.kernel.service.ServiceContext;
import com.liferay.portal.kernel.workflow.WorkflowConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.examples.dam.Samples;
import org.segue.examples.dam.ScriptedProtector;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wrapper in front of the service Liferay's uploads go through. The service behind it is a recorder of what
 * reaches Liferay's store (content, size, workflow action, tags): the wrapper's own decisions are what is
 * checked, not Liferay.
 */
class ProtectOnUploadTest {

    /** What one call handed to the wrapped service. */
    private record Stored(File file, InputStream stream, byte[] content, long size, int workflowAction,
                          List<String> tags) {}

    /** Stands where Liferay's own service would: records what would be stored. */
    private static final class StoreRecorder extends DLFileEntryLocalServiceWrapper {
        Stored stored;

        StoreRecorder() {
            super(null);
        }

        private void record(File file, InputStream in, long size, ServiceContext sc) {
            try {
                byte[] content = file != null ? Files.readAllBytes(file.toPath()) : in == null ? null : in.readAllBytes();
                stored = new Stored(file, in, content, size, sc.getWorkflowAction(),
                        sc.getAssetTagNames() == null ? List.of() : List.of(sc.getAssetTagNames()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public DLFileEntry addFileEntry(String erc, long userId, long groupId, long repositoryId, long folderId,
                                        String sourceFileName, String mimeType, String title, String urlTitle,
                                        String description, String changeLog, long fileEntryTypeId,
                                        Map<String, DDMFormValues> ddm, File file, InputStream inputStream, long size,
                                        Date displayDate, Date expirationDate, Date reviewDate, ServiceContext sc) {
            record(file, inputStream, size, sc);
            return null;
        }

        @Override
        public DLFileEntry updateFileEntry(long userId, long fileEntryId, String sourceFileName, String mimeType,
                                           String title, String urlTitle, String description, String changeLog,
                                           DLVersionNumberIncrease increase, long fileEntryTypeId,
                                           Map<String, DDMFormValues> ddm, File file, InputStream inputStream,
                                           long size, Date displayDate, Date expirationDate, Date reviewDate,
                                           ServiceContext sc) {
            record(file, inputStream, size, sc);
            return null;
        }
    }

    @TempDir
    Path temp;

    private final StoreRecorder store = new StoreRecorder();

    private static byte[] photo() {
        return Samples.jpeg();
    }

    /** A stream that cannot mark, as an upload's stream may be: the wrapper has to give back what it peeked at. */
    private static InputStream unmarkable(byte[] content) {
        return new FilterInputStream(new ByteArrayInputStream(content)) {
            @Override
            public boolean markSupported() {
                return false;
            }

            @Override
            public synchronized void mark(int readLimit) {
                throw new AssertionError("mark on a stream that cannot mark");
            }

            @Override
            public synchronized void reset() throws IOException {
                throw new IOException("mark/reset not supported");
            }
        };
    }

    private static ServiceContext uploadContext(String... tags) {
        ServiceContext sc = new ServiceContext();
        sc.setWorkflowAction(WorkflowConstants.ACTION_PUBLISH);
        sc.setAssetTagNames(tags);
        return sc;
    }

    private void add(ProtectOnUpload wrapper, String mimeType, File file, InputStream in, long size, ServiceContext sc)
            throws PortalException {
        wrapper.addFileEntry("erc", 1, 2, 2, 0, "holiday.jpg", mimeType, "holiday.jpg", "holiday", "", "", -1,
                Map.of(), file, in, size, null, null, null, sc);
    }

    @Test
    void aProtectedPhotoIsWhatLiferayStoresAndPublishes() throws Exception {
        byte[] original = photo();
        ServiceContext sc = uploadContext("beach");
        add(new ProtectOnUpload(store, ScriptedProtector.returning(ScriptedProtector.FACES)), "image/jpeg", null,
                new ByteArrayInputStream(original), original.length, sc);
        byte[] expected = ScriptedProtector.transformed(original);
        assertArrayEquals(expected, store.stored.content());
        assertEquals(expected.length, store.stored.size());
        assertNull(store.stored.file());
        assertEquals(WorkflowConstants.ACTION_PUBLISH, store.stored.workflowAction());
        assertEquals(List.of("beach", ProtectOnUpload.TAG_PROTECTED), store.stored.tags());
    }

    @Test
    void anUploadedFileIsReadAndReplacedByAStream() throws Exception {
        byte[] original = photo();
        Path upload = Files.write(temp.resolve("upload.tmp"), original);
        add(new ProtectOnUpload(store, ScriptedProtector.returning(ScriptedProtector.FACES)), "image/png",
                upload.toFile(), null, original.length, uploadContext());
        assertNull(store.stored.file());
        assertArrayEquals(ScriptedProtector.transformed(original), store.stored.content());
        assertArrayEquals(original, Files.readAllBytes(upload), "the upload's own file is not changed");
    }

    @Test
    void aPhotoWithoutFacesIsStoredAsADraftForReviewNeverAsProtected() throws Exception {
        byte[] original = photo();
        add(new ProtectOnUpload(store, ScriptedProtector.returning(ScriptedProtector.NO_FACE_COPY)), "image/jpeg",
                null, new ByteArrayInputStream(original), original.length, uploadContext(ProtectOnUpload.TAG_PROTECTED));
        assertArrayEquals(ScriptedProtector.transformed(original), store.stored.content(), "the cleaned copy");
        assertEquals(WorkflowConstants.ACTION_SAVE_DRAFT, store.stored.workflowAction());
        assertEquals(List.of(ProtectOnUpload.TAG_NO_FACE), store.stored.tags(),
                "a protected tag set by the uploader does not survive");
    }

    @Test
    void underTheSkipPolicyTheUploadIsStoredUnchangedAsADraft() throws Exception {
        byte[] original = photo();
        add(new ProtectOnUpload(store, ScriptedProtector.returning(ScriptedProtector.NO_FACE_SKIP)), "image/jpeg",
                null, new ByteArrayInputStream(original), original.length, uploadContext());
        assertArrayEquals(original, store.stored.content());
        assertEquals(original.length, store.stored.size());
        assertEquals(WorkflowConstants.ACTION_SAVE_DRAFT, store.stored.workflowAction());
        assertEquals(List.of(ProtectOnUpload.TAG_NO_FACE), store.stored.tags());
    }

    @Test
    void aNewVersionWithoutFacesStaysADraft() throws Exception {
        byte[] original = photo();
        ServiceContext sc = uploadContext();
        new ProtectOnUpload(store, ScriptedProtector.returning(ScriptedProtector.NO_FACE_COPY)).updateFileEntry(1, 42,
                "holiday.jpg", "image/jpeg", "holiday.jpg", "holiday", "", "", DLVersionNumberIncrease.MINOR, -1,
                Map.of(), null, new ByteArrayInputStream(original), original.length, null, null, null, sc);
        assertEquals(WorkflowConstants.ACTION_SAVE_DRAFT, store.stored.workflowAction());
        assertArrayEquals(ScriptedProtector.transformed(original), store.stored.content());
    }

    @Test
    void aPhotoThatCannotBeProtectedIsRefusedAndNothingIsStored() {
        byte[] original = photo();
        PortalException e = assertThrows(PortalException.class, () -> add(new ProtectOnUpload(store,
                ScriptedProtector.failingAfter(1000)), "image/jpeg", null, new ByteArrayInputStream(original),
                original.length, uploadContext()));
        assertEquals("Segue could not protect holiday.jpg, so it was not stored: damaged JPEG (premature end of data)",
                e.getMessage());
        assertNull(store.stored);
    }

    @Test
    void withoutTheProtectorServicePhotosAreRefused() {
        byte[] original = photo();
        PortalException e = assertThrows(PortalException.class, () -> add(new ProtectOnUpload(store, null),
                "image/jpeg", null, new ByteArrayInputStream(original), original.length, uploadContext()));
        assertTrue(e.getMessage().contains("FaceProtector service is not available"), e.getMessage());
        assertNull(store.stored);
    }

    @Test
    void otherFilesAndMetadataOnlyUpdatesPassUntouched() throws Exception {
        ScriptedProtector protector = ScriptedProtector.returning(ScriptedProtector.FACES);
        ProtectOnUpload wrapper = new ProtectOnUpload(store, protector);
        InputStream pdf = new ByteArrayInputStream(new byte[] {'%', 'P', 'D', 'F'});
        add(wrapper, "application/pdf", null, pdf, 4, uploadContext("report"));
        assertSame(pdf, store.stored.stream());
        assertEquals(List.of("report"), store.stored.tags());
        wrapper.updateFileEntry(1, 42, "holiday.jpg", "image/jpeg", "new title", "holiday", "", "",
                DLVersionNumberIncrease.NONE, -1, Map.of(), null, null, 0, null, null, null, uploadContext());
        assertNull(store.stored.content());
        assertEquals(0, protector.calls);
    }

    @Test
    void aJpegUploadedAsOctetStreamIsProtected() throws Exception {
        byte[] original = photo();
        ScriptedProtector protector = ScriptedProtector.returning(ScriptedProtector.FACES);
        add(new ProtectOnUpload(store, protector), "application/octet-stream", null,
                new ByteArrayInputStream(original), original.length, uploadContext());
        assertEquals(1, protector.calls);
        assertArrayEquals(original, protector.lastInput, "the protector read the whole upload");
        assertArrayEquals(ScriptedProtector.transformed(original), store.stored.content());
        assertEquals(List.of(ProtectOnUpload.TAG_PROTECTED), store.stored.tags());
    }

    @Test
    void photosDeclaredAsAnotherTypeAreProtectedWhetherStreamedOrInAFile() throws Exception {
        Map<String, byte[]> photos = Map.of("png", Samples.png(), "bmp", Samples.bmp(),
                "little-endian tiff", Samples.tiff(ByteOrder.LITTLE_ENDIAN),
                "big-endian tiff", Samples.tiff(ByteOrder.BIG_ENDIAN));
        for (Map.Entry<String, byte[]> photo : photos.entrySet()) {
            byte[] original = photo.getValue();
            byte[] expected = ScriptedProtector.transformed(original);

            ScriptedProtector streamed = ScriptedProtector.returning(ScriptedProtector.FACES);
            add(new ProtectOnUpload(store, streamed), "text/plain", null, unmarkable(original), original.length,
                    uploadContext());
            assertArrayEquals(original, streamed.lastInput, photo.getKey() + ": the first bytes were given back");
            assertArrayEquals(expected, store.stored.content(), photo.getKey() + " streamed");

            Path upload = Files.write(temp.resolve("upload.tmp"), original);
            add(new ProtectOnUpload(store, ScriptedProtector.returning(ScriptedProtector.FACES)), "image/gif",
                    upload.toFile(), null, original.length, uploadContext());
            assertArrayEquals(expected, store.stored.content(), photo.getKey() + " in a file");
            assertNull(store.stored.file(), photo.getKey() + ": the unprotected file is not passed on");
        }
    }

    @Test
    void aNewVersionUploadedAsOctetStreamIsProtected() throws Exception {
        byte[] original = photo();
        new ProtectOnUpload(store, ScriptedProtector.returning(ScriptedProtector.FACES)).updateFileEntry(1, 42,
                "holiday.jpg", "application/octet-stream", "holiday.jpg", "holiday", "", "",
                DLVersionNumberIncrease.MINOR, -1, Map.of(), null, new ByteArrayInputStream(original),
                original.length, null, null, null, uploadContext());
        assertArrayEquals(ScriptedProtector.transformed(original), store.stored.content());
        assertEquals(List.of(ProtectOnUpload.TAG_PROTECTED), store.stored.tags());
    }

    @Test
    void withoutTheProtectorAJpegDeclaredAsOctetStreamIsRefused() {
        byte[] original = photo();
        PortalException e = assertThrows(PortalException.class, () -> add(new ProtectOnUpload(store, null),
                "application/octet-stream", null, new ByteArrayInputStream(original), original.length,
                uploadContext()));
        assertTrue(e.getMessage().contains("FaceProtector service is not available"), e.getMessage());
        assertNull(store.stored);
    }

    @Test
    void otherContentPassesWholeEvenFromAStreamThatCannotMark() throws Exception {
        ScriptedProtector protector = ScriptedProtector.returning(ScriptedProtector.FACES);
        for (byte[] other : List.of(Samples.pdf(), Samples.gif(), Samples.csvStartingLikeABmp())) {
            add(new ProtectOnUpload(store, protector), "application/octet-stream", null, unmarkable(other),
                    other.length, uploadContext("report"));
            assertArrayEquals(other, store.stored.content());
            assertEquals(other.length, store.stored.size());
            assertEquals(List.of("report"), store.stored.tags());
        }
        assertEquals(0, protector.calls);
    }

    @Test
    void contentDeclaredAsAPhotoGoesToTheProtectorWhichRefusesWhatItCannotRead() {
        byte[] notAPhoto = Samples.pdf();
        ScriptedProtector protector = ScriptedProtector.failingAfter(0);
        PortalException e = assertThrows(PortalException.class, () -> add(new ProtectOnUpload(store, protector),
                "image/jpeg", null, new ByteArrayInputStream(notAPhoto), notAPhoto.length, uploadContext()));
        assertEquals(1, protector.calls);
        assertTrue(e.getMessage().startsWith("Segue could not protect holiday.jpg, so it was not stored"),
                e.getMessage());
        assertNull(store.stored);
    }
}
