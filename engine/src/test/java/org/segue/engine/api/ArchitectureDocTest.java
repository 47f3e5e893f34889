package org.segue.engine.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docs/architecture.md is the map of the engine: its package table names every engine package, and no
 * package that is gone. Renaming, adding or removing a package without the map fails here.
 */
class ArchitectureDocTest {

    private static final Path SOURCES = Path.of("src/main/java/org/segue/engine");
    private static final Path MAP = Path.of("../docs/architecture.md");
    /** A package cell of the map's table: {@code | `org.segue.engine.x` |} (or `...x` for short). */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(?:org\\.segue\\.engine|\\.\\.\\.)\\.([a-z.]+)`\\s*\\|",
            Pattern.MULTILINE);

    @Test
    void theArchitectureMapNamesEveryEnginePackageAndNoOther() throws IOException {
        assumeTrue(Files.isDirectory(SOURCES) && Files.isRegularFile(MAP), "run from the engine module of a checkout");
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(p -> p.toString().endsWith(".java"))
                    .forEach(p -> packages.add(SOURCES.relativize(p.getParent()).toString().replace('/', '.')));
        }
        Set<String> mapped = new TreeSet<>();
        Matcher m = ROW.matcher(Files.readString(MAP));
        while (m.find()) {
            mapped.add(m.group(1));
        }
        assertEquals(packages, mapped, "the engine's packages (left) against the package table of " + MAP);
    }
}
