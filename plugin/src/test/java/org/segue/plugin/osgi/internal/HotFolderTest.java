package org.segue.plugin.osgi.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hot folder's rules that need no protector: which names are uploads in progress, which folders are refused. */
class HotFolderTest {

    @TempDir
    Path dir;

    @Test
    void theUsualTemporaryNamesOfUploadsAndEditorsWait() {
        for (String name : List.of("a.jpg.part", "a.JPG.PART", "a.jpg.partial", "a.jpg.tmp", "a.temp", "a.jpg.crdownload",
                "a.jpg.download", "a.filepart", "a.opdownload", "a.jpg.!ut", "a.jpg~", "~$a.jpg", ".a.jpg",
                ".a.jpg.123.part", "sub/.hidden/a.jpg", "sub/.a.jpg")) {
            assertTrue(HotFolder.temporaryName(name), name);
        }
        for (String name : List.of("a.jpg", "sub/a.png", "noextension", "part", "a.parts.jpg", "tmp/a.jpg", "a.tmp.jpg")) {
            assertFalse(HotFolder.temporaryName(name), name);
        }
    }

    @Test
    void filesAndFoldersThatSystemsKeepBesidePhotosAreNoInputs() {
        for (String name : List.of(".DS_Store", ".ds_store", "Thumbs.db", "THUMBS.DB", "ehthumbs.db", "desktop.ini",
                "Desktop.ini", "._IMG_0001.jpg", "Icon\r", ".picasa.ini", ".nomedia", ".localized", ".directory")) {
            assertTrue(HotFolder.systemFile(name), name);
        }
        for (String name : List.of("IMG_0001.jpg", "thumbs.jpg", "desktop.png", "_photo.jpg", ".photo.jpg.part", "Icon.png")) {
            assertFalse(HotFolder.systemFile(name), name);
        }
        for (String name : List.of(".thumbnails", ".Trashes", ".Trash-1000", "@eaDir", "#recycle", "$RECYCLE.BIN",
                "System Volume Information", "lost+found", ".Spotlight-V100", ".fseventsd", ".AppleDouble", ".snapshot")) {
            assertTrue(HotFolder.systemFolder(name), name);
        }
        for (String name : List.of("2026", "thumbnails", ".upload-in-progress", "trash photos", "eaDir")) {
            assertFalse(HotFolder.systemFolder(name), name);
        }
    }

    private HotFolder.Settings settings(Path watch, Path out, Path failed, Path work) {
        return new HotFolder.Settings(watch, out, failed, work, 100, 100, 1000);
    }

    @Test
    void foldersThatWouldFeedTheHotFolderItsOwnFilesAreRefused() {
        Path in = dir.resolve("in");
        settings(in, dir.resolve("out"), dir.resolve("failed"), dir.resolve("work")); // accepted
        assertThrows(IllegalArgumentException.class, () -> settings(in, in.resolve("out"), dir.resolve("f"), dir.resolve("w")));
        assertThrows(IllegalArgumentException.class, () -> settings(in, dir.resolve("o"), in.resolve("f"), dir.resolve("w")));
        assertThrows(IllegalArgumentException.class, () -> settings(in, dir.resolve("o"), dir.resolve("f"), in.resolve("w")));
        assertThrows(IllegalArgumentException.class, () -> settings(in, dir, dir.resolve("f"), dir.resolve("w")));
        assertThrows(IllegalArgumentException.class, () -> settings(in, in, dir.resolve("f"), dir.resolve("w")));
        assertThrows(IllegalArgumentException.class, () -> settings(in, dir.resolve("o"), dir.resolve("o"), dir.resolve("w")));
        assertThrows(IllegalArgumentException.class, () -> settings(in, dir.resolve("in/../in/x"), dir.resolve("f"), dir.resolve("w")));
    }
}
