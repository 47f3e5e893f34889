package org.segue.engine.api;

/**
 * Receives progress of long work (training, batch protection, evaluation). Hosts adapt it to their
 * own display: a terminal bar, the ImageJ status line, OSGi events. Called on the worker thread.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = update -> { };

    void onProgress(Progress update);

    /**
     * One progress report.
     *
     * @param phase    what is running, e.g. "surrogate", "generator", "protect"
     * @param done     units finished so far in the whole job
     * @param total    units in the whole job
     * @param message  short human-readable status (losses, epoch), never file contents or names
     * @param elapsedSeconds seconds since the job started
     */
    record Progress(String phase, long done, long total, String message, double elapsedSeconds) {

        public double fraction() {
            return total <= 0 ? 0 : Math.min(1.0, (double) done / total);
        }

        /** Estimated seconds left, extrapolated from the rate so far; NaN before any progress. */
        public double etaSeconds() {
            return done <= 0 ? Double.NaN : elapsedSeconds * (total - done) / done;
        }
    }
}
