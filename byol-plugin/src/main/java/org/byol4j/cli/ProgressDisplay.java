package org.byol4j.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;

/**
 * Shows a run's progress: on a terminal, one self-updating line (a bar, steps, pairs/s, ETA, loss), redrawn at
 * most a few times a second; otherwise (a log file, a CI job) a plain line every 5 % of the run and per epoch.
 */
final class ProgressDisplay implements PretrainingListener {

    private static final int BAR = 30;
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long firstStep = -1;
    private long lastDraw;
    private long lastLoggedPercent = -5;
    private double smoothedRate;

    /**
     * @param out where to draw
     * @param terminal whether {@code out} is an interactive terminal
     */
    ProgressDisplay(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void onStep(TrainingProgress p) {
        if (firstStep < 0) {
            firstStep = p.step() - 1;
        }
        smoothedRate = smoothedRate == 0 ? p.pairsPerSecond() : 0.9 * smoothedRate + 0.1 * p.pairsPerSecond();
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDraw >= REDRAW_NANOS || p.step() == p.totalSteps()) {
                lastDraw = now;
                out.print("\r" + line(p, now));
                if (p.step() == p.totalSteps()) {
                    out.println();
                }
                out.flush();
            }
        } else {
            long percent = 100 * p.step() / Math.max(1, p.totalSteps());
            if (percent / 5 != lastLoggedPercent / 5 || p.step() == p.totalSteps()) {
                lastLoggedPercent = percent;
                out.println(line(p, now));
            }
        }
    }

    @Override
    public void onEpoch(TrainingProgress p) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "epoch %d done: step %d/%d, mean loss %.4f,"
                + " lr %.4f, %.0f pairs/s", p.epoch() + 1, p.step(), p.totalSteps(), p.loss(), p.learningRate(),
                p.pairsPerSecond()));
        p.metrics().forEach((name, value) -> text.append(String.format(Locale.ROOT, ", %s %.5f", name, value)));
        out.println(terminal ? "\r" + text + " ".repeat(20) : text);
    }

    /** @return the progress line for a step */
    String line(TrainingProgress p, long now) {
        double fraction = p.step() / (double) Math.max(1, p.totalSteps());
        int filled = (int) Math.round(fraction * BAR);
        double elapsed = (now - started) / 1e9;
        long done = p.step() - firstStep;
        double eta = done > 0 ? elapsed / done * (p.totalSteps() - p.step()) : Double.NaN;
        return String.format(Locale.ROOT, "[%s%s] %3.0f%% step %d/%d  %.0f pairs/s  ETA %s  loss %.4f",
                "#".repeat(filled), ".".repeat(BAR - filled), 100 * fraction, p.step(), p.totalSteps(),
                smoothedRate, duration(eta), p.loss());
    }

    /** @return seconds as {@code 1h02m}, {@code 3m07s} or {@code 12s} */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
