package org.byol4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of one set of parameters into another of the same shapes: ξ ← τξ + (1 − τ)θ, in
 * place, for every learnable parameter (weights, biases, BatchNorm γ and β). BatchNorm running statistics are
 * skipped: they are not learnt, and each network keeps its own. BYOL's target network moves so (Grill et al. 2020,
 * §3.1); so do MoCo's key encoder and the weight averages of "model EMA".
 */
public final class ExponentialMovingAverage {

    private static final NDIndex ALL = new NDIndex("...");

    private final List<Parameter> averaged = new ArrayList<>();
    private final List<Parameter> sources = new ArrayList<>();

    /**
     * @param averaged ξ, the parameters that follow (changed in place by {@link #update})
     * @param sources θ, in the same order and of the same shapes
     * @throws IllegalArgumentException when the lists differ in length, names or shapes
     */
    public ExponentialMovingAverage(List<Parameter> averaged, List<Parameter> sources) {
        if (averaged.size() != sources.size()) {
            throw new IllegalArgumentException("averaged and source parameter lists differ in length: "
                    + averaged.size() + " and " + sources.size());
        }
        for (int i = 0; i < averaged.size(); i++) {
            Parameter xi = averaged.get(i);
            Parameter theta = sources.get(i);
            boolean same = xi.getName().equals(theta.getName())
                    && xi.getArray().getShape().equals(theta.getArray().getShape());
            if (!same) {
                throw new IllegalArgumentException("parameter " + i + " differs: " + xi.getName() + " "
                        + xi.getArray().getShape() + " against " + theta.getName() + " " + theta.getArray().getShape());
            }
            if (!isRunningStatistic(xi)) {
                this.averaged.add(xi);
                this.sources.add(theta);
            }
        }
    }

    /**
     * ξ ← τξ + (1 − τ)θ.
     *
     * @param tau τ in [0, 1]; 0 copies θ, 1 leaves ξ unchanged
     */
    public void update(double tau) {
        if (!(tau >= 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in [0, 1], got " + tau);
        }
        if (tau == 1.0) {
            return;
        }
        for (int i = 0; i < averaged.size(); i++) {
            NDArray xi = averaged.get(i).getArray();
            NDArray theta = sources.get(i).getArray();
            if (tau == 0.0) {
                // an in-place copy on the engine: NDArray.copyTo goes through a Java buffer and libtorch's deprecated
                // AutoNonVariableTypeMode, which prints a warning
                xi.set(ALL, theta);
                continue;
            }
            // τξ + (1 − τ)θ = τ(ξ − θ) + θ: three in-place operations, no temporary array
            xi.subi(theta).muli((float) tau).addi(theta);
        }
    }

    /**
     * @param p a parameter
     * @return whether it is a BatchNorm running mean or variance (not learnable, not averaged)
     */
    public static boolean isRunningStatistic(Parameter p) {
        return p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR;
    }
}
