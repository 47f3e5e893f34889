package org.segue.tool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** dam-runtime refuses folders that would feed the hot folder its own files, before anything starts or is written. */
class DamRuntimeCommandTest {

    @TempDir
    Path dir;

    private void assertUsageErrorWritingNothing(String... args) throws Exception {
        assertEquals(2, SegueCli.execute(args), String.join(" ", args));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("inbox")), s.toList(), "nothing created");
        }
    }

    @Test
    void foldersInsideTheWatchedFolderAndBadValuesAreUsageErrors() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        String in = inbox.toString();
        assertUsageErrorWritingNothing("dam-runtime", "--watch", in, "--out", inbox.resolve("out").toString(),
                "--work", dir.resolve("w").toString());
        assertUsageErrorWritingNothing("dam-runtime", "--watch", in, "--out", dir.resolve("out").toString(),
                "--failed", inbox.resolve("failed").toString(), "--work", dir.resolve("w").toString());
        assertUsageErrorWritingNothing("dam-runtime", "--watch", in, "--out", dir.resolve("out").toString(),
                "--work", inbox.resolve("work").toString());
        assertUsageErrorWritingNothing("dam-runtime", "--watch", in, "--out", dir.toString(),
                "--work", dir.resolve("w").toString());
        assertUsageErrorWritingNothing("dam-runtime", "--watch", in, "--out", dir.resolve("out").toString(),
                "--failed", dir.resolve("out").toString(), "--work", dir.resolve("w").toString());
        assertUsageErrorWritingNothing("dam-runtime", "--watch", in, "--out", dir.resolve("out").toString(),
                "--no-face", "maybe", "--work", dir.resolve("w").toString());
        assertUsageErrorWritingNothing("dam-runtime", "--watch", in, "--out", dir.resolve("out").toString(),
                "--quiet-seconds", "-1", "--work", dir.resolve("w").toString());
    }

    @Test
    void photosWithoutAFaceAreSkippedUnlessAskedOtherwise() {
        // an unprotected copy in --out would look like a protected photo to whatever reads that folder
        DamRuntimeCommand command = new DamRuntimeCommand();
        new picocli.CommandLine(command).parseArgs("--watch", "in", "--out", "out");
        assertEquals("skip", command.noFace);
    }
}
