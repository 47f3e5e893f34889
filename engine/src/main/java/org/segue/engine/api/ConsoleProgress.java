package org.segue.engine.api;

import java.io.PrintStream;

/**
 * A one-line progress bar for console hosts (the command-line tools), redrawn at most a few times per
 * second.
 */
public final class ConsoleProgress implements ProgressListener {

    private final PrintStream out;
    private long lastDraw;

    public ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onProgress(Progress p) {
        long now = System.nanoTime();
        if (now - lastDraw < 250_000_000L && p.done() < p.total()) {
            return;
        }
        lastDraw = now;
        int width = 30;
        int filled = (int) Math.round(p.fraction() * width);
        double eta = p.etaSeconds();
        out.printf("\r[%s%s] %3.0f%% %s | %s | ETA %s   ", "#".repeat(filled), " ".repeat(width - filled),
                100 * p.fraction(), p.phase(), p.message(), Double.isNaN(eta) ? "?" : formatSeconds(eta));
        if (p.done() >= p.total()) {
            out.println();
        }
        out.flush();
    }

    public static String formatSeconds(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%dh%02dm", t / 3600, (t % 3600) / 60) : String.format("%dm%02ds", t / 60, t % 60);
    }
}
