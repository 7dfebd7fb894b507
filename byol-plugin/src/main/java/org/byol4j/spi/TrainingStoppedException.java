package org.byol4j.spi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Thrown by {@link RepresentationTrainer#train} when its listener asked to stop
 * ({@link PretrainingListener#stopRequested()}): the run ended cleanly after a step, and its last state is in the
 * named checkpoint (when the trainer had a checkpoint directory), ready to resume.
 */
public final class TrainingStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final long totalSteps;
    private final transient Path checkpoint;

    /**
     * @param step steps done
     * @param totalSteps steps the run was to take; 0 when it stopped while planning its length (a time-budgeted
     *     run measuring its step rate), before any step
     * @param checkpoint the checkpoint holding that state, or null when the run had none
     */
    public TrainingStoppedException(long step, long totalSteps, Path checkpoint) {
        super(totalSteps == 0 ? "training stopped on request while planning the run's length, before its first step"
                : "training stopped on request after step " + step + " of " + totalSteps
                + (checkpoint == null ? " (no checkpoint directory: the state is not saved)"
                        : "; resume from " + checkpoint));
        this.step = step;
        this.totalSteps = totalSteps;
        this.checkpoint = checkpoint;
    }

    /** @return steps done */
    public long step() {
        return step;
    }

    /** @return steps the run was to take */
    public long totalSteps() {
        return totalSteps;
    }

    /** @return the checkpoint holding the state, if one was written */
    public Optional<Path> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }
}
