package org.byol4j.simclr;

import static org.byol4j.simclr.SimClrConfig.TEMPERATURE;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.byol4j.method.EncoderMethod;
import org.byol4j.method.CollapseMonitor;
import org.byol4j.method.StepPhases;
import org.byol4j.method.StepViews;

/**
 * SimCLR (Chen et al., ICML 2020) as a {@link org.byol4j.method.PretrainingMethod}: one encoder f → g, both views
 * forwarded as one batch of 2N (so BatchNorm sees the whole batch, as SimCLR's global BatchNorm does across
 * devices), and the {@link NtXentLoss} over 2N views with 2N − 2 negatives each. Nothing happens after the optimiser
 * step. Reports the {@link CollapseMonitor} of the first views' projections.
 */
public final class SimClrMethod extends EncoderMethod {

    private final float temperature;

    /** @param config the recipe */
    public SimClrMethod(SimClrConfig config) {
        super(config);
        this.temperature = config.get(TEMPERATURE);
    }

    /** {@inheritDoc} */
    @Override
    public Forward forward(ParameterStore ps, StepViews views, StepPhases phases) {
        NDList z = encoder().forward(ps, views.global(0).concat(views.global(1))).split(2);
        return new Forward(NtXentLoss.loss(z.get(0), z.get(1), temperature),
                Map.of(CollapseMonitor.METRIC, (double) CollapseMonitor.normalisedStd(z.get(0))));
    }
}
