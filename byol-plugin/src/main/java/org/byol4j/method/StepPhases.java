package org.byol4j.method;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where the time of a pretraining run's steps goes, accumulated with {@link System#nanoTime()} at the phase
 * boundaries (the PyTorch CPU engine runs each operation to completion, so the boundaries are real): waiting for the
 * next view batch, copying it into the engine, gradient-free forward passes (BYOL's target), the forward passes
 * of the trained networks and the loss, the backward pass, the optimiser update and the method's update after it
 * (BYOL's moving average).
 */
public final class StepPhases {

    /** The phases, in step order. */
    public enum Phase {
        /** Waiting for the loader's next batch of view pairs. */
        DATA_WAIT,
        /** Copying the batch into engine arrays. */
        UPLOAD,
        /** Forward passes without gradient (BYOL's target projections of both views); 0 for other methods. */
        TARGET_FORWARD,
        /** Forward passes of the trained networks on both views, and the loss. */
        FORWARD,
        /** Gradients of the loss. */
        BACKWARD,
        /** The optimiser update of the trained parameters. */
        OPTIMISER,
        /** The method's update after the optimiser step (BYOL: ξ ← τξ + (1 − τ)θ); 0 for methods without one. */
        AFTER_STEP;

        /** @return the phase's name for people: lower case, words apart ({@code "target forward"}) */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    private final long[] nanos = new long[Phase.values().length];
    private long steps;
    private long mark;

    /** Starts timing the next phase. */
    public void start() {
        mark = System.nanoTime();
    }

    /**
     * Ends a phase: the time since the last {@link #start()} or {@code end} counts to it.
     *
     * @param phase the phase that just ended
     */
    public void end(Phase phase) {
        long now = System.nanoTime();
        nanos[phase.ordinal()] += now - mark;
        mark = now;
    }

    /** Counts one step. */
    public void step() {
        steps++;
    }

    /** @return the steps timed */
    public long steps() {
        return steps;
    }

    /**
     * @return one line: milliseconds per step of each phase that took time, e.g. {@code "data wait 0.4 ms,
     *     upload 0.3 ms, ..., after step 5.1 ms (mean of 1000 steps)"}; empty before the first step
     */
    public String describe() {
        StringJoiner line = new StringJoiner(", ", "", String.format(Locale.ROOT, " (mean of %d steps)", steps));
        line.setEmptyValue("");
        millisPerStep().forEach((phase, ms) -> {
            if (ms > 0) {
                line.add(String.format(Locale.ROOT, "%s %.1f ms", phase.label(), ms));
            }
        });
        return line.toString();
    }

    /** @return milliseconds per step of each phase, in step order (empty before the first step) */
    public Map<Phase, Double> millisPerStep() {
        Map<Phase, Double> out = new LinkedHashMap<>();
        if (steps > 0) {
            for (Phase p : Phase.values()) {
                out.put(p, nanos[p.ordinal()] / 1e6 / steps);
            }
        }
        return out;
    }
}
