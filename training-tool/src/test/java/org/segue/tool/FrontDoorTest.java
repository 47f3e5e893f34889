package org.segue.tool;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hosts (this command-line tool, the Fiji commands and the OSGi components of the plugin module)
 * reach the engine through its api package and the detector SPI only: a reference to any other engine
 * package in their sources fails here (the OSGi bundle enforces the same at run time: the engine
 * bundle exports nothing else).
 */
class FrontDoorTest {

    private static final Pattern ENGINE_REFERENCE = Pattern.compile("org\\.segue\\.engine\\.([a-z]+)\\b");

    @Test
    void hostsUseTheEngineThroughItsApiOnly() throws IOException {
        List<String> offences = new ArrayList<>();
        int files = 0;
        for (Path root : List.of(Path.of("src/main/java"), Path.of("../plugin/src/main/java"))) {
            assertTrue(Files.isDirectory(root), root + " not found (run from the training-tool module)");
            try (Stream<Path> s = Files.walk(root)) {
                for (Path file : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    Matcher m = ENGINE_REFERENCE.matcher(Files.readString(file));
                    while (m.find()) {
                        if (!m.group(1).equals("api") && !m.group(1).equals("spi")) {
                            offences.add(root.relativize(file) + ": org.segue.engine." + m.group(1));
                        }
                    }
                }
            }
        }
        assertTrue(files > 20, "only " + files + " host sources found");
        assertEquals(List.of(), offences, "host code reaching past the engine's api");
    }
}
