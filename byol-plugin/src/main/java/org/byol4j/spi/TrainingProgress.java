package org.byol4j.spi;

/**
 * A snapshot of a pretraining run, handed to a {@link TrainingListener} after each step and each epoch.
 *
 * @param epoch epoch being trained (0-based)
 * @param step optimiser steps done so far
 * @param totalSteps steps the run will take
 * @param loss the loss of the last step, or the epoch mean in an epoch report
 * @param learningRate learning rate of the last step
 * @param tau target decay rate τ used after the last step (NaN for methods without a target)
 * @param collapseStd per-dimension std of L2-normalised online outputs (≈ 1/√d healthy, → 0 collapsed)
 * @param pairsPerSecond training throughput over the reported span
 */
public record TrainingProgress(int epoch, long step, long totalSteps, double loss, double learningRate,
        double tau, double collapseStd, double pairsPerSecond) {}
