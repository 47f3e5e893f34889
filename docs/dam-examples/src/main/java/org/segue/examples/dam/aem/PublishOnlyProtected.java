package org.segue.examples.dam.aem;

import com.day.cq.dam.api.Asset;
import com.day.cq.dam.api.DamConstants;
import com.day.cq.dam.commons.util.DamUtil;
import com.day.cq.replication.Preprocessor;
import com.day.cq.replication.ReplicationAction;
import com.day.cq.replication.ReplicationActionType;
import com.day.cq.replication.ReplicationException;
import com.day.cq.replication.ReplicationOptions;
import org.apache.sling.api.resource.LoginException;
import org.apache.sling.api.resource.Resource;
import org.apache.sling.api.resource.ResourceResolver;
import org.apache.sling.api.resource.ResourceResolverFactory;
import org.apache.sling.api.resource.ValueMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.segue.examples.dam.ProtectedCopy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * Replication preprocessor: refuses to publish (activate) a photo asset unless {@link ProtectOriginalStep} has
 * protected its current original. Publication is where an unprotected face would leave the author instance, so
 * this is the check that holds even when the workflow did not run, failed, found no face, or a new original was
 * uploaded since. A photo is told by its original's content ({@link ProtectionRecord#isPhoto}): an asset
 * declared as {@code application/octet-stream} or any other type is held back all the same. It reads the repository through a service user: map the subservice
 * {@value #SUBSERVICE} of this bundle to a user that may read {@code /content/dam}.
 */
@Component(service = Preprocessor.class)
public final class PublishOnlyProtected implements Preprocessor {

    static final String SUBSERVICE = "segue-publication-gate";

    @Reference
    private ResourceResolverFactory resolvers;

    /** AEM's component runtime sets the resolver factory itself. */
    public PublishOnlyProtected() {
    }

    /** A gate reading the repository through {@code resolvers}: for use outside OSGi. */
    public PublishOnlyProtected(ResourceResolverFactory resolvers) {
        this.resolvers = resolvers;
    }

    @Override
    public void preprocess(ReplicationAction action, ReplicationOptions options) throws ReplicationException {
        if (action.getType() != ReplicationActionType.ACTIVATE) {
            return;
        }
        String[] paths = action.getPaths() != null ? action.getPaths() : new String[] {action.getPath()};
        try (ResourceResolver resolver = resolvers.getServiceResourceResolver(
                Map.of(ResourceResolverFactory.SUBSERVICE, SUBSERVICE))) {
            for (String path : paths) {
                Resource resource = resolver.getResource(path);
                Asset asset = resource == null ? null : DamUtil.resolveToAsset(resource);
                if (asset != null && isPhoto(asset)) {
                    Optional<String> refusal = refusal(asset, resolver);
                    if (refusal.isPresent()) {
                        throw new ReplicationException("not published: " + asset.getPath() + ": " + refusal.get());
                    }
                }
            }
        } catch (LoginException e) {
            throw new ReplicationException("the publication gate cannot read the repository (service user for "
                    + SUBSERVICE + ")", e);
        }
    }

    private static boolean isPhoto(Asset asset) throws ReplicationException {
        try {
            return ProtectionRecord.isPhoto(asset);
        } catch (IOException e) {
            throw new ReplicationException("could not read the original of " + asset.getPath(), e);
        }
    }

    private static Optional<String> refusal(Asset asset, ResourceResolver resolver) throws ReplicationException {
        Resource metadataResource = resolver.getResource(
                asset.getPath() + "/jcr:content/" + DamConstants.METADATA_FOLDER);
        ValueMap metadata = metadataResource == null ? ValueMap.EMPTY : metadataResource.getValueMap();
        if (asset.getOriginal() == null) {
            return Optional.of("it has no original rendition");
        }
        String originalSha256;
        try (InputStream in = asset.getOriginal().getStream()) {
            originalSha256 = ProtectedCopy.sha256(in);
        } catch (IOException e) {
            throw new ReplicationException("could not read the original of " + asset.getPath(), e);
        }
        return ProtectionRecord.publicationRefusal(metadata.get(ProtectionRecord.STATUS, String.class),
                metadata.get(ProtectionRecord.ORIGINAL_SHA256, String.class), originalSha256);
    }
}
