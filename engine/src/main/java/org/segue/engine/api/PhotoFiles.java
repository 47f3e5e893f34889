package org.segue.engine.api;

import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.photo.PhotoFormat;

import java.io.IOException;
import java.nio.file.Path;

/** File rules hosts that watch folders share with the batch: which names are photos, how files are written. */
public final class PhotoFiles {

    private PhotoFiles() {}

    /**
     * Whether a file of this name is a photo the engine takes (by its extension) and not a temporary file
     * of an atomic write in progress.
     */
    public static boolean isPhotoName(String fileName) {
        return PhotoFormat.looksLikePhoto(fileName) && !AtomicFiles.isTemporary(fileName);
    }

    /** Writes a file atomically: readers see the old content or the whole new one, never a part. */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        AtomicFiles.write(file, content);
    }
}
