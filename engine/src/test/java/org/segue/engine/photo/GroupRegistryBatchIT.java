package org.segue.engine.photo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.SharedData;
import org.segue.engine.api.BatchRequest;
import org.segue.engine.api.BatchSummary;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ErasureKey;
import org.segue.engine.api.Identities;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.face.PretrainedFaceFeatures;
import org.segue.engine.sideinfo.GroupRegistry;
import org.segue.engine.sideinfo.GroupRegistryException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Automatic grouping with a registry: a person seen in an earlier batch is found again, a wrong key stops at once. */
class GroupRegistryBatchIT {

    private static void link(Path person, int from, int count, Path into) throws Exception {
        Path target = Files.createDirectories(into.resolve(person.getFileName().toString()));
        try (Stream<Path> s = Files.list(person)) {
            for (Path photo : s.sorted().skip(from).limit(count).toList()) {
                Files.createSymbolicLink(target.resolve(photo.getFileName()), photo);
            }
        }
    }

    private static BatchSummary run(Path in, Path out, Path registry, ErasureKey key) throws Exception {
        PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(), TestEngine.detector(),
                ProtectionOptions.defaults());
        return PhotoBatch.run(protector, Identities.grouped(0), BatchRequest.into(out, in).withGroupRegistry(registry, key),
                ProgressListener.NONE, new Cancellation());
    }

    @Test
    void aPersonFromAnEarlierBatchKeepsTheirGroupAndAWrongKeyStopsBeforeAnythingIsWritten(@TempDir Path dir)
            throws Exception {
        Path wild = SharedData.require("photos/celeba-wild");
        List<Path> people;
        try (Stream<Path> s = Files.list(wild)) {
            people = s.filter(Files::isDirectory).sorted().limit(2).toList();
        }
        Path first = dir.resolve("first");
        link(people.get(0), 0, 4, first);
        link(people.get(1), 0, 4, first);
        Path registry = dir.resolve("groups.registry");
        ErasureKey key = ErasureKey.generate();
        BatchSummary one = run(first, dir.resolve("out1"), registry, key);
        assertTrue(one.failed().isEmpty(), one.failed().toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(registry)));
        int known = GroupRegistry.open(registry, key.material(), PretrainedFaceFeatures.NAME).size();
        assertTrue(known >= 2, "two people, " + known + " groups");

        Path second = dir.resolve("second");
        link(people.get(0), 4, 4, second); // the first person again, other photos
        BatchSummary two = run(second, dir.resolve("out2"), registry, key);
        assertTrue(two.failed().isEmpty(), two.failed().toString());
        assertEquals(known, GroupRegistry.open(registry, key.material(), PretrainedFaceFeatures.NAME).size(),
                "the returning person matched a stored group: no new group");

        Path out3 = dir.resolve("out3");
        GroupRegistryException e = assertThrows(GroupRegistryException.class,
                () -> run(second, out3, registry, ErasureKey.generate()));
        assertEquals(GroupRegistryException.Reason.WRONG_KEY, e.reason());
        assertFalse(Files.exists(out3), "nothing written under a wrong key");
    }
}
