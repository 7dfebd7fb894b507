package org.byol4j.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of a pretraining run, handed to a {@link PretrainingListener} after each step and each epoch. What
 * every method has is a field; what a method reports of its own (BYOL's target decay {@code tau}, the
 * {@code collapseStd} diagnostic) is in {@link #metrics()}, by name.
 *
 * @param epoch epoch being trained (0-based)
 * @param step optimiser steps done so far
 * @param totalSteps the step the run ends at (a time-budgeted run moves it as its speed changes)
 * @param loss the loss of the last step, or the epoch mean in an epoch report
 * @param learningRate learning rate of the last step
 * @param pairsPerSecond training throughput over the reported span, in images (view pairs) per second
 * @param metrics the method's own measurements of the last step, by name, in the order the method reports them
 */
public record TrainingProgress(int epoch, long step, long totalSteps, double loss, double learningRate,
        double pairsPerSecond, Map<String, Double> metrics) {

    /** Copies the metrics, keeping their order. */
    public TrainingProgress {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /**
     * @param name a metric's name, e.g. {@code tau}
     * @return its value, or NaN when the method does not report it
     */
    public double metric(String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }
}
