package org.segue.examples.dam.liferay;

import com.liferay.document.library.kernel.model.DLFileEntry;
import com.liferay.document.library.kernel.model.DLVersionNumberIncrease;
import com.liferay.document.library.kernel.service.DLFileEntryLocalService;
import com.liferay.document.library.kernel.service.DLFileEntryLocalServiceWrapper;
import com.liferay.dynamic.data.mapping.kernel.DDMFormValues;
import com.liferay.portal.kernel.exception.PortalException;
import com.liferay.portal.kernel.service.ServiceContext;
import com.liferay.portal.kernel.service.ServiceWrapper;
import com.liferay.portal.kernel.workflow.WorkflowConstants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.segue.examples.dam.PhotoContent;
import org.segue.examples.dam.ProtectedCopy;
import org.segue.examples.dam.ProtectionVerdict;
import org.segue.plugin.osgi.api.FaceProtector;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Liferay service wrapper around the document library's file entry service: a photo's content is protected
 * before Liferay stores it, so the store never holds the unprotected upload and every preview, thumbnail and
 * published version is made from the protected one.
 *
 * <p>Why here: {@code DLFileEntryLocalService.addFileEntry} and {@code updateFileEntry} are where every upload
 * to a Liferay repository (portal UI, WebDAV, headless API, {@code DLAppService}) hands its content to the
 * store. A {@code ModelListener}'s {@code onAfterCreate} runs inside that call before the content is stored, and
 * anything deferred to after the commit (a commit callback, a message-bus listener, a {@code DLProcessor}) runs
 * when the unprotected version is already stored and may already be published and previewed. A service wrapper
 * is Liferay's supported way to change a service's behaviour.
 *
 * <p>A photo without a found face is stored as a draft (not published), tagged {@value #TAG_NO_FACE} for
 * review: the copy with cleaned metadata under the "copy" policy, the upload as it came under "skip". A
 * protected photo is tagged {@value #TAG_PROTECTED}. A photo that cannot be protected, or an upload while the
 * FaceProtector service is absent, is refused with the reason: nothing is stored, and the uploader still has
 * the file. Whether an upload is a photo is told from its content ({@link PhotoContent}), never from the MIME
 * type the client declared: a JPEG uploaded as {@code application/octet-stream} is protected like any other.
 * Content other than JPEG, PNG, TIFF and BMP passes through unchanged, unless it is declared as one of them;
 * then the protector refuses what it cannot read.
 *
 * <p>The method signatures are those of Liferay's {@code com.liferay.portal.kernel} 146 (Liferay 7.4 / DXP
 * 2024); they change between Liferay versions, so compile the copy against the kernel of the target version.
 */
@Component(service = ServiceWrapper.class)
public final class ProtectOnUpload extends DLFileEntryLocalServiceWrapper {

    public static final String TAG_PROTECTED = "segue-protected";
    public static final String TAG_NO_FACE = "segue-no-face";

    /** Optional, so that uploads are refused while the protector is absent instead of passing unprotected. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private volatile FaceProtector protector;

    /** Liferay sets the wrapped service itself. */
    public ProtectOnUpload() {
        super(null);
    }

    /** A wrapper around {@code wrapped}, with {@code protector}: for use outside OSGi. */
    public ProtectOnUpload(DLFileEntryLocalService wrapped, FaceProtector protector) {
        super(wrapped);
        this.protector = protector;
    }

    @Override
    public DLFileEntry addFileEntry(String externalReferenceCode, long userId, long groupId, long repositoryId,
                                    long folderId, String sourceFileName, String mimeType, String title,
                                    String urlTitle, String description, String changeLog, long fileEntryTypeId,
                                    Map<String, DDMFormValues> ddmFormValuesMap, File file, InputStream inputStream,
                                    long size, Date displayDate, Date expirationDate, Date reviewDate,
                                    ServiceContext serviceContext) throws PortalException {
        InputStream upload = rereadable(inputStream);
        if (!carriesPhoto(mimeType, file, upload, sourceFileName)) {
            return super.addFileEntry(externalReferenceCode, userId, groupId, repositoryId, folderId, sourceFileName,
                    mimeType, title, urlTitle, description, changeLog, fileEntryTypeId, ddmFormValuesMap, file,
                    upload, size, displayDate, expirationDate, reviewDate, serviceContext);
        }
        try (ProtectedCopy copy = protect(file, upload, sourceFileName);
             InputStream content = decide(copy, serviceContext)) {
            return super.addFileEntry(externalReferenceCode, userId, groupId, repositoryId, folderId, sourceFileName,
                    mimeType, title, urlTitle, description, changeLog, fileEntryTypeId, ddmFormValuesMap, null,
                    content, storedSize(copy), displayDate, expirationDate, reviewDate, serviceContext);
        } catch (IOException e) {
            throw refusal(sourceFileName, e);
        }
    }

    @Override
    public DLFileEntry updateFileEntry(long userId, long fileEntryId, String sourceFileName, String mimeType,
                                       String title, String urlTitle, String description, String changeLog,
                                       DLVersionNumberIncrease dlVersionNumberIncrease, long fileEntryTypeId,
                                       Map<String, DDMFormValues> ddmFormValuesMap, File file, InputStream inputStream,
                                       long size, Date displayDate, Date expirationDate, Date reviewDate,
                                       ServiceContext serviceContext) throws PortalException {
        InputStream upload = rereadable(inputStream);
        if (!carriesPhoto(mimeType, file, upload, sourceFileName)) { // also a change of title or metadata only
            return super.updateFileEntry(userId, fileEntryId, sourceFileName, mimeType, title, urlTitle, description,
                    changeLog, dlVersionNumberIncrease, fileEntryTypeId, ddmFormValuesMap, file, upload, size,
                    displayDate, expirationDate, reviewDate, serviceContext);
        }
        try (ProtectedCopy copy = protect(file, upload, sourceFileName);
             InputStream content = decide(copy, serviceContext)) {
            return super.updateFileEntry(userId, fileEntryId, sourceFileName, mimeType, title, urlTitle, description,
                    changeLog, dlVersionNumberIncrease, fileEntryTypeId, ddmFormValuesMap, null, content,
                    storedSize(copy), displayDate, expirationDate, reviewDate, serviceContext);
        } catch (IOException e) {
            throw refusal(sourceFileName, e);
        }
    }

    /**
     * Whether an upload carries content that goes to the protector: a photo by its first bytes, whatever MIME type
     * was declared ({@link PhotoContent#mustBeProtected}). The first bytes of {@code inputStream} are read and
     * given back ({@link #rereadable}), so that a file passing through is stored whole.
     */
    static boolean carriesPhoto(String mimeType, File file, InputStream inputStream, String sourceFileName)
            throws PortalException {
        try {
            if (file != null) { // Liferay stores the file when there is one, so that is what is looked at
                try (InputStream in = Files.newInputStream(file.toPath())) {
                    return PhotoContent.mustBeProtected(mimeType, PhotoContent.head(in));
                }
            }
            if (inputStream != null) {
                inputStream.mark(PhotoContent.HEAD_LENGTH);
                byte[] head;
                try {
                    head = PhotoContent.head(inputStream);
                } finally {
                    inputStream.reset();
                }
                return PhotoContent.mustBeProtected(mimeType, head);
            }
            return false;
        } catch (IOException e) {
            throw new PortalException("Segue could not read " + sourceFileName + ", so it was not stored: "
                    + e.getMessage(), e);
        }
    }

    /** The upload's stream, able to give back the first bytes {@link #carriesPhoto} reads. */
    static InputStream rereadable(InputStream inputStream) {
        return inputStream == null || inputStream.markSupported() ? inputStream : new BufferedInputStream(inputStream);
    }

    private ProtectedCopy protect(File file, InputStream inputStream, String sourceFileName) throws IOException {
        FaceProtector faceProtector = protector;
        if (faceProtector == null) {
            throw new IOException("Segue's FaceProtector service is not available");
        }
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        if (file != null) {
            try (InputStream in = Files.newInputStream(file.toPath())) {
                return ProtectedCopy.protectKeepingOriginal(faceProtector, in, sourceFileName, temp);
            }
        }
        return ProtectedCopy.protectKeepingOriginal(faceProtector, inputStream, sourceFileName, temp);
    }

    /**
     * The content to store, after recording the verdict in the upload's service context: Liferay's upload path
     * hands this same context to the asset and workflow steps that follow, which read the tags and, for a draft,
     * leave the version unpublished.
     */
    static InputStream decide(ProtectedCopy copy, ServiceContext serviceContext) throws IOException {
        ProtectionVerdict verdict = copy.verdict();
        String tag = verdict.publishable() ? TAG_PROTECTED : TAG_NO_FACE;
        String[] tags = serviceContext.getAssetTagNames() == null ? new String[0] : serviceContext.getAssetTagNames();
        serviceContext.setAssetTagNames(Stream.concat(Arrays.stream(tags)
                .filter(t -> !t.equals(TAG_PROTECTED) && !t.equals(TAG_NO_FACE)), Stream.of(tag))
                .toArray(String[]::new));
        if (!verdict.publishable()) {
            serviceContext.setWorkflowAction(WorkflowConstants.ACTION_SAVE_DRAFT);
        }
        return verdict.replacesOriginal() ? copy.openStream() : copy.openOriginal();
    }

    private static long storedSize(ProtectedCopy copy) throws IOException {
        return copy.verdict().replacesOriginal() ? copy.size() : copy.originalSize();
    }

    private static PortalException refusal(String sourceFileName, IOException e) {
        return new PortalException("Segue could not protect " + sourceFileName + ", so it was not stored: "
                + e.getMessage(), e);
    }
}
