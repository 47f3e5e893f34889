package org.segue.plugin.osgi.api;

import java.nio.file.Path;

/** Hears a training job's progress and its end (exactly one of completed, cancelled, failed). */
public interface TrainingListener {

    /** Progress: fraction done, a short status (epoch, losses) and the estimated seconds left. */
    default void progress(double fraction, String status, double secondsLeft) {
    }

    /** The model is written and FaceProtector uses it from its next request on. */
    default void completed(Path model) {
    }

    default void cancelled() {
    }

    default void failed(String reason) {
    }
}
