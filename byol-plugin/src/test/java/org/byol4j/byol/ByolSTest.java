package org.byol4j.byol;

import static org.byol4j.byol.ByolConfig.FIXED_TAU;
import static org.byol4j.byol.ByolConfig.KEEP_TARGET;
import static org.byol4j.byol.ByolConfig.TAU_BASE;
import static org.byol4j.byol.ByolConfig.VARIANT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.byol4j.method.RunLength;
import org.byol4j.method.StepPhases;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.pretrain.PretrainingStep;
import org.byol4j.pretrain.TinyRuns;
import org.junit.jupiter.api.Test;

/**
 * BYOL-S shares its weights: its targets are the online network's own projections under a stop-gradient. So it
 * trains exactly as BYOL with τ = 0 (a target copied from the online network after every step), step for step, keeps
 * no second network, and differs from BYOL with the paper's τ from the second step on.
 */
class ByolSTest {

    private static final RunLength LENGTH = new RunLength(100, 0, 100);

    private static double[] steps(ByolMethod method, int count) {
        double[] losses = new double[count];
        try (StatefulOptimizer lars = TinyRuns.lars()) {
            PretrainingStep step = new PretrainingStep(method, lars);
            for (int i = 0; i < count; i++) {
                losses[i] = step.run(TinyRuns.randomBatch(TinyRuns.tinyConfig().build(), 10 + i), i,
                        new StepPhases()).loss();
            }
        }
        return losses;
    }

    @Test
    void itTrainsStepForStepAsByolWithTauZeroAndUnlikeByolWithTheSchedule() {
        ByolConfig shared = TinyRuns.tinyConfig().set(VARIANT, ByolVariant.BYOL_S).build();
        ByolConfig tauZero = TinyRuns.tinyConfig().set(FIXED_TAU, 0.0).build();
        ByolConfig paper = TinyRuns.tinyConfig().build();
        try (ByolMethod s = new ByolMethod(shared, LENGTH); ByolMethod z = new ByolMethod(tauZero, LENGTH);
                ByolMethod p = new ByolMethod(paper, LENGTH)) {
            double[] ls = steps(s, 3);
            double[] lz = steps(z, 3);
            double[] lp = steps(p, 3);
            for (int i = 0; i < 3; i++) {
                assertEquals(lz[i], ls[i], 1e-5, "step " + (i + 1) + ": the same targets as a copy of the online net");
            }
            assertEquals(lp[0], ls[0], 1e-5, "at the first step every target is a copy of the online network");
            assertNotEquals(lp[2], ls[2], 1e-4, "the paper's target lags the online network from then on");
            List<float[]> a = TinyRuns.snapshot(s.trainableParameters());
            List<float[]> b = TinyRuns.snapshot(z.trainableParameters());
            assertEquals(b.size(), a.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(b.get(i), a.get(i), 1e-5f, s.trainableParameters().get(i).getName());
            }
        }
    }

    @Test
    void itKeepsNoTargetNetworkNoTauAndASmallerCheckpoint() throws IOException {
        ByolConfig shared = TinyRuns.tinyConfig().set(VARIANT, ByolVariant.BYOL_S).build();
        try (ByolMethod s = new ByolMethod(shared, LENGTH);
                ByolMethod p = new ByolMethod(TinyRuns.tinyConfig().build(), LENGTH)) {
            assertNull(s.target());
            assertTrue(s.derivedSettings().isEmpty(), "no tau_base to record");
            steps(s, 1);
            assertEquals(s.trainableParameters().size(), p.trainableParameters().size(), "the same online network");
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            s.save(new DataOutputStream(a));
            p.save(new DataOutputStream(b));
            assertTrue(a.size() < b.size() * 0.8, "no f' and g' in the checkpoint: " + a.size() + " vs " + b.size());
        }
    }

    @Test
    void targetSettingsAreRefusedByNameForByolS() {
        PropertyException keep = assertThrows(PropertyException.class,
                () -> TinyRuns.tinyConfig().set(VARIANT, ByolVariant.BYOL_S).set(KEEP_TARGET, true).build());
        assertEquals("keepTarget", keep.getProperty());
        assertTrue(keep.getMessage().contains("no target network"), keep.getMessage());
        assertEquals("fixedTau", assertThrows(PropertyException.class, () -> TinyRuns.tinyConfig()
                .set(VARIANT, ByolVariant.BYOL_S).set(FIXED_TAU, 0.5).build()).getProperty());
        assertEquals("tauBase", assertThrows(PropertyException.class, () -> TinyRuns.tinyConfig()
                .set(VARIANT, ByolVariant.BYOL_S).set(TAU_BASE, 0.99).build()).getProperty());
        assertEquals("BYOL_S", TinyRuns.tinyConfig().set(VARIANT, ByolVariant.BYOL_S).build().recipe()
                .get("variant"));
    }
}
