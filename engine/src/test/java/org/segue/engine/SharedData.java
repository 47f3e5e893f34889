package org.segue.engine;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locates ../shared (or -Dsegue.shared) and skips a test, with the reason, where it is absent. */
public final class SharedData {

    private SharedData() {}

    public static Path root() {
        return Path.of(System.getProperty("segue.shared", "../shared")).toAbsolutePath().normalize();
    }

    /** The path under ../shared, or an aborted (skipped) test when it is missing. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p),
                "skipped: " + p + " is absent (the shared research data lives beside the checkout in ../shared)");
        return p;
    }

    /**
     * A small labelled folder {@code <person>/<faces>} of links into a shared dataset: the first {@code people}
     * people (by name) with their first {@code perPerson} faces; a skipped test where the dataset is absent.
     */
    public static Path linkFaces(String dataset, Path into, int people, int perPerson) throws java.io.IOException {
        Path source = require(dataset);
        List<Path> dirs;
        try (Stream<Path> s = Files.list(source)) {
            dirs = s.filter(Files::isDirectory).sorted().limit(people).toList();
        }
        for (Path person : dirs) {
            Path target = Files.createDirectories(into.resolve(person.getFileName().toString()));
            try (Stream<Path> s = Files.list(person)) {
                for (Path face : s.sorted().limit(perPerson).toList()) {
                    Files.createSymbolicLink(target.resolve(face.getFileName()), face);
                }
            }
        }
        return into;
    }
}
