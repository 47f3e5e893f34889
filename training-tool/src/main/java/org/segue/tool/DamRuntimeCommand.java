package org.segue.tool;

import org.segue.engine.api.NoFacePolicy;
import org.segue.tool.osgi.FelixRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "dam-runtime", mixinStandardHelpOptions = true,
        description = "Starts Apache Felix with Declarative Services, Configuration Admin, Metatype and the Segue "
                + "bundles (FaceProtector and ProtectorTraining services), and a hot folder: photos dropped into --watch "
                + "(subfolders too) are protected into --out under the same relative path once they are complete; "
                + "photos that cannot be protected are moved to --failed with a reason file. Every file's state "
                + "(protected, no face, failed, pending) is listed in hotfolder-status.txt in the work folder. "
                + "Runs until stopped (Ctrl-C). See docs/osgi.md.")
final class DamRuntimeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bundles", paramLabel = "DIR", description = "folder of bundle jars (default: dam-runtime/bundles beside segue.jar)")
    Path bundles;

    @Option(names = "--watch", paramLabel = "DIR", required = true, description = "hot folder to watch (with its subfolders)")
    Path watch;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "folder for protected copies (not inside --watch)")
    Path out;

    @Option(names = "--failed", paramLabel = "DIR", description = "folder for photos that could not be protected (default: failed beside --watch)")
    Path failed;

    @Option(names = "--work", paramLabel = "DIR", description = "the runtime's one work folder: OSGi framework cache, hot-folder state "
            + "and hotfolder-status.txt (default: segue-work beside --watch)")
    Path work;

    @Option(names = "--quiet-seconds", paramLabel = "SECONDS", defaultValue = "3", description = "a file is taken once unchanged for this "
            + "long and decoding completely (default ${DEFAULT-VALUE})")
    double quietSeconds;

    @Option(names = "--give-up-minutes", paramLabel = "MINUTES", defaultValue = "60", description = "an unfinished file (its content ends "
            + "early) unchanged for this long is moved to --failed; 0: wait for ever (default ${DEFAULT-VALUE})")
    double giveUpMinutes;

    // skip by default: whatever reads --out cannot tell an unprotected copy from a protected photo of the same name
    @Option(names = "--no-face", paramLabel = "POLICY", defaultValue = "skip", description = "photos without a face found: skip "
            + "(nothing written; listed as no face in the status), copy (an unprotected copy with cleaned metadata in --out, "
            + "indistinguishable there from a protected photo) or fail (moved to --failed); never reported as protected "
            + "(default ${DEFAULT-VALUE})")
    String noFace;

    private java.nio.channels.FileLock workLock;

    @Override
    public Integer call() throws Exception {
        Path watchDir = watch.toAbsolutePath().normalize();
        Path failedDir = (failed != null ? failed : watchDir.resolveSibling("failed")).toAbsolutePath().normalize();
        Path workDir = (work != null ? work : watchDir.resolveSibling("segue-work")).toAbsolutePath().normalize();
        Path outDir = out.toAbsolutePath().normalize();
        checkUsage(watchDir, outDir, failedDir, workDir);
        Path dir = bundles != null ? bundles : defaultBundles();
        Files.createDirectories(workDir);
        // held until the process ends: a second runtime would empty this one's framework cache at its start
        java.nio.channels.FileChannel lockFile = java.nio.channels.FileChannel.open(workDir.resolve("runtime.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        workLock = lockFile.tryLock(); // kept reachable: an unreachable channel is closed, and its lock released
        if (workLock == null) {
            lockFile.close();
            throw new IllegalStateException("another dam-runtime uses the work folder " + workDir);
        }
        FelixRuntime runtime = FelixRuntime.start(dir, workDir.resolve("felix-cache"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runtime.close();
            } catch (Exception e) {
                // shutting down anyway
            }
        }));
        String policy = noFace.trim().toLowerCase(java.util.Locale.ROOT);
        runtime.configure(org.segue.plugin.osgi.api.FaceProtector.PID, Map.of("no.face", policy));
        // Configuration Admin delivers asynchronously, and the protector may already serve with its default
        // policy: the hot folder starts only once the one asked for is in force, or photos already in the inbox
        // could be handled under another; the hot folder applies it too, should the protector not hold to it
        runtime.awaitServiceProperty(org.segue.plugin.osgi.api.FaceProtector.class, "no.face", policy, 300_000);
        Map<String, Object> hot = new LinkedHashMap<>();
        hot.put("watch.folder", watchDir.toString());
        hot.put("output.folder", outDir.toString());
        hot.put("failed.folder", failedDir.toString());
        hot.put("work.folder", workDir.toString());
        hot.put("quiet.millis", Math.round(quietSeconds * 1000));
        hot.put("give.up.seconds", Math.round(giveUpMinutes * 60));
        hot.put("no.face", policy);
        runtime.configure("org.segue.hotfolder", hot);
        System.out.printf("Segue DAM runtime: %d bundles active; watching %s -> %s (failures: %s; status: %s). Ctrl-C stops.%n",
                java.util.Arrays.stream(runtime.context().getBundles()).filter(b -> b.getState() == org.osgi.framework.Bundle.ACTIVE).count(),
                watchDir, outDir, failedDir, workDir.resolve("hotfolder-status.txt"));
        runtime.waitForStop();
        return 0;
    }

    /** Refuses, before anything starts or is written, folders that would feed the hot folder its own files. */
    private void checkUsage(Path watchDir, Path outDir, Path failedDir, Path workDir) {
        try {
            NoFacePolicy.parse(noFace);
        } catch (IllegalArgumentException e) {
            throw usage("--no-face: " + e.getMessage());
        }
        if (!(quietSeconds >= 0) || !(giveUpMinutes >= 0)) {
            throw usage("--quiet-seconds and --give-up-minutes must not be negative");
        }
        if (Files.exists(watchDir) && !Files.isDirectory(watchDir)) {
            throw usage("--watch " + watch + " is not a folder");
        }
        Map<String, Path> others = new LinkedHashMap<>();
        others.put("--out", outDir);
        others.put("--failed", failedDir);
        others.put("--work", workDir);
        for (Map.Entry<String, Path> e : others.entrySet()) {
            if (e.getValue().startsWith(watchDir) || watchDir.startsWith(e.getValue())) {
                throw usage(e.getKey() + " " + e.getValue() + " and --watch " + watchDir
                        + " must not lie inside one another (the hot folder would take its own files as input)");
            }
        }
        if (outDir.equals(failedDir)) {
            throw usage("--out and --failed must be different folders");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
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
