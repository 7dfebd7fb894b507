package org.byol4j.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;

/**
 * Ctrl-C and timed checkpoints for a pretraining run. While open, a JVM shutdown hook (run on SIGINT or SIGTERM)
 * asks the trainer to stop after its current step ({@link #stopRequested()}) and holds the JVM up until
 * {@link #close()} says the trainer has written its final checkpoint (at most {@code graceSeconds}). It also asks
 * for a checkpoint every {@code checkpointMinutes} of wall time, besides the trainer's every-N-steps.
 */
final class RunControl implements PretrainingListener, AutoCloseable {

    private final double checkpointMinutes;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean stop;
    private long lastCheckpoint = System.nanoTime();

    /**
     * @param checkpointMinutes minutes between timed checkpoints, 0 for none
     * @param graceSeconds how long a shutdown waits for the final checkpoint
     */
    RunControl(double checkpointMinutes, long graceSeconds) {
        this.checkpointMinutes = checkpointMinutes;
        this.hook = new Thread(() -> {
            stop = true;
            try {
                finished.await(graceSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "byol4j-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public boolean stopRequested() {
        return stop;
    }

    @Override
    public boolean wantsCheckpoint(TrainingProgress progress) {
        return checkpointMinutes > 0 && System.nanoTime() - lastCheckpoint >= checkpointMinutes * 60e9;
    }

    @Override
    public void onCheckpoint(java.nio.file.Path path, long step) {
        lastCheckpoint = System.nanoTime();
    }

    /** Releases a waiting shutdown and removes the hook when no shutdown is under way. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that the latch is open
        }
    }
}
