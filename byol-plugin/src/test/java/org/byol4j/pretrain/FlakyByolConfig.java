package org.byol4j.pretrain;

import static org.byol4j.method.PretrainingConfig.TOTAL_STEPS;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.List;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.byol.ByolConfig;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.method.RunLength;
import org.byol4j.method.StepPhases;
import org.byol4j.method.StepViews;

/**
 * BYOL that goes non-finite on chosen forward passes of a run (counted over the whole run, repeats included): a
 * divergence that does not repeat when the same steps run again, as bench/NOTES.md entry 9 saw one do. What goes
 * non-finite is the {@link Failure}: the loss, the gradients behind a finite loss, or a BatchNorm running statistic of
 * the backbone. Everything else is {@link TinyRuns#tinyConfig()}'s BYOL.
 */
final class FlakyByolConfig extends PretrainingConfig {

    /** What goes non-finite on a failing forward pass. */
    enum Failure {
        /** The loss is NaN. */
        LOSS,
        /**
         * The loss stays finite but every gradient of the first trainable weight is NaN: the loss gains
         * 0 · Σ√(w − w), whose value is 0 and whose gradient is 0 · ∞.
         */
        GRADIENT,
        /** The loss and gradients stay finite, but the forward pass leaves a backbone running mean NaN. */
        RUNNING_STATISTIC
    }

    private ByolConfig byol;
    private Failure failure;
    private List<Integer> failingForwards;

    /** For the builder. */
    FlakyByolConfig() {}

    /**
     * @param totalSteps the run's steps
     * @param failingForwards the forward passes, counted from 1 over the run, whose loss is NaN
     * @return the config
     */
    static FlakyByolConfig of(int totalSteps, Integer... failingForwards) {
        return of(Failure.LOSS, totalSteps, failingForwards);
    }

    /**
     * @param failure what goes non-finite
     * @param totalSteps the run's steps
     * @param failingForwards the forward passes, counted from 1 over the run, that fail
     * @return the config
     */
    static FlakyByolConfig of(Failure failure, int totalSteps, Integer... failingForwards) {
        FlakyByolConfig c = TinyRuns.tiny(newBuilder(new FlakyByolConfig())).set(TOTAL_STEPS, totalSteps).build();
        c.byol = TinyRuns.tinyConfig().set(TOTAL_STEPS, totalSteps).build();
        c.failure = failure;
        c.failingForwards = List.of(failingForwards);
        return c;
    }

    @Override
    public String method() {
        return "byol";
    }

    @Override
    public PretrainingMethod newMethod(RunLength length) {
        return new Flaky(byol.newMethod(length), failure, failingForwards);
    }

    @Override
    public ViewAugmentation view1() {
        return byol.view1();
    }

    @Override
    public ViewAugmentation view2() {
        return byol.view2();
    }

    /** The method, delegated, but for the NaN losses. */
    private static final class Flaky extends DelegatingMethod {
        private final Failure failure;
        private final List<Integer> failing;
        private int forwards;

        Flaky(PretrainingMethod method, Failure failure, List<Integer> failing) {
            super(method);
            this.failure = failure;
            this.failing = failing;
        }

        @Override
        public Forward forward(ParameterStore ps, StepViews views, StepPhases phases) {
            boolean fails = failing.contains(++forwards);
            if (fails && failure == Failure.RUNNING_STATISTIC) {
                // before the pass, so autograd never sees the change: in training mode BatchNorm normalises with the
                // batch's statistics (the loss stays finite) and carries the NaN into its running mean
                for (Pair<String, Parameter> p : method.backbone().getParameters()) {
                    if (p.getValue().getType() == Parameter.Type.RUNNING_MEAN) {
                        p.getValue().getArray().muli(Float.NaN);
                        break;
                    }
                }
            }
            Forward f = method.forward(ps, views, phases);
            if (!fails || failure == Failure.RUNNING_STATISTIC) {
                return f;
            }
            if (failure == Failure.LOSS) {
                return new Forward(f.loss().mul(Float.NaN), f.metrics());
            }
            NDArray w = method.trainableParameters().get(0).getArray();
            return new Forward(f.loss().add(w.sub(w).sqrt().sum().mul(0f)), f.metrics());
        }
    }
}
