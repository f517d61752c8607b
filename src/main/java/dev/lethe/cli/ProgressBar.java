package dev.lethe.cli;

import dev.lethe.model.Training;
import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn at most five times a second. */
public final class ProgressBar implements Training.Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastDraw;
    private double smoothedLoss = Double.NaN;

    public ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onStep(int epoch, int epochs, int step, int steps, double loss) {
        smoothedLoss = Double.isNaN(smoothedLoss) ? loss : 0.98 * smoothedLoss + 0.02 * loss;
        long now = System.nanoTime();
        boolean last = step == steps;
        if (!last && now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        double done = ((epoch - 1) + step / (double) steps) / epochs;
        double elapsed = (now - start) / 1e9;
        double eta = done > 0 ? elapsed * (1 - done) / done : 0;
        int filled = (int) Math.round(done * WIDTH);
        out.printf("\r  epoch %d/%d [%s%s] %3.0f%%  loss %.3f  %s elapsed, ~%s left ", epoch, epochs,
                "#".repeat(filled), ".".repeat(WIDTH - filled), done * 100, smoothedLoss, clock(elapsed), clock(eta));
        if (last) {
            out.println();
        }
        out.flush();
    }

    /** A bar for a count of work items (e.g. classes tuned). */
    public static void items(PrintStream out, String what, int done, int total) {
        int filled = (int) Math.round(done / (double) total * WIDTH);
        out.printf("\r  %s [%s%s] %d/%d ", what, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total);
        if (done == total) {
            out.println();
        }
        out.flush();
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
