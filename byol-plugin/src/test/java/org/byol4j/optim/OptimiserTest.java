package org.byol4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.byol4j.engine.OfflineEngine;
import org.junit.jupiter.api.Test;

/**
 * One and two optimiser updates of known tensors, worked out by hand. Each update gets its own copy of the
 * gradient: an update may use the gradient as scratch space, as the training step zeroes it after.
 */
class OptimiserTest {

    private static Lars lars(float trust, float decay) {
        return Lars.builder().setLearningRateTracker(Tracker.fixed(0.1f)).optMomentum(0.9f)
                .optTrustCoefficient(trust).optWeightDecays(decay).build();
    }

    @Test
    void larsScalesTheDecayedGradientByTheTrustRatio() {
        try (NDManager m = OfflineEngine.get().newBaseManager(); Lars opt = lars(0.6f, 0.1f)) {
            // A matrix (rank 2) is adapted. w = [[3, 4]] (‖w‖ = 5), g = [[0.6, 0.8]].
            NDArray w = m.create(new float[] {3f, 4f}, new Shape(1, 2));
            NDArray g = m.create(new float[] {0.6f, 0.8f}, new Shape(1, 2));
            // Step 1: g + 0.1·w = [0.9, 1.2] (norm 1.5); trust 0.6·5/1.5 = 2; v = [1.8, 2.4];
            // w = w − 0.1·v = [2.82, 3.76].
            opt.update("w", w, g.duplicate());
            assertArrayEquals(new float[] {2.82f, 3.76f}, w.toFloatArray(), 1e-5f);
            // Step 2: g + 0.1·w = [0.882, 1.176] (norm 1.47), ‖w‖ = 4.7, trust = 0.6·4.7/1.47;
            // v = 0.9·[1.8, 2.4] + trust·[0.882, 1.176] = [3.312, 4.416]; w = [2.4888, 3.3184].
            opt.update("w", w, g.duplicate());
            assertArrayEquals(new float[] {2.4888f, 3.3184f}, w.toFloatArray(), 1e-4f);
        }
    }

    /**
     * Plain SGD (SimSiam's optimiser) decays every parameter, as {@code torch.optim.SGD}: a bias or BatchNorm γ/β
     * too, where LARS leaves them undecayed. Zero gradient, decay 0.1, lr 0.1: one step takes w to w − 0.1·0.1·w.
     */
    @Test
    void aParameterNamedWithoutTrustRatioTakesAPlainDecayedMomentumStep() {
        try (NDManager m = OfflineEngine.get().newBaseManager(); Lars opt = lars(0.6f, 0.1f)) {
            opt.setWithoutTrustRatio(Set.of("head"));
            // The same matrix as above, w = [[3, 4]], g = [[0.6, 0.8]]: g + 0.1·w = [0.9, 1.2], no trust ratio;
            // v = [0.9, 1.2]; w = w − 0.1·v = [2.91, 3.88] (with the trust ratio of 2 it was [2.82, 3.76]).
            NDArray w = m.create(new float[] {3f, 4f}, new Shape(1, 2));
            opt.update("head", w, m.create(new float[] {0.6f, 0.8f}, new Shape(1, 2)));
            assertArrayEquals(new float[] {2.91f, 3.88f}, w.toFloatArray(), 1e-6f);
            NDArray other = m.create(new float[] {3f, 4f}, new Shape(1, 2));
            opt.update("backbone", other, m.create(new float[] {0.6f, 0.8f}, new Shape(1, 2)));
            assertArrayEquals(new float[] {2.82f, 3.76f}, other.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void sgdDecaysBiasesAndNormParametersWhereLarsDoesNot() {
        try (NDManager m = OfflineEngine.get().newBaseManager();
                Lars sgd = Lars.sgdBuilder().setLearningRateTracker(Tracker.fixed(0.1f)).optWeightDecays(0.1f).build();
                Lars lars = lars(0.6f, 0.1f)) {
            NDArray b = m.create(new float[] {3f, 4f});
            sgd.update("b", b, m.zeros(new Shape(2)));
            assertArrayEquals(new float[] {2.97f, 3.96f}, b.toFloatArray(), 1e-6f);
            NDArray kept = m.create(new float[] {3f, 4f});
            lars.update("b", kept, m.zeros(new Shape(2)));
            assertArrayEquals(new float[] {3f, 4f}, kept.toFloatArray(), 0f);
        }
    }

    /**
     * SimSiam's fixed predictor rate: the named parameters get the peak (0.4) at every update, warm-up and decay
     * included; the others follow the schedule (peak 0.4, 2 warm-up updates, K = 6: 0.2 at update 1, 0 at update 6).
     */
    @Test
    void aTrackerWithThePeakForSomeParametersLeavesTheOthersOnTheSchedule() {
        WarmupCosineTracker schedule = WarmupCosineTracker.builder().setPeakValue(0.4f).setTotalUpdates(6)
                .optWarmupUpdates(2).build();
        ParameterTracker rates = schedule.withPeakFor(Set.of("predictor.w"));
        assertEquals(0.4f, rates.getNewValue("predictor.w", 1), 0f);
        assertEquals(0.4f, rates.getNewValue("predictor.w", 6), 0f);
        assertEquals(0.2f, rates.getNewValue("backbone.w", 1), 1e-7f);
        assertEquals(0f, rates.getNewValue("backbone.w", 6), 0f);
    }

    @Test
    void biasesAndNormParametersGetNeitherDecayNorAdaptation() {
        try (NDManager m = OfflineEngine.get().newBaseManager(); Lars opt = lars(0.6f, 0.1f)) {
            // A vector (rank 1: a bias or BatchNorm γ/β) takes a plain momentum-SGD step: w − 0.1·g.
            NDArray b = m.create(new float[] {3f, 4f});
            NDArray g = m.create(new float[] {0.6f, 0.8f});
            opt.update("b", b, g.duplicate());
            assertArrayEquals(new float[] {2.94f, 3.92f}, b.toFloatArray(), 1e-6f);
            // Second step: v = 0.9·g + g = 1.9·g; w = [2.94 − 0.114, 3.92 − 0.152].
            opt.update("b", b, g.duplicate());
            assertArrayEquals(new float[] {2.826f, 3.768f}, b.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void aLearningRateScaleMultipliesOnlyItsParametersStep() {
        try (NDManager m = OfflineEngine.get().newBaseManager(); Lars opt = lars(0.6f, 0.1f)) {
            opt.setLearningRateScales(Map.of("fast", 10f));
            NDArray fast = m.create(new float[] {3f, 4f}, new Shape(1, 2));
            NDArray plain = m.create(new float[] {3f, 4f}, new Shape(1, 2));
            NDArray g = m.create(new float[] {0.6f, 0.8f}, new Shape(1, 2));
            // As in the first test, v = [1.8, 2.4]; the scaled parameter steps by 10 × 0.1 · v, the other
            // by 0.1 · v.
            opt.update("fast", fast, g.duplicate());
            opt.update("plain", plain, g.duplicate());
            assertArrayEquals(new float[] {1.2f, 1.6f}, fast.toFloatArray(), 1e-5f);
            assertArrayEquals(new float[] {2.82f, 3.76f}, plain.toFloatArray(), 1e-5f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> opt.setLearningRateScales(Map.of("q.weight", 0f)));
            assertTrue(e.getMessage().contains("q.weight") && e.getMessage().contains("> 0"), e.getMessage());
        }
    }

    @Test
    void sgdIsLarsWithoutTrustRatio() {
        try (NDManager m = OfflineEngine.get().newBaseManager();
                Lars sgd = Lars.sgdBuilder().setLearningRateTracker(Tracker.fixed(0.1f)).optWeightDecays(0.1f)
                        .build()) {
            NDArray w = m.create(new float[] {3f, 4f}, new Shape(1, 2));
            NDArray g = m.create(new float[] {0.6f, 0.8f}, new Shape(1, 2));
            // w − 0.1·(g + 0.1·w) = [3 − 0.09, 4 − 0.12].
            sgd.update("w", w, g.duplicate());
            assertArrayEquals(new float[] {2.91f, 3.88f}, w.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void adamWTakesABiasCorrectedSignStepPlusDecoupledDecay() {
        try (NDManager m = OfflineEngine.get().newBaseManager();
                AdamW adam = AdamW.builder().setLearningRateTracker(Tracker.fixed(0.1f)).optWeightDecays(0.5f)
                        .build()) {
            // First step: m̂ = g, v̂ = g², so the step is g/|g| + 0.5·w = [1 + 1.5, −1 + 2] times 0.1.
            NDArray w = m.create(new float[] {3f, 4f}, new Shape(1, 2));
            NDArray g = m.create(new float[] {0.6f, -0.8f}, new Shape(1, 2));
            adam.update("w", w, g);
            assertArrayEquals(new float[] {2.75f, 3.9f}, w.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void stateRoundTripsSoTheNextUpdateIsTheSame() throws IOException {
        try (NDManager m = OfflineEngine.get().newBaseManager(); Lars a = lars(0.6f, 0.1f); Lars b = lars(0.6f, 0.1f)) {
            NDArray w1 = m.create(new float[] {3f, 4f}, new Shape(1, 2));
            NDArray w2 = m.create(new float[] {3f, 4f}, new Shape(1, 2));
            NDArray g = m.create(new float[] {0.6f, 0.8f}, new Shape(1, 2));
            a.update("w", w1, g.duplicate());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                a.saveState(out, List.of("w"), List.of(w1));
            }
            b.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), List.of("w"), m);
            w1.copyTo(w2);
            a.update("w", w1, g.duplicate());
            b.update("w", w2, g.duplicate());
            assertArrayEquals(w1.toFloatArray(), w2.toFloatArray(), 0f);
            IOException e = assertThrows(IOException.class, () -> b.loadState(
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), List.of("w", "x"), m));
            assertTrue(e.getMessage().contains("1 parameters"), e.getMessage());
        }
    }

    @Test
    void builderRefusesOutOfRangeSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Lars.builder().setLearningRateTracker(Tracker.fixed(0.1f)).optMomentum(1f).build());
        assertTrue(e.getMessage().contains("momentum"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Lars.builder().build());
        assertTrue(e.getMessage().contains("learningRateTracker"), e.getMessage());
    }
}
