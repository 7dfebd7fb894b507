package org.byol4j.pretrain;

import static org.byol4j.byol.ByolConfig.FIXED_TAU;
import static org.byol4j.method.PretrainingConfig.BASE_LEARNING_RATE;
import static org.byol4j.pretrain.RunSettings.WORKERS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.byol4j.byol.ByolConfig;
import org.byol4j.byol.ByolMethod;
import org.byol4j.method.RunLength;
import org.byol4j.method.StepPhases;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.views.ViewBatch;
import org.junit.jupiter.api.Test;

/**
 * A non-finite loss stops the step before anything is updated, and the error says where the non-finite value came
 * from: the pixels, weights already broken (named), or a forward pass of finite values that overflowed.
 */
class DivergenceTest {

    private static final ByolConfig CONFIG = TinyRuns.tinyConfig().set(FIXED_TAU, 1.0).build();

    private static ByolMethod method() {
        return new ByolMethod(CONFIG, new RunLength(100, 0, 100));
    }

    /** The last matrix among the trainable weights: the predictor's output layer. */
    private static Parameter lastMatrix(ByolMethod m) {
        Parameter last = null;
        for (Parameter p : m.trainableParameters()) {
            if (p.getArray().getShape().dimension() == 2) {
                last = p;
            }
        }
        return last;
    }

    private static void fill(Parameter p, float value) {
        NDArray w = p.getArray();
        float[] values = new float[Math.toIntExact(w.size())];
        Arrays.fill(values, value);
        w.set(values);
    }

    private static DivergedException stepFails(ByolMethod m, ViewBatch batch) {
        try (StatefulOptimizer opt = TinyRuns.lars()) {
            return assertThrows(DivergedException.class,
                    () -> new PretrainingStep(m, opt).run(batch, 4, new StepPhases()));
        }
    }

    @Test
    void nonFinitePixelsAreCountedAndNothingIsUpdated() {
        ViewBatch batch = TinyRuns.randomBatch(CONFIG, 1);
        batch.global().get(0)[3] = Float.NaN;
        batch.global().get(1)[0] = Float.POSITIVE_INFINITY;
        try (ByolMethod m = method()) {
            List<float[]> before = TinyRuns.snapshot(m.trainableParameters());
            DivergedException e = stepFails(m, batch);
            assertEquals(5, e.step());
            assertFalse(e.inputFinite(), "non-finite pixels are bad input, not a training that went wrong");
            assertTrue(e.getMessage().startsWith("loss NaN at step 5: the batch holds 2 non-finite pixel values"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("this step's update was not applied"), e.getMessage());
            List<float[]> after = TinyRuns.snapshot(m.trainableParameters());
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), 0f, "weight " + i + " moved on a diverged step");
            }
        }
    }

    @Test
    void everyTrainableWeightIsNamedByItsBlockAndItsPlaceInIt() {
        try (ByolMethod m = method()) {
            Set<String> paths = new HashSet<>();
            for (Parameter p : m.trainableParameters()) {
                String path = m.parameterPath(p);
                assertTrue(path.matches("online (backbone|projector|predictor) \\S+") && path.endsWith(p.getName()),
                        path);
                paths.add(path);
            }
            assertEquals(m.trainableParameters().size(), paths.size(), "one path per weight: " + paths);
            assertTrue(m.parameterPath(lastMatrix(m)).startsWith("online predictor "), m.parameterPath(lastMatrix(m)));
        }
    }

    @Test
    void brokenWeightsAreNamed() {
        try (ByolMethod m = method()) {
            Parameter broken = lastMatrix(m);
            fill(broken, Float.POSITIVE_INFINITY);
            DivergedException e = stepFails(m, TinyRuns.randomBatch(CONFIG, 2));
            String expected = "1 of " + m.trainableParameters().size() + " trainable weights held non-finite values"
                    + " before this step (first: " + m.parameterPath(broken) + "): an earlier update broke them";
            assertTrue(e.getMessage().contains(expected), e.getMessage());
            assertTrue(e.inputFinite());
        }
    }

    @Test
    void aForwardPassOfFiniteValuesThatOverflowsSaysSo() {
        try (ByolMethod m = method()) {
            // Finite, but each prediction sums 16 products of this size: +/- infinity, then inf / inf = NaN.
            Parameter huge = lastMatrix(m);
            fill(huge, 3e38f);
            DivergedException e = stepFails(m, TinyRuns.randomBatch(CONFIG, 3));
            assertTrue(e.getMessage().contains("the batch's pixels and all " + m.trainableParameters().size()
                    + " trainable weights were finite (largest |w| 3.00e+38, in " + m.parameterPath(huge) + "), so the"
                    + " forward pass itself overflowed"), e.getMessage());
            assertTrue(e.inputFinite());
            assertEquals("3.00e+38, in " + m.parameterPath(huge), DivergedException.largestWeight(m),
                    "what a run logs of the state it goes back to");
        }
    }

    @Test
    void thePretrainerReportsTheMethodAndTheCause() {
        // Base learning rate 1e30: the first update leaves finite but enormous weights, whose next forward pass
        // overflows.
        ByolConfig config = TinyRuns.tinyConfig().set(BASE_LEARNING_RATE, 1e30f).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Pretrainer(config, RunSettings.defaults().with(WORKERS, 1)).train(TinyRuns.squares(32, 12),
                        PretrainingListener.NONE));
        assertInstanceOf(DivergedException.class, e.getCause());
        assertTrue(e.getMessage().startsWith("byol diverged: loss "), e.getMessage());
        assertTrue(e.getMessage().contains("so the forward pass itself overflowed"), e.getMessage());
        assertTrue(e.getMessage().contains("update was not applied"), e.getMessage());
    }
}
