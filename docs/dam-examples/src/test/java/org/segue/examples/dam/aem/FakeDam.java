package org.segue.examples.dam.aem;

import com.adobe.granite.workflow.WorkflowSession;
import com.adobe.granite.workflow.exec.WorkItem;
import com.adobe.granite.workflow.exec.WorkflowData;
import com.day.cq.dam.api.Asset;
import com.day.cq.dam.api.DamConstants;
import com.day.cq.dam.api.Rendition;
import org.apache.sling.api.resource.ModifiableValueMap;
import org.apache.sling.api.resource.Resource;
import org.apache.sling.api.resource.ResourceResolver;
import org.apache.sling.api.resource.ResourceResolverFactory;
import org.apache.sling.api.resource.ValueMap;
import org.apache.sling.api.wrappers.ModifiableValueMapDecorator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * One AEM asset in a repository of its own, with just what the examples read and write of AEM's API (an asset,
 * its original rendition and metadata node, a resolver that commits, a workflow item whose payload is the
 * original). AEM itself is not available to the build; anything else the examples would call fails the test.
 * The original's bytes and the declared MIME type (what AEM records from the upload) are set apart, as an
 * uploader can set them apart.
 */
final class FakeDam {

    static final String ASSET = "/content/dam/holiday.jpg";
    static final String ORIGINAL = ASSET + "/jcr:content/renditions/" + DamConstants.ORIGINAL_FILE;
    static final String METADATA = ASSET + "/jcr:content/" + DamConstants.METADATA_FOLDER;

    /** The stored original; replaced only by a commit. */
    byte[] original;
    final String declaredType;
    final ModifiableValueMap metadata = new ModifiableValueMapDecorator(new HashMap<>());
    private byte[] pendingOriginal;
    int commits;
    int originalReads;

    FakeDam(byte[] original, String declaredType) {
        this.original = original;
        this.declaredType = declaredType;
    }

    ResourceResolver resolver() {
        return proxy(ResourceResolver.class, (name, args) -> switch (name) {
            case "getResource" -> resource((String) args[0]);
            case "hasChanges" -> pendingOriginal != null;
            case "commit" -> {
                if (pendingOriginal != null) {
                    original = pendingOriginal;
                    pendingOriginal = null;
                }
                commits++;
                yield null;
            }
            case "revert" -> {
                pendingOriginal = null;
                yield null;
            }
            case "close" -> null;
            default -> unsupported(name);
        });
    }

    ResourceResolverFactory resolverFactory() {
        return proxy(ResourceResolverFactory.class, (name, args) -> switch (name) {
            case "getServiceResourceResolver" -> resolver();
            default -> unsupported(name);
        });
    }

    WorkflowSession session() {
        ResourceResolver resolver = resolver();
        return proxy(WorkflowSession.class, (name, args) -> switch (name) {
            case "adaptTo" -> args[0] == ResourceResolver.class ? resolver : null;
            default -> unsupported(name);
        });
    }

    /** The DAM Update Asset workflow's item: its payload is the path of the asset's original. */
    WorkItem workItem() {
        WorkflowData data = proxy(WorkflowData.class, (name, args) -> switch (name) {
            case "getPayloadType" -> "JCR_PATH";
            case "getPayload" -> ORIGINAL;
            default -> unsupported(name);
        });
        return proxy(WorkItem.class, (name, args) -> switch (name) {
            case "getWorkflowData" -> data;
            default -> unsupported(name);
        });
    }

    private Resource resource(String path) {
        if (path.equals(ASSET)) {
            Asset asset = asset();
            return proxy(Resource.class, (name, args) -> switch (name) {
                case "getPath" -> ASSET;
                case "getResourceType" -> DamConstants.NT_DAM_ASSET;
                case "adaptTo" -> args[0] == Asset.class ? asset : null;
                default -> unsupported(name);
            });
        }
        if (path.equals(METADATA)) {
            return proxy(Resource.class, (name, args) -> switch (name) {
                case "getPath" -> METADATA;
                case "getValueMap" -> (ValueMap) metadata;
                case "adaptTo" -> args[0] == ModifiableValueMap.class || args[0] == ValueMap.class ? metadata : null;
                default -> unsupported(name);
            });
        }
        if (path.startsWith(ASSET + "/")) {
            return proxy(Resource.class, (name, args) -> switch (name) {
                case "getPath" -> path;
                case "getResourceType" -> "nt:unstructured";
                case "getParent" -> resource(path.substring(0, path.lastIndexOf('/')));
                case "adaptTo" -> null;
                default -> unsupported(name);
            });
        }
        return null;
    }

    Asset asset() {
        return proxy(Asset.class, (name, args) -> switch (name) {
            case "getPath" -> ASSET;
            case "getName" -> "holiday.jpg";
            case "getMimeType" -> declaredType;
            case "getOriginal" -> original == null ? null : rendition();
            case "setBatchMode" -> null;
            case "addRendition" -> {
                if (!(args[1] instanceof InputStream in) || !(args[2] instanceof String)) {
                    yield unsupported(name + " with a map or a binary");
                }
                if (!DamConstants.ORIGINAL_FILE.equals(args[0])) {
                    yield unsupported("adding the rendition " + args[0]);
                }
                try {
                    pendingOriginal = in.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                yield rendition();
            }
            default -> unsupported(name);
        });
    }

    private Rendition rendition() {
        return proxy(Rendition.class, (name, args) -> switch (name) {
            case "getPath" -> ORIGINAL;
            case "getName" -> DamConstants.ORIGINAL_FILE;
            case "getMimeType" -> declaredType;
            case "getStream" -> {
                originalReads++;
                yield new ByteArrayInputStream(original);
            }
            default -> unsupported(name);
        });
    }

    private interface Handler {
        Object handle(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Handler handler) {
        return type.cast(Proxy.newProxyInstance(FakeDam.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> switch (method.getName()) {
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    case "toString" -> "fake " + type.getSimpleName();
                    default -> handler.handle(method.getName(), args == null ? new Object[0] : args);
                }));
    }

    private static Object unsupported(String what) {
        throw new UnsupportedOperationException("the fake DAM has no " + what);
    }
}
