package org.byol4j.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.nn.Parameter;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.byol4j.byol.ByolConfig;
import org.byol4j.byol.ByolMethod;
import org.byol4j.method.RunLength;
import org.byol4j.method.StepPhases;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.pretrain.PretrainingStep;
import org.byol4j.pretrain.TinyRuns;
import org.junit.jupiter.api.Test;

/**
 * The in-memory copies a diverged run goes back to: taken at the first step seen and every few steps after, the
 * newest two kept, the older one restored exactly (weights, BatchNorm statistics, optimiser buffers and counts),
 * without holding more arrays however often it is restored.
 */
class StateSnapshotsTest {

    private static final ByolConfig CONFIG = TinyRuns.tinyConfig().build();

    /** Trains one real step, so that weights, statistics and optimiser buffers all move. */
    private static void step(ByolMethod m, StatefulOptimizer opt, long step) {
        new PretrainingStep(m, opt).run(TinyRuns.randomBatch(CONFIG, step), step, new StepPhases());
    }

    /** @return the whole state as a checkpoint writes it */
    private static byte[] state(ByolMethod m, StatefulOptimizer opt) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            m.save(out);
            List<Parameter> params = m.trainableParameters();
            opt.saveState(out, params.stream().map(Parameter::getId).toList(),
                    params.stream().map(Parameter::getArray).toList());
        }
        return bytes.toByteArray();
    }

    @Test
    void theOlderOfTheNewestTwoCopiesIsRestoredExactly() throws IOException {
        try (ByolMethod m = new ByolMethod(CONFIG, new RunLength(100, 0, 100));
                StatefulOptimizer opt = TinyRuns.lars()) {
            StateSnapshots snapshots = new StateSnapshots(2, m, opt);
            byte[] atStep2 = null;
            for (long s = 0; s < 5; s++) {
                snapshots.takeIfDue(s);
                if (s == 2) {
                    atStep2 = state(m, opt);
                }
                step(m, opt, s);
            }
            // copies at steps 0, 2 and 4 were taken; 2 and 4 are kept
            assertFalse(Arrays.equals(atStep2, state(m, opt)), "the steps after 2 changed the state");
            assertEquals(2, snapshots.restoreOldest());
            assertArrayEquals(atStep2, state(m, opt));
            // the newer copy was forgotten: going back again goes to step 2 again
            step(m, opt, 2);
            assertEquals(2, snapshots.restoreOldest());
            assertArrayEquals(atStep2, state(m, opt));
        }
    }

    @Test
    void theFirstStepSeenIsCopiedWhateverItsNumber() throws IOException {
        try (ByolMethod m = new ByolMethod(CONFIG, new RunLength(100, 0, 100));
                StatefulOptimizer opt = TinyRuns.lars()) {
            StateSnapshots snapshots = new StateSnapshots(100, m, opt);
            step(m, opt, 0);
            byte[] resumedAt = state(m, opt);
            snapshots.takeIfDue(37);
            step(m, opt, 37);
            snapshots.takeIfDue(38);
            assertEquals(37, snapshots.restoreOldest());
            assertArrayEquals(resumedAt, state(m, opt));
        }
    }

    @Test
    void restoringOftenHoldsNoMoreArrays() {
        try (ByolMethod m = new ByolMethod(CONFIG, new RunLength(100, 0, 100));
                StatefulOptimizer opt = TinyRuns.lars()) {
            StateSnapshots snapshots = new StateSnapshots(100, m, opt);
            snapshots.takeIfDue(0);
            step(m, opt, 0);
            snapshots.restoreOldest();
            int live = m.manager().getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                step(m, opt, 0);
                snapshots.restoreOldest();
            }
            assertEquals(live, m.manager().getManagedArrays().size(), "arrays replaced by a restore must be freed");
        }
    }

    @Test
    void nothingToRestoreBeforeTheFirstCopy() {
        try (ByolMethod m = new ByolMethod(CONFIG, new RunLength(100, 0, 100));
                StatefulOptimizer opt = TinyRuns.lars()) {
            StateSnapshots snapshots = new StateSnapshots(100, m, opt);
            IllegalStateException e = assertThrows(IllegalStateException.class, snapshots::restoreOldest);
            assertEquals("no state has been copied yet", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new StateSnapshots(0, m, opt));
        }
    }
}
