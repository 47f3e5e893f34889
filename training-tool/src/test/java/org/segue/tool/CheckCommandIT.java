package org.segue.tool;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.ConsoleRun;
import org.segue.engine.SharedData;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 'segue check': both attackers reported, as text and JSON; a folder it cannot check is a usage error. */
class CheckCommandIT {

    private static Path faces(Path dir, int people) throws Exception {
        return SharedData.linkFaces("datasets/celeb10/test", dir.resolve("faces"), people, 10);
    }

    @Test
    void checkReportsThePretrainedRecogniserAndTheFromScratchAttackers(@TempDir Path dir) throws Exception {
        Path folder = faces(dir, 3);
        ConsoleRun json = ConsoleRun.of(SegueCli::execute, "check", folder.toString(), "--epochs", "1",
                "--input-size", "32", "--json");
        assertEquals(0, json.exit(), json.err());
        JsonObject r = JsonParser.parseString(json.out()).getAsJsonObject();
        assertEquals(3, r.get("identities").getAsInt());
        JsonObject rec = r.getAsJsonObject("recognition");
        double clean = rec.get("cleanGalleryRank1").getAsDouble();
        assertTrue(clean >= 0.8, "the recogniser knows unprotected faces: " + clean);
        assertTrue(rec.has("protectedGalleryRank1") && rec.has("protectedAloneRank1") && rec.has("protectedClustering")
                && rec.has("embeddingSimilarity"));
        assertTrue(r.has("protectedAccuracy"), json.out());
        String names = String.join("|", List.of(folder.toFile().list()));
        for (String person : names.split("\\|")) {
            assertTrue(!json.out().contains(person) && !json.err().contains(person), "no person's name in the output");
        }
    }

    @Test
    void aFolderWithOnePersonIsAUsageError(@TempDir Path dir) throws Exception {
        Path folder = faces(dir, 1);
        ConsoleRun run = ConsoleRun.of(SegueCli::execute, "check", folder.toString(), "--epochs", "1");
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains("two"), run.err());
        ConsoleRun missing = ConsoleRun.of(SegueCli::execute, "check", dir.resolve("nothing").toString());
        assertEquals(2, missing.exit(), missing.err());
    }
}
