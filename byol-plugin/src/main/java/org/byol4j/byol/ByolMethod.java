package org.byol4j.byol;

import static org.byol4j.byol.ByolConfig.JOINT_VIEW_FORWARD;
import static org.byol4j.byol.ByolConfig.KEEP_TARGET;
import static org.byol4j.byol.ByolConfig.PREDICTOR_LEARNING_RATE_SCALE;
import static org.byol4j.byol.ByolConfig.VARIANT;
import static org.byol4j.method.PretrainingConfig.SEED;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.method.AbstractPretrainingMethod;
import org.byol4j.method.CollapseMonitor;
import org.byol4j.method.KeptStatisticsStore;
import org.byol4j.method.RunLength;
import org.byol4j.method.StepPhases;
import org.byol4j.method.StepViews;

/**
 * BYOL (Grill et al. 2020) as a {@link org.byol4j.method.PretrainingMethod}: what it adds to the shared loop. An
 * online network θ ({@link OnlineNetwork}: backbone, projector, predictor) and a target ξ ({@link TargetNetwork}:
 * backbone and projector, an exact copy at the start, never touched by the optimiser). Per step: target projections of
 * the global views (no gradient), online predictions of every view, the {@link ByolLoss} (symmetric for two views,
 * {@link ByolLoss#multiCrop} with local views); after the optimiser step the target moves, ξ ← τ_k ξ + (1 − τ_k) θ,
 * with the cosine {@link TauSchedule} over the run's horizon ({@link TauRule}). Reports {@value #TAU} and the
 * {@link CollapseMonitor} of the online projections.
 *
 * <p>{@link ByolVariant#BYOL_S} builds no target: the targets are the online projections of the global views under
 * a stop-gradient, so the step has no target pass and nothing to average.
 *
 * <p>Local views go through the online network as one batch of k·N (BatchNorm normalising them with their own
 * batch statistics, as multi-crop implementations batch crops of one size), without moving the backbone's running
 * statistics ({@link KeptStatisticsStore}), which the saved backbone uses on whole images; the global views go as
 * {@code jointViewForward} says.
 */
public final class ByolMethod extends AbstractPretrainingMethod {

    /** The metric name of the target decay rate used after the step. */
    public static final String TAU = "tau";

    private final OnlineNetwork online;
    private final TargetNetwork target;
    private final TauSchedule tau;
    private final double tauBase;
    private final boolean joint;
    private final Block kept;
    private final Map<String, Float> learningRateScales;

    /**
     * @param config the recipe
     * @param length the run's length, which fixes τ_base (unless configured) and the τ schedule's horizon
     */
    public ByolMethod(ByolConfig config, RunLength length) {
        super(config.get(SEED));
        this.online = new OnlineNetwork(config, manager());
        boolean shared = config.get(VARIANT) == ByolVariant.BYOL_S;
        this.target = shared ? null : new TargetNetwork(config, manager(), online);
        this.tau = shared ? null : TauRule.schedule(config, length);
        this.tauBase = shared ? Double.NaN : TauRule.tauBase(config, length);
        this.joint = config.get(JOINT_VIEW_FORWARD);
        this.kept = config.get(KEEP_TARGET) ? target.backbone() : online.backbone();
        this.learningRateScales = predictorScales(config.get(PREDICTOR_LEARNING_RATE_SCALE));
    }

    /** {@inheritDoc} */
    @Override
    public Forward forward(ParameterStore ps, StepViews views, StepPhases phases) {
        NDList global = views.global();
        NDList targets = target == null ? null : targets(ps, global);
        phases.end(StepPhases.Phase.TARGET_FORWARD);
        List<OnlineNetwork.Output> outputs = new ArrayList<>();
        if (joint) {
            OnlineNetwork.Output o = online.forward(ps, NDArrays.concat(global));
            NDList z = o.projection.split(global.size());
            NDList p = o.prediction.split(global.size());
            for (int i = 0; i < global.size(); i++) {
                outputs.add(new OnlineNetwork.Output(z.get(i), p.get(i)));
            }
        } else {
            for (NDArray view : global) {
                outputs.add(online.forward(ps, view));
            }
        }
        if (targets == null) { // BYOL-S: the online projections, detached, are the targets
            targets = new NDList();
            for (OnlineNetwork.Output o : outputs) {
                targets.add(o.projection.stopGradient());
            }
        }
        List<NDArray> predictions = new ArrayList<>();
        outputs.forEach(o -> predictions.add(o.prediction));
        NDArray locals = views.localsAsOneBatch();
        if (locals != null) {
            OnlineNetwork.Output local = online.forward(new KeptStatisticsStore(ps.getManager()), locals);
            predictions.addAll(local.prediction.split(views.local().size()));
        }
        NDArray loss = ByolLoss.multiCrop(predictions, targets);
        return new Forward(loss, Map.of(CollapseMonitor.METRIC,
                (double) CollapseMonitor.normalisedStd(outputs.get(0).projection)));
    }

    private NDList targets(ParameterStore ps, NDList global) {
        if (joint) {
            return target.forward(ps, NDArrays.concat(global)).split(global.size());
        }
        NDList out = new NDList(global.size());
        for (NDArray view : global) {
            out.add(target.forward(ps, view));
        }
        return out;
    }

    /**
     * @return the predictor's trainable weight matrices with {@code predictorLearningRateScale}, when it is not 1.
     *     Its biases and BatchNorm parameters keep the schedule's rate: LARS moves those by an absolute step, not a
     *     share of their norm, and at 10 times the rate a BatchNorm γ grew to 1e23 within 633 steps.
     */
    @Override
    public Map<String, Float> learningRateScales() {
        return learningRateScales;
    }

    private Map<String, Float> predictorScales(float scale) {
        Map<String, Float> scales = new HashMap<>();
        if (scale != 1f) {
            for (Parameter p : online.predictor().getParameters().values()) {
                if (p.requiresGradient() && !StatefulOptimizer.isBiasOrNorm(p.getArray())) {
                    scales.put(p.getId(), scale);
                }
            }
        }
        return Map.copyOf(scales);
    }

    /** Moves the target: ξ ← τ_k ξ + (1 − τ_k) θ; nothing for BYOL-S, which has no target. */
    @Override
    public Map<String, Double> afterStep(long step, Forward forward) {
        if (target == null) {
            return Map.of();
        }
        double t = tau.tau(step);
        target.update(t);
        return Map.of(TAU, t);
    }

    /** @return the online backbone f, or the target's f' when the config keeps the target */
    @Override
    public Block backbone() {
        return kept;
    }

    /** @return the τ_base used ({@code tauBaseUsed}); none for BYOL-S */
    @Override
    public Map<String, String> derivedSettings() {
        return target == null ? Map.of() : Map.of("tauBaseUsed", Double.toString(tauBase));
    }

    /** @return the online network θ */
    public OnlineNetwork online() {
        return online;
    }

    /** @return the target network ξ, or null for BYOL-S, which has none */
    public TargetNetwork target() {
        return target;
    }

    /** {@inheritDoc} */
    @Override
    public void load(DataInputStream in) throws IOException, MalformedModelException {
        super.load(in);
        if (target != null) {
            target.freeze(); // loading replaced the target's arrays too
        }
    }

    /** @return online f, g, q, then target f', g' (BYOL-S: none) */
    @Override
    protected Map<String, Block> blocks() {
        Map<String, Block> blocks = new LinkedHashMap<>();
        blocks.put("online backbone", online.backbone());
        blocks.put("online projector", online.projector());
        blocks.put("online predictor", online.predictor());
        if (target != null) {
            blocks.put("target backbone", target.backbone());
            blocks.put("target projector", target.projector());
        }
        return blocks;
    }
}
