package org.byol4j.byol;

import static org.byol4j.byol.ByolConfig.JOINT_VIEW_FORWARD;
import static org.byol4j.byol.ByolConfig.KEEP_TARGET;
import static org.byol4j.byol.ByolConfig.PREDICTOR_LEARNING_RATE_SCALE;
import static org.byol4j.method.PretrainingConfig.SEED;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.method.AbstractPretrainingMethod;
import org.byol4j.method.CollapseMonitor;
import org.byol4j.method.RunLength;
import org.byol4j.method.StepPhases;

/**
 * BYOL (Grill et al. 2020) as a {@link org.byol4j.method.PretrainingMethod}: what it adds to the shared loop. An
 * online network θ ({@link OnlineNetwork}: backbone, projector, predictor) and a target ξ ({@link TargetNetwork}:
 * backbone and projector, an exact copy at the start, never touched by the optimiser). Per step: target projections of both
 * views (no gradient), online predictions of both, the symmetric {@link ByolLoss}; after the optimiser step the
 * target moves, ξ ← τ_k ξ + (1 − τ_k) θ, with the cosine {@link TauSchedule} over the run's horizon
 * ({@link TauRule}). Reports {@value #TAU} and the {@link CollapseMonitor} of the online projections.
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
        this.target = new TargetNetwork(config, manager(), online);
        this.tau = TauRule.schedule(config, length);
        this.tauBase = TauRule.tauBase(config, length);
        this.joint = config.get(JOINT_VIEW_FORWARD);
        this.kept = config.get(KEEP_TARGET) ? target.backbone() : online.backbone();
        this.learningRateScales = predictorScales(config.get(PREDICTOR_LEARNING_RATE_SCALE));
    }

    /** {@inheritDoc} */
    @Override
    public Forward forward(ParameterStore ps, NDArray view1, NDArray view2, StepPhases phases) {
        NDList targets = joint ? target.forward(ps, view1.concat(view2)).split(2)
                : new NDList(target.forward(ps, view1), target.forward(ps, view2));
        phases.end(StepPhases.Phase.TARGET_FORWARD);
        NDArray p1;
        NDArray p2;
        NDArray z1;
        if (joint) {
            OnlineNetwork.Output o = online.forward(ps, view1.concat(view2));
            NDList p = o.prediction.split(2);
            p1 = p.get(0);
            p2 = p.get(1);
            z1 = o.projection.split(2).get(0);
        } else {
            OnlineNetwork.Output o1 = online.forward(ps, view1);
            OnlineNetwork.Output o2 = online.forward(ps, view2);
            p1 = o1.prediction;
            p2 = o2.prediction;
            z1 = o1.projection;
        }
        NDArray loss = ByolLoss.symmetric(p1, p2, targets.get(0), targets.get(1));
        return new Forward(loss, Map.of(CollapseMonitor.METRIC, (double) CollapseMonitor.normalisedStd(z1)));
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

    /** Moves the target: ξ ← τ_k ξ + (1 − τ_k) θ. */
    @Override
    public Map<String, Double> afterStep(long step) {
        double t = tau.tau(step);
        target.update(t);
        return Map.of(TAU, t);
    }

    /** @return the online backbone f, or the target's f' when the config keeps the target */
    @Override
    public Block backbone() {
        return kept;
    }

    /** @return the τ_base used ({@code tauBaseUsed}) */
    @Override
    public Map<String, String> derivedSettings() {
        return Map.of("tauBaseUsed", Double.toString(tauBase));
    }

    /** @return the online network θ */
    public OnlineNetwork online() {
        return online;
    }

    /** @return the target network ξ */
    public TargetNetwork target() {
        return target;
    }

    /** {@inheritDoc} */
    @Override
    public void load(DataInputStream in) throws IOException, MalformedModelException {
        super.load(in);
        target.freeze(); // loading replaced the target's arrays too
    }

    /** @return online f, g, q, then target f', g' */
    @Override
    protected Map<String, Block> blocks() {
        Map<String, Block> blocks = new LinkedHashMap<>();
        blocks.put("online backbone", online.backbone());
        blocks.put("online projector", online.projector());
        blocks.put("online predictor", online.predictor());
        blocks.put("target backbone", target.backbone());
        blocks.put("target projector", target.projector());
        return blocks;
    }
}
