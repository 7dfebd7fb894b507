package org.byol4j.barlowtwins;

import static org.byol4j.barlowtwins.BarlowTwinsConfig.LAMBDA;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.byol4j.method.EncoderMethod;
import org.byol4j.method.CollapseMonitor;
import org.byol4j.method.StepPhases;
import org.byol4j.method.StepViews;

/**
 * Barlow Twins as a {@link org.byol4j.method.PretrainingMethod}: one encoder f → g for both views, and the loss on
 * the cross-correlation matrix C of the two views' projections, each standardised over the batch:
 * {@code L = Σ_i (1 − C_ii)² + λ Σ_{i≠j} C_ij²}.
 */
public final class BarlowTwinsMethod extends EncoderMethod {

    private final float lambda;

    /** @param config the recipe */
    public BarlowTwinsMethod(BarlowTwinsConfig config) {
        super(config);
        this.lambda = config.get(LAMBDA);
    }

    /**
     * @param z1 (N, d) projections of the first views
     * @param z2 (N, d) projections of the second views
     * @param lambda weight of the off-diagonal term
     * @return the scalar loss
     */
    static NDArray loss(NDArray z1, NDArray z2, float lambda) {
        long n = z1.getShape().get(0);
        long d = z1.getShape().get(1);
        NDArray c = standardise(z1).transpose().matMul(standardise(z2)).div(n);
        NDArray eye = c.getManager().eye((int) d);
        NDArray weights = eye.mul(1 - lambda).add(lambda);   // 1 on the diagonal, λ elsewhere
        return c.sub(eye).square().mul(weights).sum();
    }

    private static NDArray standardise(NDArray z) {
        NDArray centred = z.sub(z.mean(new int[] {0}));
        return centred.div(centred.square().mean(new int[] {0}).add(1e-5f).sqrt());
    }

    /** {@inheritDoc} */
    @Override
    public Forward forward(ParameterStore ps, StepViews views, StepPhases phases) {
        NDArray z1 = encoder().forward(ps, views.global(0));
        NDArray z2 = encoder().forward(ps, views.global(1));
        return new Forward(loss(z1, z2, lambda), Map.of(CollapseMonitor.METRIC,
                (double) CollapseMonitor.normalisedStd(z1)));
    }
}
