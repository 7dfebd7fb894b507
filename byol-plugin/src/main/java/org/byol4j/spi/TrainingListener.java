package org.byol4j.spi;

/** Receives progress from a {@link RepresentationTrainer}; every method does nothing by default. */
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {};

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
}
