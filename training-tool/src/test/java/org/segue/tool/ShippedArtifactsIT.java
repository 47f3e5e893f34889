package org.segue.tool;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What users install carries no research code: the command-line jar, the Fiji layout ({@code plugins/} and
 * {@code jars/}) and the OSGi bundles hold no class of the lab ({@code org.segue.lab}), and the command-line jar's
 * commands are the product's. Runs after packaging ({@code mvn verify}), on the artifacts this build made.
 */
class ShippedArtifactsIT {

    private static final String LAB_PACKAGE = "org/segue/lab/";

    @Test
    void noShippedArtifactHoldsALabClass() throws IOException {
        List<Path> artifacts = new ArrayList<>();
        artifacts.add(existing(Path.of("target/segue.jar")));
        artifacts.add(existing(single(Path.of("../engine/target"), "-osgi.jar")));
        artifacts.add(existing(single(Path.of("../plugin/target"), ".jar")));
        Path fiji = existing(Path.of("../plugin/target/fiji"));
        try (Stream<Path> s = Files.walk(fiji)) {
            artifacts.addAll(s.filter(p -> p.toString().endsWith(".jar")).toList());
        }
        assertTrue(artifacts.size() > 10, "the Fiji layout looks incomplete: " + artifacts);

        List<String> offences = new ArrayList<>();
        int segueClasses = 0;
        for (Path jar : artifacts) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    String name = e.nextElement().getName();
                    if (name.startsWith(LAB_PACKAGE)) {
                        offences.add(jar.getFileName() + ": " + name);
                    } else if (name.startsWith("org/segue/") && name.endsWith(".class")) {
                        segueClasses++;
                    }
                }
            }
        }
        assertTrue(segueClasses > 100, "too few product classes found (" + segueClasses + "): wrong artifacts?");
        assertEquals(List.of(), offences, "lab classes in shipped artifacts");
    }

    @Test
    void theCommandLineJarOffersTheProductsCommandsOnly() {
        List<String> commands = new ArrayList<>(new picocli.CommandLine(new SegueCli()).getSubcommands().keySet());
        assertEquals(List.of("protect", "restore", "keygen", "check", "train", "dam-runtime", "help"), commands);
    }

    private static Path existing(Path p) {
        assertTrue(Files.exists(p), p.toAbsolutePath().normalize() + " is missing: run through mvn verify");
        return p;
    }

    /** The one artifact in {@code dir} whose name ends with {@code suffix} (test and source jars aside). */
    private static Path single(Path dir, String suffix) throws IOException {
        existing(dir);
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(suffix) && !n.endsWith("-tests.jar") && !n.endsWith("-sources.jar")
                        && (suffix.equals("-osgi.jar") || !n.endsWith("-osgi.jar"));
            }).toList();
            assertEquals(1, found.size(), "expected one *" + suffix + " in " + dir + ": " + found);
            return found.get(0);
        }
    }
}
