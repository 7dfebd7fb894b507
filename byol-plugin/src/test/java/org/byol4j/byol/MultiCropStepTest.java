package org.byol4j.byol;

import static org.byol4j.method.PretrainingConfig.LOCAL_VIEWS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.byol4j.method.RunLength;
import org.byol4j.method.KeptStatisticsStore;
import org.byol4j.method.StepPhases;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.pretrain.PretrainingStep;
import org.byol4j.pretrain.TinyRuns;
import org.byol4j.views.ViewBatch;
import org.junit.jupiter.api.Test;

/**
 * A multi-crop step: the local views train the online network (its weights move differently) but leave the
 * backbone's BatchNorm running statistics, which the saved backbone embeds whole images with, exactly where the global
 * views alone put them.
 */
class MultiCropStepTest {

    private static final RunLength LENGTH = new RunLength(100, 0, 100);

    private static List<float[]> runningStatistics(ByolMethod m) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : m.backbone().getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                out.add(p.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }

    @Test
    void localViewsTrainTheOnlineNetworkButLeaveTheRunningStatisticsToTheGlobalViews() {
        ByolConfig multi = TinyRuns.tinyConfig().set(LOCAL_VIEWS, 2).build();
        ByolConfig pair = TinyRuns.tinyConfig().build();
        ViewBatch globals = TinyRuns.randomBatch(pair, 4);
        int side = multi.localViewSize();
        Random r = new Random(9);
        List<float[]> locals = new ArrayList<>();
        for (int v = 0; v < 2; v++) {
            float[] local = new float[globals.size() * side * side];
            for (int i = 0; i < local.length; i++) {
                local[i] = 3 * r.nextFloat(); // other statistics than the global views', to show in a running mean
            }
            locals.add(local);
        }
        ViewBatch withLocals = new ViewBatch(globals.global(), locals, globals.size(), 1, globals.globalSide(), side);
        try (ByolMethod a = new ByolMethod(multi, LENGTH); ByolMethod b = new ByolMethod(pair, LENGTH);
                StatefulOptimizer la = TinyRuns.lars(); StatefulOptimizer lb = TinyRuns.lars()) {
            List<float[]> before = runningStatistics(a);
            new PretrainingStep(a, la).run(withLocals, 0, new StepPhases());
            new PretrainingStep(b, lb).run(globals, 0, new StepPhases());
            List<float[]> sa = runningStatistics(a);
            List<float[]> sb = runningStatistics(b);
            assertEquals(sb.size(), sa.size());
            for (int i = 0; i < sa.size(); i++) {
                assertArrayEquals(sb.get(i), sa.get(i), 0f, "running statistic " + i);
            }
            assertFalse(Arrays.equals(before.get(0), sa.get(0)), "the global views did move them");
            assertFalse(Arrays.equals(TinyRuns.snapshot(a.trainableParameters()).get(0),
                    TinyRuns.snapshot(b.trainableParameters()).get(0)), "the local views' gradients moved the weights");
        }
    }

    @Test
    void aPassThroughTheKeptStatisticsStoreTrainsButMovesNoRunningStatistic() {
        try (ByolMethod m = new ByolMethod(TinyRuns.tinyConfig().build(), LENGTH);
                NDManager sm = m.manager().newSubManager()) {
            List<float[]> before = runningStatistics(m);
            NDArray x = sm.randomUniform(0, 5, new Shape(8, 1, 6, 6));
            NDArray kept = m.backbone().forward(new KeptStatisticsStore(sm), new NDList(x), true).singletonOrThrow();
            List<float[]> after = runningStatistics(m);
            assertFalse(before.isEmpty());
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), 0f, "running statistic " + i);
            }
            NDArray moved = m.backbone().forward(new ParameterStore(sm, false), new NDList(x), true)
                    .singletonOrThrow();
            assertArrayEquals(kept.toFloatArray(), moved.toFloatArray(), 1e-6f, "the same training-mode output");
            assertFalse(Arrays.equals(before.get(0), runningStatistics(m).get(0)), "a plain store moves them");
        }
    }
}
