package org.segue.engine;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
