package org.segue.tool;

import org.segue.tool.osgi.FelixRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "dam-runtime", mixinStandardHelpOptions = true,
        description = {"Starts Apache Felix with Declarative Services, Configuration Admin, Metatype and the Segue",
                "bundles (FaceProtector and ProtectorTraining services), and a hot folder: photos dropped into --watch",
                "are protected into --out; photos that cannot be protected go to --failed with a reason file.",
                "Runs until stopped (Ctrl-C). See docs/osgi.md."})
final class DamRuntimeCommand implements Callable<Integer> {

    @Option(names = "--bundles", description = "folder of bundle jars (default: dam-runtime/bundles beside segue.jar)")
    Path bundles;

    @Option(names = "--watch", required = true, description = "hot folder to watch")
    Path watch;

    @Option(names = "--out", required = true, description = "folder for protected copies")
    Path out;

    @Option(names = "--failed", description = "folder for photos that could not be protected (default: <watch>/../failed)")
    Path failed;

    @Option(names = "--storage", defaultValue = "runs/felix-cache", description = "OSGi framework storage (default ${DEFAULT-VALUE})")
    Path storage;

    @Override
    public Integer call() throws Exception {
        Path dir = bundles != null ? bundles : defaultBundles();
        Path failedDir = failed != null ? failed : watch.toAbsolutePath().getParent().resolve("failed");
        FelixRuntime runtime = FelixRuntime.start(dir, storage);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runtime.close();
            } catch (Exception e) {
                // shutting down anyway
            }
        }));
        runtime.configure("org.segue.hotfolder", Map.of("watch.folder", watch.toAbsolutePath().toString(),
                "output.folder", out.toAbsolutePath().toString(), "failed.folder", failedDir.toAbsolutePath().toString()));
        System.out.printf("Segue DAM runtime: %d bundles active; watching %s -> %s (failures: %s). Ctrl-C stops.%n",
                java.util.Arrays.stream(runtime.context().getBundles()).filter(b -> b.getState() == org.osgi.framework.Bundle.ACTIVE).count(),
                watch, out, failedDir);
        runtime.waitForStop();
        return 0;
    }

    private static Path defaultBundles() throws Exception {
        Path jar = Path.of(DamRuntimeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = jar.getParent().resolve("dam-runtime/bundles");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no bundles at " + dir + "; build with mvn install, or pass --bundles");
        }
        return dir;
    }
}
