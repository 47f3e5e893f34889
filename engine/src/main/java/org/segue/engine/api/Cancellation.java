package org.segue.engine.api;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

/** A cancellation flag the caller sets and long work polls between units of work. */
public final class Cancellation {

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean wrappingUp = new AtomicBoolean();

    /** A token nobody can cancel. */
    public static Cancellation none() {
        return new Cancellation();
    }

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * A gentler stop: take no new work, finish what was already read. A batch that groups faces across its
     * photos then groups and protects the photos its grouping pass has read, and ends as cancelled; a
     * {@link #cancel} after this still stops at once.
     */
    public void wrapUp() {
        wrappingUp.set(true);
    }

    /** Whether {@link #wrapUp} was asked for (or the work was cancelled outright). */
    public boolean isWrappingUp() {
        return wrappingUp.get() || cancelled.get();
    }

    /** Throws {@link CancellationException} once cancelled. */
    public void throwIfCancelled() {
        if (cancelled.get()) {
            throw new CancellationException("cancelled");
        }
    }
}
