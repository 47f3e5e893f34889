package org.segue.examples.dam.aem;

import com.adobe.granite.workflow.WorkflowException;
import com.adobe.granite.workflow.WorkflowSession;
import com.adobe.granite.workflow.exec.WorkItem;
import com.adobe.granite.workflow.exec.WorkflowProcess;
import com.adobe.granite.workflow.metadata.MetaDataMap;
import com.day.cq.dam.api.Asset;
import com.day.cq.dam.api.DamConstants;
import com.day.cq.dam.api.Rendition;
import com.day.cq.dam.commons.util.DamUtil;
import org.apache.sling.api.resource.ModifiableValueMap;
import org.apache.sling.api.resource.PersistenceException;
import org.apache.sling.api.resource.Resource;
import org.apache.sling.api.resource.ResourceResolver;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.segue.examples.dam.ProtectedCopy;
import org.segue.plugin.osgi.api.FaceProtector;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * AEM workflow process step: replaces an asset's original rendition with its protected version. Put it first in
 * the DAM Update Asset workflow (AEM 6.5), before the steps that make thumbnails, web renditions and metadata,
 * so that every rendition is made from the protected original and the unprotected one exists only until this
 * step has run.
 *
 * <p>Whether the asset is a photo is told from its original's content ({@link ProtectionRecord#isPhoto}), not
 * from the MIME type the uploader declared.
 *
 * <p>The outcome is recorded in the asset's metadata ({@link ProtectionRecord}); {@link PublishOnlyProtected}
 * refuses to publish an asset whose record is missing, is "no-face" or was made for another original. A photo
 * without a found face is never marked protected: under the "copy" policy its original is replaced by the copy
 * with cleaned metadata, under "skip" it stays as uploaded; both are held for review. A photo that cannot be
 * protected fails the step (AEM retries it, then reports it in the failures inbox) and no later step runs.
 *
 * <p>The step replaces the original and writes the record in one save (batch mode), through the workflow
 * session, whose saves the stock DAM launchers ignore; the record's checksum stops a second pass in a setup
 * whose launchers do not.
 */
@Component(service = WorkflowProcess.class, property = "process.label=Segue: protect the faces in the original")
public final class ProtectOriginalStep implements WorkflowProcess {

    /** Optional, so that a missing protector fails each photo instead of letting the workflow run without it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private volatile FaceProtector protector;

    /** AEM's component runtime sets the protector itself. */
    public ProtectOriginalStep() {
    }

    /** A step with {@code protector}: for use outside OSGi. */
    public ProtectOriginalStep(FaceProtector protector) {
        this.protector = protector;
    }

    @Override
    public void execute(WorkItem item, WorkflowSession session, MetaDataMap args) throws WorkflowException {
        if (!"JCR_PATH".equals(item.getWorkflowData().getPayloadType())) {
            return;
        }
        ResourceResolver resolver = session.adaptTo(ResourceResolver.class);
        Resource payload = resolver.getResource(item.getWorkflowData().getPayload().toString());
        // the DAM Update Asset payload is the original rendition's path; resolveToAsset walks up to the asset
        Asset asset = payload == null ? null : DamUtil.resolveToAsset(payload);
        if (asset == null || !isPhoto(asset)) {
            return;
        }
        FaceProtector faceProtector = protector;
        if (faceProtector == null) {
            throw new WorkflowException("Segue's FaceProtector service is not available; " + asset.getPath()
                    + " was not protected");
        }
        try {
            protect(asset, resolver, faceProtector);
        } catch (IOException e) {
            throw new WorkflowException("Segue could not protect " + asset.getPath() + ": " + e.getMessage(), e);
        }
    }

    private static boolean isPhoto(Asset asset) throws WorkflowException {
        try {
            return ProtectionRecord.isPhoto(asset);
        } catch (IOException e) {
            throw new WorkflowException("could not read the original of " + asset.getPath(), e);
        }
    }

    private static void protect(Asset asset, ResourceResolver resolver, FaceProtector protector)
            throws IOException, WorkflowException {
        Resource metadataResource = resolver.getResource(
                asset.getPath() + "/jcr:content/" + DamConstants.METADATA_FOLDER);
        ModifiableValueMap metadata = metadataResource == null ? null
                : metadataResource.adaptTo(ModifiableValueMap.class);
        if (metadata == null) {
            throw new WorkflowException("no writable metadata node for " + asset.getPath());
        }
        Rendition original = asset.getOriginal();
        if (original == null) {
            throw new WorkflowException(asset.getPath() + " has no original rendition");
        }
        String originalSha256;
        try (InputStream in = original.getStream()) {
            originalSha256 = ProtectedCopy.sha256(in);
        }
        if (ProtectionRecord.handled(metadata.get(ProtectionRecord.STATUS, String.class),
                metadata.get(ProtectionRecord.ORIGINAL_SHA256, String.class), originalSha256)) {
            return; // this original is the one the record was made for (the step's own replacement, re-run)
        }
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        boolean saved = false;
        try (InputStream in = original.getStream();
             ProtectedCopy copy = ProtectedCopy.protect(protector, in, asset.getName(), temp);
             // open until the commit, in case the repository reads the binary only when it saves
             InputStream replacement = copy.verdict().replacesOriginal() ? copy.openStream() : null) {
            String recordedSha256 = originalSha256;
            asset.setBatchMode(true); // the replacement and its record are saved together by the commit below
            if (replacement != null) {
                asset.addRendition(DamConstants.ORIGINAL_FILE, replacement, original.getMimeType());
                recordedSha256 = copy.sha256();
            }
            metadata.put(ProtectionRecord.STATUS, copy.verdict().mark());
            metadata.put(ProtectionRecord.ORIGINAL_SHA256, recordedSha256);
            metadata.put(ProtectionRecord.FACES, (long) copy.outcome().faces().size());
            resolver.commit();
            saved = true;
        } catch (PersistenceException e) {
            throw new WorkflowException("could not save the protected original of " + asset.getPath(), e);
        } finally {
            if (!saved && resolver.hasChanges()) {
                resolver.revert(); // neither half of the replacement stays pending in the workflow's session
            }
        }
    }
}
