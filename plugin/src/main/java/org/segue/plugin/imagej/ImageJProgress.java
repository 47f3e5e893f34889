package org.segue.plugin.imagej;

import ij.IJ;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;

/**
 * Engine progress shown the ImageJ way: the progress bar, and a status line with the phase, the
 * engine's message and the time left. Escape stops the job without losing what was done: while a folder's
 * faces are being grouped, the first Escape groups and protects the photos read so far (a second one stops
 * at once); otherwise Escape stops after the current unit of work.
 */
final class ImageJProgress implements ProgressListener {

    /** The phase of a grouped batch in which photos are read and their faces collected (nothing written yet). */
    static final String GROUPING_PHASE = "group faces";

    private final String command;
    private final Cancellation cancellation;
    private volatile boolean wrappingUp;

    ImageJProgress(String command, Cancellation cancellation) {
        this.command = command;
        this.cancellation = cancellation;
        IJ.resetEscape();
    }

    @Override
    public void onProgress(Progress p) {
        if (IJ.escapePressed()) {
            escape(p.phase());
        }
        IJ.showProgress(p.fraction());
        double eta = p.etaSeconds();
        String hint = cancellation.isCancelled() ? " (stopping)"
                : wrappingUp ? " (finishing the photos read so far; Esc stops now)" : " (Esc stops)";
        IJ.showStatus(command + ": " + p.phase() + " " + p.done() + "/" + p.total() + " - " + p.message()
                + (Double.isNaN(eta) ? "" : String.format(" - %.0f s left", eta)) + hint);
    }

    /** What Escape does in a phase: wraps a grouping pass up (once), stops anything else. */
    void escape(String phase) {
        if (GROUPING_PHASE.equals(phase) && !wrappingUp) {
            wrappingUp = true;
            cancellation.wrapUp();
            IJ.resetEscape(); // a second Escape stops outright
            IJ.log(command + ": Escape - no more photos are read; the photos read so far are grouped and "
                    + "protected (Esc again stops now)");
        } else {
            cancellation.cancel();
        }
    }

    boolean isWrappingUp() {
        return wrappingUp;
    }

    void done() {
        IJ.showProgress(1.0);
    }
}
