package org.byol4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.byol4j.byol.ByolConfig;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.simsiam.SimSiamConfig;
import org.byol4j.views.ViewBatch;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.method.RunLength;
import org.byol4j.method.StepPhases;
import org.byol4j.method.StepViews;
import org.byol4j.optim.StatefulOptimizer;
import org.junit.jupiter.api.Test;

/**
 * The step's scope: what a forward pass puts in {@link PretrainingMethod.Forward#outputs()} is still open in
 * {@code afterStep}, after the optimiser step, where a MoCo-style method can keep a copy (a queue of keys), and
 * nothing of a step, multi-crop views included, outlives it.
 */
class StepOutputsTest {

    /** BYOL plus a queue of the first view's mean pixel per image, filled in afterStep from the step's outputs. */
    private static final class Queueing extends DelegatingMethod {
        private final Deque<float[]> queue = new ArrayDeque<>();
        private final List<float[]> sent = new java.util.ArrayList<>();

        Queueing(PretrainingMethod method) {
            super(method);
        }

        @Override
        public Forward forward(ParameterStore ps, StepViews views, StepPhases phases) {
            Forward own = method.forward(ps, views, phases);
            NDArray keys = views.global(0).reshape(views.global(0).getShape().get(0), -1).mean(new int[] {1});
            sent.add(keys.toFloatArray());
            return new Forward(own.loss(), own.metrics(), new NDList(keys));
        }

        @Override
        public Map<String, Double> afterStep(long step, Forward forward) {
            queue.addLast(forward.outputs().singletonOrThrow().toFloatArray()); // throws if it were closed
            if (queue.size() > 2) {
                queue.removeFirst();
            }
            return method.afterStep(step, forward);
        }
    }

    @Test
    void afterStepSeesTheStepsOutputsAndTheyAreClosedWithTheStep() {
        ByolConfig config = TinyRuns.tinyConfig().build();
        try (Queueing method = new Queueing(config.newMethod(new RunLength(10, 0, 10)));
                StatefulOptimizer lars = TinyRuns.lars()) {
            PretrainingStep step = new PretrainingStep(method, lars);
            long before = 0;
            for (int i = 0; i < 3; i++) {
                PretrainingStep.Result r = step.run(TinyRuns.randomBatch(config, i), i, new StepPhases());
                assertTrue(r.metrics().containsKey("tau"), "the wrapped method's own update ran: " + r.metrics());
                before = i == 0 ? method.manager().getManagedArrays().size() : before;
            }
            assertEquals(2, method.queue.size(), "a queue of the last two steps' keys");
            assertArrayEquals(method.sent.get(1), method.queue.getFirst(), 0f);
            assertArrayEquals(method.sent.get(2), method.queue.getLast(), 0f);
            assertEquals(8, method.queue.getLast().length, "one key per image");
            assertEquals(before, method.manager().getManagedArrays().size(), "the outputs closed with the step");
        }
    }

    /** A multi-crop step of each method that takes local views leaves no array behind on the method's manager. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"byol", "simsiam"})
    void aMultiCropStepLeavesNoArrayBehind(String name) {
        PretrainingConfig config = name.equals("byol")
                ? TinyRuns.tinyConfig().set(PretrainingConfig.LOCAL_VIEWS, 3).build()
                : TinyRuns.tiny(SimSiamConfig.builder()).set(PretrainingConfig.LOCAL_VIEWS, 3).build();
        ViewBatch pair = TinyRuns.randomBatch(config, 1);
        int side = config.localViewSize();
        java.util.Random r = new java.util.Random(2);
        List<float[]> locals = new java.util.ArrayList<>();
        for (int v = 0; v < 3; v++) {
            float[] local = new float[pair.size() * side * side];
            for (int i = 0; i < local.length; i++) {
                local[i] = r.nextFloat();
            }
            locals.add(local);
        }
        ViewBatch batch = new ViewBatch(pair.global(), locals, pair.size(), 1, pair.globalSide(), side);
        try (PretrainingMethod method = config.newMethod(new RunLength(10, 0, 10));
                StatefulOptimizer lars = TinyRuns.lars()) {
            PretrainingStep step = new PretrainingStep(method, lars);
            step.run(batch, 0, new StepPhases());
            long live = method.manager().getManagedArrays().size();
            for (int i = 1; i < 5; i++) {
                assertTrue(Double.isFinite(step.run(batch, i, new StepPhases()).loss()));
            }
            assertEquals(live, method.manager().getManagedArrays().size(), name + ": arrays left by multi-crop steps");
        }
    }
}
