package org.segue.engine.api;

import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.photo.PhotoCompleteness;
import org.segue.engine.photo.PhotoException;
import org.segue.engine.photo.PhotoFormat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

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

    /**
     * The photo format of a file's content (JPEG, PNG, TIFF, BMP), told by its first bytes whatever its name;
     * empty where the content is none of them.
     */
    public static Optional<String> formatOf(byte[] content) {
        try {
            return Optional.of(PhotoFormat.sniff(content, "photo").name());
        } catch (PhotoException e) {
            return Optional.empty();
        }
    }

    /**
     * Why a file's content could still be growing: it is empty, too short to tell its format, or its own
     * structure (JPEG segments and scan, PNG chunks up to IEND, TIFF directories and strips, the BMP
     * header's size) reaches past its end. Empty where the content is structurally whole, or is no photo
     * at all; a whole file can still be damaged, which only decoding tells. Hosts that watch folders use it
     * to keep an upload in progress waiting rather than refusing it.
     */
    public static Optional<String> unfinished(byte[] content) {
        return PhotoCompleteness.unfinished(content);
    }
}
