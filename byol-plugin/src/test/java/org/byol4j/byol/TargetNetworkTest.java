package org.byol4j.byol;

import static org.byol4j.byol.ByolConfig.FIXED_TAU;
import static org.byol4j.byol.ByolConfig.KEEP_TARGET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.byol4j.optim.ExponentialMovingAverage;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.pretrain.PretrainingStep;
import org.byol4j.method.RunLength;
import org.byol4j.method.StepPhases;
import org.byol4j.pretrain.TinyRuns;
import org.junit.jupiter.api.Test;

class TargetNetworkTest {

    private static boolean anyDiffers(List<float[]> a, List<float[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static List<Parameter> onlineFG(ByolMethod nets) {
        List<Parameter> out = new ArrayList<>(nets.online().backbone().getParameters().values());
        out.addAll(nets.online().projector().getParameters().values());
        return out;
    }

    /** BYOL's networks for a run of 100 steps; τ = 1 so that a step's own target update leaves the target alone. */
    private static ByolMethod frozenTarget(ByolConfig config) {
        return new ByolMethod(config, new RunLength(100, 0, 100));
    }

    @Test
    void startsAsAnExactCopyAndIsFrozen() {
        try (ByolMethod nets = frozenTarget(TinyRuns.tinyConfig().build())) {
            List<float[]> online = TinyRuns.snapshot(onlineFG(nets));
            List<float[]> target = TinyRuns.snapshot(nets.target().parameters());
            assertEquals(online.size(), target.size());
            for (int i = 0; i < online.size(); i++) {
                assertArrayEquals(online.get(i), target.get(i), 0f);
            }
            for (Parameter p : nets.target().parameters()) {
                assertFalse(p.requiresGradient(), p.getName() + " of the target must be frozen");
            }
            assertFalse(nets.trainableParameters().isEmpty());
        }
    }

    @Test
    void optimiserStepLeavesTheTargetUntouchedAndEmaFollowsTheFormula() {
        ByolConfig config = TinyRuns.tinyConfig().set(FIXED_TAU, 1.0).build();
        try (ByolMethod nets = frozenTarget(config); StatefulOptimizer opt = TinyRuns.lars()) {
            List<float[]> targetBefore = TinyRuns.snapshot(nets.target().parameters());
            List<float[]> onlineBefore = TinyRuns.snapshot(onlineFG(nets));
            new PretrainingStep(nets, opt).run(TinyRuns.randomBatch(config, 1), 0, new StepPhases());
            List<float[]> targetAfterStep = TinyRuns.snapshot(nets.target().parameters());
            List<Parameter> targetParams = nets.target().parameters();
            for (int i = 0; i < targetBefore.size(); i++) {
                if (!ExponentialMovingAverage.isRunningStatistic(targetParams.get(i))) {
                    assertArrayEquals(targetBefore.get(i), targetAfterStep.get(i), 0f,
                            "the optimiser step changed target parameter " + targetParams.get(i).getName());
                }
            }
            List<float[]> onlineAfter = TinyRuns.snapshot(onlineFG(nets));
            assertTrue(anyDiffers(onlineBefore, onlineAfter), "the online network did not move");

            double tau = 0.9;
            nets.target().update(tau);
            List<float[]> ema = TinyRuns.snapshot(nets.target().parameters());
            for (int i = 0; i < ema.size(); i++) {
                if (ExponentialMovingAverage.isRunningStatistic(targetParams.get(i))) {
                    // Running statistics follow the target's own batches, not the average.
                    assertArrayEquals(targetAfterStep.get(i), ema.get(i), 0f);
                    continue;
                }
                float[] xi = targetBefore.get(i);
                float[] theta = onlineAfter.get(i);
                float[] expected = new float[xi.length];
                for (int j = 0; j < xi.length; j++) {
                    expected[j] = (float) (tau * xi[j] + (1 - tau) * theta[j]);
                }
                assertArrayEquals(expected, ema.get(i), 1e-5f, "EMA of parameter " + i);
            }
        }
    }

    @Test
    void tauOneFreezesAndTauZeroCopies() {
        ByolConfig config = TinyRuns.tinyConfig().set(FIXED_TAU, 1.0).build();
        try (ByolMethod nets = frozenTarget(config); StatefulOptimizer opt = TinyRuns.lars()) {
            List<Parameter> targetParams = nets.target().parameters();
            List<float[]> initial = TinyRuns.snapshot(targetParams);
            new PretrainingStep(nets, opt).run(TinyRuns.randomBatch(config, 2), 0, new StepPhases());
            nets.target().update(1.0);
            List<float[]> frozen = TinyRuns.snapshot(targetParams);
            List<float[]> online = TinyRuns.snapshot(onlineFG(nets));
            nets.target().update(0.0);
            List<float[]> copied = TinyRuns.snapshot(targetParams);
            for (int i = 0; i < initial.size(); i++) {
                if (!ExponentialMovingAverage.isRunningStatistic(targetParams.get(i))) {
                    assertArrayEquals(initial.get(i), frozen.get(i), 0f, "tau = 1 moved " + i);
                    assertArrayEquals(online.get(i), copied.get(i), 0f, "tau = 0 did not copy " + i);
                }
            }
        }
    }

    @Test
    void keepTargetMakesTheMovingAverageTheRunsBackbone() {
        ByolConfig online = TinyRuns.tinyConfig().build();
        ByolConfig keep = TinyRuns.tinyConfig().set(KEEP_TARGET, true).set(FIXED_TAU, 0.5).build();
        try (ByolMethod a = frozenTarget(online); ByolMethod b = frozenTarget(keep);
                StatefulOptimizer opt = TinyRuns.lars()) {
            assertSame(a.online().backbone(), a.backbone(), "the paper keeps the online f");
            assertSame(b.target().backbone(), b.backbone(), "keepTarget keeps f'");
            new PretrainingStep(b, opt).run(TinyRuns.randomBatch(keep, 3), 0, new StepPhases());
            List<float[]> kept = TinyRuns.snapshot(new ArrayList<>(b.backbone().getParameters().values()));
            List<float[]> onlineF =
                    TinyRuns.snapshot(new ArrayList<>(b.online().backbone().getParameters().values()));
            assertTrue(anyDiffers(kept, onlineF), "after a step with tau = 0.5 the kept"
                    + " backbone must be the average, not the online f");
            assertEquals("true", keep.recipe().get("keepTarget"));
        }
    }
}
