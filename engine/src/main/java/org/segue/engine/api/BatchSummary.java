package org.segue.engine.api;

import java.util.List;

/**
 * The outcome of protecting files and folder trees.
 *
 * @param photos    photos attempted
 * @param written   protected files written
 * @param faces     faces found in all photos
 * @param failed    the photos that failed, each with its reason
 * @param results   every photo, in the order they were taken
 * @param cancelled whether the batch stopped early on request
 * @param seconds   wall time
 */
public record BatchSummary(int photos, int written, int faces, List<PhotoResult> failed, List<PhotoResult> results,
                           boolean cancelled, double seconds) {

    /** Photos read without error in which no face was found (written with their pixels as they were). */
    public long withoutFaces() {
        return results.stream().filter(r -> !r.isFailed() && r.faces().isEmpty()).count();
    }
}
