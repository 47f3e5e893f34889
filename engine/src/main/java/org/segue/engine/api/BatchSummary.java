package org.segue.engine.api;

import java.util.List;

/**
 * The outcome of protecting files and folder trees.
 *
 * @param photos    photos attempted
 * @param written   files written (protected photos, and copies of photos without a face under the copy policy)
 * @param faces     faces found in all photos
 * @param failed    the photos that failed, each with its reason
 * @param results   every photo, in the order they were taken
 * @param cancelled whether the batch stopped early on request
 * @param seconds   wall time
 */
public record BatchSummary(int photos, int written, int faces, List<PhotoResult> failed, List<PhotoResult> results,
                           boolean cancelled, double seconds) {

    /**
     * The photos read without error in which no face was found: nothing in them was protected, so a person
     * should look at them (a missed face is as recognisable as before).
     */
    public List<PhotoResult> withoutFaces() {
        return results.stream().filter(PhotoResult::hasNoFace).toList();
    }

    /**
     * The summary as JSON, in the format of the batch's report file ({@link BatchRequest#REPORT_NAME}): totals, one
     * entry per photo under "reports", and "withoutFaces". It holds no person names and no pixels.
     */
    public String toJson() {
        return org.segue.engine.photo.BatchReport.toJson(this);
    }
}
