package org.segue.plugin.osgi.api;

import java.util.concurrent.TimeUnit;

/** A running training job. */
public interface TrainingHandle {

    /** Asks the job to stop; it stops after the current training step (seconds, not minutes). */
    void cancel();

    boolean isDone();

    /** Waits for the job to end; returns whether it ended within the time. */
    boolean await(long time, TimeUnit unit) throws InterruptedException;
}
