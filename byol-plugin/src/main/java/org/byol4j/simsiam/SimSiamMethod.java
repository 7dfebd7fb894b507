package org.byol4j.simsiam;

import static org.byol4j.method.PretrainingConfig.PROJECTOR_OUTPUT;
import static org.byol4j.simsiam.SimSiamConfig.FIXED_PREDICTOR_LEARNING_RATE;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.byol4j.method.EncoderMethod;
import org.byol4j.method.CollapseMonitor;
import org.byol4j.method.KeptStatisticsStore;
import org.byol4j.method.StepPhases;
import org.byol4j.method.StepViews;

/**
 * SimSiam (Chen &amp; He, CVPR 2021) as a {@link org.byol4j.method.PretrainingMethod}: one encoder f → g shared by
 * both views, a predictor h, and the symmetric {@link SimSiamLoss} with a stop-gradient on the projections (with
 * multi-crop local views, {@link SimSiamLoss#multiCrop}: the local views, one batch of k·N, are predicted, the
 * global views' projections are the targets; the local pass leaves the backbone's BatchNorm running statistics as
 * they were, {@link KeptStatisticsStore}). No
 * moving-average target, no negatives; nothing happens after the optimiser step. Reports the {@link CollapseMonitor}
 * of the projections z1, the collapse measure of the paper's Fig. 2.
 */
public final class SimSiamMethod extends EncoderMethod {

    private final Block predictor;
    private final boolean fixedPredictorLearningRate;

    /** @param config the recipe */
    public SimSiamMethod(SimSiamConfig config) {
        super(config);
        this.fixedPredictorLearningRate = config.get(FIXED_PREDICTOR_LEARNING_RATE);
        this.predictor = config.predictorHead().newBlock();
        predictor.initialize(manager(), DataType.FLOAT32, new Shape(2, config.get(PROJECTOR_OUTPUT)));
    }

    /** {@inheritDoc} */
    @Override
    public Forward forward(ParameterStore ps, StepViews views, StepPhases phases) {
        List<NDArray> projections = new ArrayList<>();
        List<NDArray> predictions = new ArrayList<>();
        for (NDArray view : views.global()) {
            NDArray z = encoder().forward(ps, view);
            projections.add(z);
            predictions.add(predictor.forward(ps, new NDList(z), true).singletonOrThrow());
        }
        NDArray locals = views.localsAsOneBatch();
        if (locals != null) {
            NDArray z = encoder().forward(new KeptStatisticsStore(ps.getManager()), locals);
            predictions.addAll(predictor.forward(ps, new NDList(z), true).singletonOrThrow()
                    .split(views.local().size()));
        }
        return new Forward(SimSiamLoss.multiCrop(predictions, projections),
                Map.of(CollapseMonitor.METRIC, (double) CollapseMonitor.normalisedStd(projections.get(0))));
    }

    /** @return the predictor's trainable parameters when the config fixes its rate (the paper's default), else none */
    @Override
    public Set<String> constantLearningRateParameters() {
        if (!fixedPredictorLearningRate) {
            return Set.of();
        }
        Set<String> ids = new HashSet<>();
        for (Pair<String, Parameter> p : predictor.getParameters()) {
            if (p.getValue().requiresGradient()) {
                ids.add(p.getValue().getId());
            }
        }
        return Set.copyOf(ids);
    }

    /** @return the encoder's blocks, then the predictor */
    @Override
    protected Map<String, Block> blocks() {
        Map<String, Block> blocks = super.blocks();
        blocks.put("predictor", predictor);
        return blocks;
    }
}
