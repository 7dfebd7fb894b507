package org.byol4j.byol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the time of a BYOL run's steps goes, accumulated with {@link System#nanoTime()} at the phase boundaries
 * (the PyTorch CPU engine runs each operation to completion, so the boundaries are real): waiting for the next view
 * batch, copying it into the engine, the target's forward passes, the online forward passes and the loss, the
 * backward pass, the optimiser update and the target's moving-average update.
 */
public final class StepPhases {

    /** The phases, in step order. */
    public enum Phase {
        /** Waiting for the loader's next batch of view pairs. */
        DATA_WAIT,
        /** Copying the batch into engine arrays. */
        UPLOAD,
        /** Target projections of both views (no gradient). */
        TARGET_FORWARD,
        /** Online projections and predictions of both views, and the loss. */
        ONLINE_FORWARD,
        /** Gradients of the loss. */
        BACKWARD,
        /** The optimiser update of the online parameters. */
        OPTIMISER,
        /** ξ ← τξ + (1 − τ)θ. */
        TARGET_EMA
    }

    private final long[] nanos = new long[Phase.values().length];
    private long steps;
    private long mark;

    /** Starts timing the next phase. */
    void start() {
        mark = System.nanoTime();
    }

    /** Ends a phase: the time since the last {@link #start()} or {@link #end} counts to it. */
    void end(Phase phase) {
        long now = System.nanoTime();
        nanos[phase.ordinal()] += now - mark;
        mark = now;
    }

    /** Counts one step. */
    void step() {
        steps++;
    }

    /** @return the steps timed */
    public long steps() {
        return steps;
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
