package org.byol4j.pretrain;

import static org.byol4j.method.PretrainingConfig.SUPERVISED_WEIGHT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.method.RunLength;
import org.byol4j.method.StepPhases;
import org.byol4j.method.StepViews;
import org.byol4j.nn.GcChurn;
import org.byol4j.simclr.SimClrConfig;
import org.byol4j.simsiam.SimSiamConfig;
import org.byol4j.views.ViewBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped loss, and joint training's λ × cross-entropy, computes the same gradients when garbage collections run
 * between its forward and its backward pass, as they do in a long run: no constant the backward pass reads lives in a
 * buffer the JVM may free first ({@link org.byol4j.nn.Scalars}). Before that fix the loss's constants read back as
 * {@link GcChurn#POISON}.
 */
class RecordedConstantsTest {

    static Stream<Arguments> methods() {
        PretrainingConfig byol = TinyRuns.tinyConfig().build();
        PretrainingConfig simclr = TinyRuns.tiny(SimClrConfig.builder()).build();
        PretrainingConfig simsiam = TinyRuns.tiny(SimSiamConfig.builder()).build();
        PretrainingConfig joint = TinyRuns.tinyConfig().set(SUPERVISED_WEIGHT, 0.5f).build();
        Function<PretrainingConfig, PretrainingMethod> plain = c -> c.newMethod(RunLength.of(c, 10, 10));
        Function<PretrainingConfig, PretrainingMethod> withLabels = c -> new JointTraining(plain.apply(c), 0.5f,
                JointTrainingTest.rows(12), c.viewSize(), 1, 4, 7, c.backbone().featureDim());
        return Stream.of(Arguments.of("byol", byol, plain), Arguments.of("simclr", simclr, plain),
                Arguments.of("simsiam", simsiam, plain), Arguments.of("byol + 0.5 x cross-entropy", joint, withLabels));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void gradientsAreTheSameWithCollectionsBetweenForwardAndBackward(String name, PretrainingConfig config,
            Function<PretrainingConfig, PretrainingMethod> create) {
        ViewBatch batch = TinyRuns.randomBatch(config, 3);
        try (PretrainingMethod method = create.apply(config)) {
            List<float[]> quiet = gradients(method, batch, false);
            List<float[]> churned = gradients(method, batch, true);
            List<Parameter> params = method.trainableParameters();
            double total = 0;
            for (int i = 0; i < params.size(); i++) {
                String path = name + ": " + method.parameterPath(params.get(i)) + " differs after a collection";
                float[] expected = quiet.get(i);
                float[] actual = churned.get(i);
                for (int j = 0; j < expected.length; j++) {
                    total += Math.abs(expected[j]);
                    assertEquals(expected[j], actual[j], 1e-5f + 1e-4f * Math.abs(expected[j]), path);
                }
            }
            assertTrue(total > 0 && Double.isFinite(total), name + ": the loss has a finite, non-zero gradient");
        }
    }

    /** One forward and backward pass; the gradients of the trainable parameters, which are then zeroed. */
    private static List<float[]> gradients(PretrainingMethod method, ViewBatch batch, boolean churn) {
        List<float[]> out = new ArrayList<>();
        try (NDManager m = method.manager().newSubManager()) {
            StepViews views = PretrainingStep.upload(m, batch);
            try (GradientCollector gc = OfflineEngine.get().newGradientCollector()) {
                NDArray loss = method.forward(new ParameterStore(m, false), views, new StepPhases()).loss();
                if (churn) {
                    GcChurn.now();
                }
                gc.backward(loss);
            }
            for (Parameter p : method.trainableParameters()) {
                try (NDArray g = p.getArray().getGradient()) {
                    out.add(g.toFloatArray());
                    g.muli(0f);
                }
            }
        }
        return out;
    }
}
