package org.segue.plugin.imagej;

import ij.IJ;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;

/**
 * Engine progress shown the ImageJ way: the progress bar, and a status line with the phase, the
 * engine's message and the time left. Pressing Escape in ImageJ cancels the job.
 */
final class ImageJProgress implements ProgressListener {

    private final String command;
    private final Cancellation cancellation;

    ImageJProgress(String command, Cancellation cancellation) {
        this.command = command;
        this.cancellation = cancellation;
        IJ.resetEscape();
    }

    @Override
    public void onProgress(Progress p) {
        if (IJ.escapePressed()) {
            cancellation.cancel();
        }
        IJ.showProgress(p.fraction());
        double eta = p.etaSeconds();
        IJ.showStatus(command + ": " + p.phase() + " " + p.done() + "/" + p.total() + " - " + p.message()
                + (Double.isNaN(eta) ? "" : String.format(" - %.0f s left", eta))
                + " (Esc cancels)");
    }

    void done() {
        IJ.showProgress(1.0);
    }
}
