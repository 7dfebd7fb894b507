package org.byol4j.byol;

import static org.byol4j.byol.ByolConfig.FIXED_TAU;
import static org.byol4j.byol.ByolConfig.PREDICTOR_LEARNING_RATE_SCALE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.pretrain.PretrainingStep;
import org.byol4j.method.RunLength;
import org.byol4j.method.StepPhases;
import org.byol4j.pretrain.TinyRuns;
import org.byol4j.views.ViewBatch;
import org.junit.jupiter.api.Test;

/**
 * BYOL's predictor learning-rate multiple: it reaches exactly the predictor's weight matrices (not its biases or
 * BatchNorm parameters), by exactly that factor.
 */
class PredictorLearningRateTest {

    private static final RunLength LENGTH = new RunLength(100, 0, 100);

    @Test
    void theFirstStepMovesThePredictorScaleTimesFurtherAndEverythingElseTheSame() {
        ByolConfig plain = TinyRuns.tinyConfig().set(FIXED_TAU, 1.0).build();
        ByolConfig fast = TinyRuns.tinyConfig().set(FIXED_TAU, 1.0).set(PREDICTOR_LEARNING_RATE_SCALE, 4f).build();
        try (ByolMethod a = new ByolMethod(plain, LENGTH); ByolMethod b = new ByolMethod(fast, LENGTH);
                StatefulOptimizer optA = TinyRuns.lars(); StatefulOptimizer optB = TinyRuns.lars()) {
            assertTrue(a.learningRateScales().isEmpty(), "scale 1 needs no entry");
            Set<String> predictor = new HashSet<>();
            int biasesAndNorms = 0;
            for (Parameter p : b.online().predictor().getParameters().values()) {
                if (p.getArray().getShape().dimension() >= 2) {
                    predictor.add(p.getId());
                } else {
                    biasesAndNorms++;
                }
            }
            assertEquals(2, predictor.size(), "the predictor's two linear layers' weights");
            assertTrue(biasesAndNorms >= 4, "biases and BatchNorm γ/β (and running statistics) stay at 1");
            assertEquals(predictor, b.learningRateScales().keySet());
            assertTrue(b.learningRateScales().values().stream().allMatch(s -> s == 4f));
            optB.setLearningRateScales(b.learningRateScales());

            List<Parameter> pa = a.trainableParameters();
            List<Parameter> pb = b.trainableParameters();
            List<float[]> start = TinyRuns.snapshot(pa);
            List<float[]> startB = TinyRuns.snapshot(pb);
            for (int i = 0; i < start.size(); i++) {
                assertArrayEquals(start.get(i), startB.get(i), 0f, "same seed, same initial weights");
            }
            ViewBatch batch = TinyRuns.randomBatch(plain, 5);
            new PretrainingStep(a, optA).run(batch, 0, new StepPhases());
            new PretrainingStep(b, optB).run(batch, 0, new StepPhases());
            List<float[]> endA = TinyRuns.snapshot(pa);
            List<float[]> endB = TinyRuns.snapshot(pb);
            int scaled = 0;
            for (int i = 0; i < start.size(); i++) {
                float factor = predictor.contains(pb.get(i).getId()) ? 4f : 1f;
                scaled += factor == 4f ? 1 : 0;
                float[] s = start.get(i);
                for (int j = 0; j < s.length; j++) {
                    float stepA = endA.get(i)[j] - s[j];
                    float stepB = endB.get(i)[j] - s[j];
                    assertEquals(factor * stepA, stepB, 1e-5f + 1e-3f * Math.abs(stepB),
                            pb.get(i).getName() + "[" + j + "]");
                }
            }
            assertEquals(predictor.size(), scaled);
        }
    }

    @Test
    void aScaleThatIsNotPositiveIsRefusedByName() {
        for (float bad : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            PropertyException e = assertThrows(PropertyException.class,
                    () -> ByolConfig.builder().set(PREDICTOR_LEARNING_RATE_SCALE, bad).build());
            assertEquals("predictorLearningRateScale", e.getProperty());
        }
        assertEquals("10.0", ByolConfig.builder().set(PREDICTOR_LEARNING_RATE_SCALE, 10f).build().recipe()
                .get("predictorLearningRateScale"));
    }
}
