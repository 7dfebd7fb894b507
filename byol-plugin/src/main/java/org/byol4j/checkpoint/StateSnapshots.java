package org.byol4j.checkpoint;

import ai.djl.MalformedModelException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.byol4j.nn.TrainableNetworks;
import org.byol4j.optim.StatefulOptimizer;

/**
 * In-memory copies of a run's complete state (the method's weights, BatchNorm statistics included, and the
 * optimiser's buffers and update counts) taken every few steps, so that a run whose loss turns non-finite can go back
 * to a state from before the trouble and repeat the steps since ({@code org.byol4j.pretrain.Pretrainer}). Since the
 * data order and every
 * augmentation are functions of (seed, epoch, position), the repeated steps are the same steps.
 *
 * <p>The newest {@value #KEPT} are kept and a rollback goes to the older of them, between one and two spacings back:
 * weights can grow for many steps before a forward pass overflows (bench/NOTES.md entry 9: a BatchNorm β at 2.5e31
 * when the loss first came out NaN), so the newest copy may already hold them. Each copy holds what a checkpoint
 * file does, on the Java heap: two checkpoints' worth of memory for the run.
 */
public final class StateSnapshots {

    /** Copies kept. */
    static final int KEPT = 2;

    private final int every;
    private final TrainableNetworks method;
    private final StatefulOptimizer optimiser;
    private final Deque<Snapshot> kept = new ArrayDeque<>();

    private record Snapshot(long step, byte[] state) {}

    /**
     * @param every steps between copies (≥ 1)
     * @param method the method whose state to copy
     * @param optimiser the optimiser of its trainable parameters
     */
    public StateSnapshots(int every, TrainableNetworks method, StatefulOptimizer optimiser) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be >= 1, got " + every);
        }
        this.every = every;
        this.method = method;
        this.optimiser = optimiser;
    }

    /**
     * Copies the state when none is held yet (the run's first step, or the step it resumed at) or when the step is a
     * multiple of the spacing; the oldest copy beyond {@value #KEPT} is dropped.
     *
     * @param step steps done
     */
    public void takeIfDue(long step) {
        if (!kept.isEmpty() && (step % every != 0 || kept.peekLast().step() == step)) {
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(kept.isEmpty() ? 1 << 16
                : kept.peekLast().state().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Checkpoint.writeState(out, method, optimiser);
        } catch (IOException e) {
            throw new UncheckedIOException("copying the run's state in memory failed", e);
        }
        kept.addLast(new Snapshot(step, bytes.toByteArray()));
        if (kept.size() > KEPT) {
            kept.removeFirst();
        }
    }

    /**
     * Puts back the oldest copy held and forgets the newer ones (they were taken on the way to the trouble).
     *
     * @return the step the restored state is after
     * @throws IllegalStateException when no copy has been taken
     */
    public long restoreOldest() {
        Snapshot oldest = kept.peekFirst();
        if (oldest == null) {
            throw new IllegalStateException("no state has been copied yet");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(oldest.state()))) {
            Checkpoint.readState(in, method, optimiser);
        } catch (IOException | MalformedModelException e) {
            throw new IllegalStateException("restoring the run's state from memory failed", e);
        }
        kept.clear();
        kept.addLast(oldest);
        return oldest.step();
    }
}
