package org.byol4j.spi;

import java.util.List;
import org.byol4j.backbone.Backbone;

/** Receives progress from a {@link RepresentationTrainer}; every method does nothing by default. */
public interface PretrainingListener {

    /** A listener that ignores everything. */
    PretrainingListener NONE = new PretrainingListener() {};

    /**
     * Called after every optimiser step.
     *
     * @param progress the state after the step
     */
    default void onStep(TrainingProgress progress) {}

    /**
     * Called after every epoch, with the epoch's mean loss.
     *
     * @param progress the state after the epoch
     */
    default void onEpoch(TrainingProgress progress) {}

    /**
     * Called when a checkpoint was written.
     *
     * @param path the checkpoint file
     * @param step steps it holds
     */
    default void onCheckpoint(java.nio.file.Path path, long step) {}

    /**
     * Asks for a copy of the online backbone after an epoch (for monitors such as a kNN evaluation); the copy
     * costs one serialisation of the weights, so trainers make it only when asked.
     *
     * @param epoch the epoch just finished (0-based)
     * @return whether {@link #onBackbone} should be called for it
     */
    default boolean wantsBackbone(int epoch) {
        return false;
    }

    /**
     * Receives a frozen copy of the online backbone after an epoch for which {@link #wantsBackbone} was true.
     * The trainer closes it after the call returns; do not keep it.
     *
     * @param epoch the epoch just finished (0-based)
     * @param online the copy, in inference mode
     */
    default void onBackbone(int epoch, Backbone online) {}

    /**
     * Asks for a copy of the online backbone after a step (for snapshots at chosen steps or wall-clock times, as
     * the quality benchmark takes); like {@link #wantsBackbone(int)}, the copy is made only when asked.
     *
     * @param progress the state after the step
     * @return whether {@link #onBackbone(TrainingProgress, Backbone)} should be called for it
     */
    default boolean wantsBackbone(TrainingProgress progress) {
        return false;
    }

    /**
     * Receives a frozen copy of the online backbone after a step for which
     * {@link #wantsBackbone(TrainingProgress)} was true. The trainer closes it after the call returns; save it
     * (e.g. {@link Backbone#save}) to keep it.
     *
     * @param progress the state after the step
     * @param online the copy, in inference mode
     */
    default void onBackbone(TrainingProgress progress, Backbone online) {}

    /**
     * Polled after every step: true writes a checkpoint now, when the trainer has a checkpoint directory (for
     * checkpoints every N minutes, besides the trainer's every-N-steps).
     * @param progress the state after the step
     * @return whether to checkpoint after this step
     */
    default boolean wantsCheckpoint(TrainingProgress progress) {
        return false;
    }

    /**
     * Polled after every step: true ends the run after this step, with a final checkpoint when the trainer has a
     * checkpoint directory; {@code train} then throws {@link TrainingStoppedException}. This is how a command
     * line stops cleanly on Ctrl-C.
     * @return whether to stop now
     */
    default boolean stopRequested() {
        return false;
    }

    /**
     * @param listeners listeners to notify in order
     * @return one listener that forwards every call to all of them
     */
    static PretrainingListener all(PretrainingListener... listeners) {
        List<PretrainingListener> list = List.of(listeners);
        return new PretrainingListener() {
            @Override
            public void onStep(TrainingProgress progress) {
                list.forEach(l -> l.onStep(progress));
            }

            @Override
            public void onEpoch(TrainingProgress progress) {
                list.forEach(l -> l.onEpoch(progress));
            }

            @Override
            public void onCheckpoint(java.nio.file.Path path, long step) {
                list.forEach(l -> l.onCheckpoint(path, step));
            }

            @Override
            public boolean wantsBackbone(int epoch) {
                return list.stream().anyMatch(l -> l.wantsBackbone(epoch));
            }

            @Override
            public void onBackbone(int epoch, Backbone online) {
                list.stream().filter(l -> l.wantsBackbone(epoch)).forEach(l -> l.onBackbone(epoch, online));
            }

            @Override
            public boolean wantsCheckpoint(TrainingProgress progress) {
                return list.stream().anyMatch(l -> l.wantsCheckpoint(progress));
            }

            @Override
            public boolean stopRequested() {
                return list.stream().anyMatch(PretrainingListener::stopRequested);
            }

            @Override
            public boolean wantsBackbone(TrainingProgress progress) {
                return list.stream().anyMatch(l -> l.wantsBackbone(progress));
            }

            @Override
            public void onBackbone(TrainingProgress progress, Backbone online) {
                list.stream().filter(l -> l.wantsBackbone(progress)).forEach(l -> l.onBackbone(progress, online));
            }
        };
    }
}
