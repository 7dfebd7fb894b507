package org.byol4j.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.Set;
import org.byol4j.nn.TrainableNetworks;

/**
 * What a self-supervised method adds to the method-neutral {@link org.byol4j.pretrain.Pretrainer} loop: its
 * networks, its loss on a batch of views (the global views its config declares, and multi-crop local views where
 * it takes them: {@link PretrainingConfig#views()}), what happens after each optimiser step, and its state for
 * checkpoints. Built by {@link PretrainingConfig#newMethod(RunLength)} for one run; it owns its weights (close it).
 * Methods built from DJL blocks extend {@link AbstractPretrainingMethod}.
 *
 * <p>The loop calls, per step: {@link #forward} inside a gradient collector, backward on the returned loss, the
 * optimiser on {@link #trainableParameters()}, then {@link #afterStep(long, Forward)} with the step's forward pass
 * (its arrays still open, for a method that keeps some, e.g. a MoCo-style queue of keys).
 */
public interface PretrainingMethod extends TrainableNetworks {

    /**
     * The outcome of one forward pass.
     *
     * @param loss the scalar loss to differentiate
     * @param metrics what the method reports about the step (e.g. {@link CollapseMonitor#METRIC}), by name; the
     *     metrics files' columns come from these names
     * @param outputs arrays of the step the method wants in {@link #afterStep(long, Forward)} (e.g. keys for a
     *     queue); they live on the step's manager, closed after {@code afterStep}: keep a copy to keep them
     */
    record Forward(NDArray loss, Map<String, Double> metrics, NDList outputs) {

        /**
         * @param loss the scalar loss
         * @param metrics the step's metrics, by name
         */
        public Forward(NDArray loss, Map<String, Double> metrics) {
            this(loss, metrics, new NDList());
        }
    }

    /**
     * @return the trainable parameters, by id, whose learning rate is a multiple of the schedule's (BYOL's
     *     {@code predictorLearningRateScale}); the others get the schedule's rate. None by default.
     */
    default Map<String, Float> learningRateScales() {
        return Map.of();
    }

    /**
     * @return the trainable parameters, by id, that LARS updates without its trust ratio, as plain SGD with
     *     momentum (joint training's classifier head). None by default.
     */
    default Set<String> parametersWithoutTrustRatio() {
        return Set.of();
    }

    /**
     * @return the trainable parameters, by id, that keep the schedule's peak learning rate for the whole run: no
     *     warm-up, no decay (SimSiam's predictor: "fix lr for predictor", Chen &amp; He 2021, §4.2). None by default.
     */
    default Set<String> constantLearningRateParameters() {
        return Set.of();
    }

    /**
     * The networks' forward passes on a batch of views, and the loss.
     *
     * @param ps the step's parameter store
     * @param views the step's views, as the config's {@link PretrainingConfig#views()} declares them
     * @param phases where a method with a gradient-free pass (BYOL's target) may record it as
     *     {@link StepPhases.Phase#TARGET_FORWARD}; the loop records the rest as {@link StepPhases.Phase#FORWARD}
     * @return the loss and the step's metrics
     */
    Forward forward(ParameterStore ps, StepViews views, StepPhases phases);

    /**
     * Called after the optimiser step that made {@code step} steps in all (BYOL: the target's moving average).
     *
     * @param step steps taken so far, ≥ 1
     * @param forward the step's forward pass, its arrays still open
     * @return metrics of the update (e.g. BYOL's τ), by name; empty when none
     */
    Map<String, Double> afterStep(long step, Forward forward);

    /** @return the backbone whose weights the run produces (the online f, unless the method keeps another) */
    Block backbone();

    /** @return settings the method derived for this run (BYOL: the τ_base used), for the backbone's recipe */
    Map<String, String> derivedSettings();
}
