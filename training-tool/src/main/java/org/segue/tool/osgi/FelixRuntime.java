package org.segue.tool.osgi;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An embedded Apache Felix with the Segue bundles: the DAM-style runtime, and what the integration
 * tests start. The host shares only the service API and Configuration Admin's API with the bundles
 * (system packages), so callers use FaceProtector without class-loader clashes; everything else stays
 * inside the bundles. One runtime per JVM: the bundles load PyTorch's native libraries,
 * which a JVM can bind to only one class loader.
 */
public final class FelixRuntime implements AutoCloseable {

    /**
     * How long {@link #close()} waits for the framework to stop: longer than any Segue component waits for its
     * work in hand (the hot folder gives the photo it is protecting up to 120 s), so that work is finished, and
     * the cache its native libraries are loaded from is not deleted under it.
     */
    static final long STOP_WAIT_MILLIS = 180_000;

    /** Packages the host shares with the bundles. */
    static final String SHARED_PACKAGES = "org.segue.plugin.osgi.api;version=2.2.0,org.osgi.service.cm;version=1.6.1";

    private final Framework framework;
    private final Path storage;
    /** Trackers stay open while their services are in use (closing one releases its service). */
    private final List<ServiceTracker<?, ?>> trackers = new java.util.concurrent.CopyOnWriteArrayList<>();

    private FelixRuntime(Framework framework, Path storage) {
        this.framework = framework;
        this.storage = storage;
    }

    /**
     * Starts Felix with its cache in {@code storage}, installs every bundle jar of {@code bundles} and starts
     * them. The jars are installed by reference (read where they are, not copied into the cache); the cache
     * holds the libraries Felix unpacks from the engine bundle, is emptied at start and removed by
     * {@link #close()}.
     */
    public static FelixRuntime start(Path bundles, Path storage) throws BundleException, IOException {
        storage = storage.toAbsolutePath().normalize();
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toAbsolutePath().toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SHARED_PACKAGES);
        // JDK internals the embedded libraries reach for (JNA, DJL) are delegated to the boot loader
        config.put(Constants.FRAMEWORK_BOOTDELEGATION, "sun.*,com.sun.*,jdk.internal.*");
        Framework framework = new FrameworkFactory().newFramework(config);
        framework.start();
        FelixRuntime runtime = new FelixRuntime(framework, storage);
        List<Bundle> installed = new ArrayList<>();
        List<Path> jars;
        try (Stream<Path> s = Files.list(bundles)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        if (jars.isEmpty()) {
            throw new IOException("no bundles in " + bundles);
        }
        BundleContext context = framework.getBundleContext();
        for (Path jar : jars) {
            installed.add(context.installBundle("reference:" + jar.toAbsolutePath().toUri()));
        }
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        return runtime;
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    public Bundle bundle(String symbolicName) {
        for (Bundle b : context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new IllegalStateException("no bundle " + symbolicName);
    }

    /** The service, waiting up to {@code millis} for it to appear. */
    public <T> T service(Class<T> type, long millis) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        trackers.add(tracker);
        T service = tracker.waitForService(millis);
        if (service == null) {
            throw new IllegalStateException(type.getSimpleName() + " did not appear within " + millis + " ms");
        }
        return service;
    }

    /**
     * Waits until a service of {@code type} is registered with the property {@code key} = {@code value}.
     * Declarative Services publishes a component's configuration as its service properties once the component
     * has taken it (after its modified method), so this tells when a configuration is in force.
     */
    public void awaitServiceProperty(Class<?> type, String key, Object value, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            try {
                for (var ref : context().getServiceReferences(type, null)) {
                    if (String.valueOf(value).equals(String.valueOf(ref.getProperty(key)))) {
                        return;
                    }
                }
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e); // no filter is given
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(type.getSimpleName() + " did not take " + key + "=" + value + " within "
                        + millis + " ms");
            }
            Thread.sleep(50);
        }
    }

    /** Sets configuration properties of a PID through Configuration Admin (merged with what it holds). */
    public void configure(String pid, Map<String, Object> properties) throws Exception {
        ConfigurationAdmin admin = service(ConfigurationAdmin.class, 10_000);
        Configuration c = admin.getConfiguration(pid, "?");
        Dictionary<String, Object> merged = c.getProperties() != null ? c.getProperties() : new Hashtable<>();
        properties.forEach(merged::put);
        c.update(merged);
    }

    /** Blocks until the framework stops. */
    public void waitForStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /** The framework's cache folder. */
    public Path storage() {
        return storage;
    }

    @Override
    public void close() throws Exception {
        close(STOP_WAIT_MILLIS);
    }

    /**
     * Stops the framework, waiting up to {@code millis}, and then removes its cache (rebuilt at every start
     * anyway; not left behind at its full size). A framework still stopping keeps its cache: the bundles may
     * still use the libraries in it.
     */
    void close(long millis) throws Exception {
        trackers.forEach(ServiceTracker::close);
        framework.stop();
        org.osgi.framework.FrameworkEvent stopped = framework.waitForStop(millis);
        if (stopped.getType() == org.osgi.framework.FrameworkEvent.WAIT_TIMEDOUT) {
            throw new IllegalStateException("the OSGi framework did not stop within " + millis / 1000
                    + " s; its cache " + storage + " is left in place");
        }
        deleteTree(storage);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
