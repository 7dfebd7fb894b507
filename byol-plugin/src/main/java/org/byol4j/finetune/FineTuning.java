package org.byol4j.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.byol4j.checkpoint.Checkpoint;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.nn.FiniteCheck;
import org.byol4j.nn.SoftmaxCrossEntropy;
import org.byol4j.optim.Lars;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.optim.WarmupCosineTracker;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;
import org.byol4j.spi.TrainingStoppedException;
import org.byol4j.views.LabelledBatch;
import org.byol4j.views.LabelledBatches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fine-tuning loop: cross-entropy on one augmented view of each labelled image, backward through head and
 * backbone, SGD with momentum (the backbone at a share of the head's learning rate), a learning rate with linear
 * warm-up and cosine decay over the run. Batch {@code s} is a function of (seed, s) ({@link LabelledBatches}), so a
 * checkpoint of the networks and the optimiser is all an exact resume needs; checkpoints are those of pretraining
 * ({@link Checkpoint}: atomic, rotated, a damaged newest one skipped, another recipe refused). A step whose loss or
 * gradients are not finite stops the run before any weight changes, the last checkpoint intact.
 */
final class FineTuning {

    private static final Logger logger = LoggerFactory.getLogger(FineTuning.class);

    /**
     * How the optimiser moves.
     *
     * @param learningRate the head's peak learning rate
     * @param backboneScale the backbone's share of it
     * @param momentum SGD momentum
     * @param weightDecay L2 weight decay, on every parameter (as torch.optim.SGD)
     * @param warmupSteps steps of linear warm-up
     */
    record Schedule(float learningRate, float backboneScale, float momentum, float weightDecay, int warmupSteps) {}

    /**
     * Where and how often the state is saved.
     *
     * @param dir the checkpoint folder, or null for none
     * @param every steps between checkpoints
     * @param recipe what a resumed run must match
     */
    record Checkpoints(Path dir, int every, Map<String, String> recipe) {}

    private final FineTuneNetwork network;
    private final LabelledBatches batches;
    private final PretrainingListener listener;
    private final List<Parameter> trainable;
    private final List<String> names;

    FineTuning(FineTuneNetwork network, LabelledBatches batches, PretrainingListener listener) {
        this.network = network;
        this.batches = batches;
        this.listener = listener;
        this.trainable = network.trainableParameters();
        this.names = trainable.stream().map(network::parameterPath).toList();
    }

    /**
     * Trains {@code totalSteps} steps, or those left after the newest checkpoint of the same recipe.
     *
     * @param totalSteps the run's length, which the schedule is built for
     * @param schedule the optimiser's settings
     * @param checkpoints where to save the state
     * @throws IOException when a checkpoint cannot be written or read
     * @throws TrainingStoppedException when the listener asked to stop (after a checkpoint, if a folder is set)
     */
    void run(int totalSteps, Schedule schedule, Checkpoints checkpoints) throws IOException {
        WarmupCosineTracker lr = WarmupCosineTracker.builder().setPeakValue(schedule.learningRate())
                .setTotalUpdates(totalSteps).optWarmupUpdates(Math.min(schedule.warmupSteps(), totalSteps - 1))
                .build();
        try (StatefulOptimizer optimiser = sgd(lr, schedule)) {
            Map<String, Float> scales = new HashMap<>();
            for (Parameter p : trainable) {
                if (network.backboneParameterIds().contains(p.getId())) {
                    scales.put(p.getId(), schedule.backboneScale());
                }
            }
            optimiser.setLearningRateScales(scales);
            long step = 0;
            double elapsedBefore = 0;
            if (checkpoints.dir() != null) {
                Checkpoint.Restored restored = Checkpoint.restore(checkpoints.dir(), checkpoints.recipe(), totalSteps,
                        totalSteps, network, optimiser).orElse(null);
                if (restored != null) {
                    step = restored.step();
                    elapsedBefore = restored.length().elapsedSeconds();
                    logger.info("fine-tuning resumes after step {} of {} from {}", step, totalSteps,
                            checkpoints.dir());
                }
            }
            long started = System.nanoTime();
            int perEpoch = batches.batchesPerEpoch();
            while (step < totalSteps) {
                long t0 = System.nanoTime();
                LabelledBatch batch = batches.forStep(step);
                double loss = step(batch, step, optimiser);
                step++;
                double rate = batch.size() / ((System.nanoTime() - t0) / 1e9);
                TrainingProgress progress = new TrainingProgress((int) ((step - 1) / perEpoch), step, totalSteps,
                        loss, lr.getNewValue((int) step), rate, Map.of());
                listener.onStep(progress);
                Path saved = null;
                boolean due = step % checkpoints.every() == 0 || step == totalSteps
                        || listener.wantsCheckpoint(progress) || listener.stopRequested();
                if (checkpoints.dir() != null && due) {
                    saved = Checkpoint.save(checkpoints.dir(), checkpoints.recipe(), step, new Checkpoint.Length(
                            totalSteps, totalSteps, elapsedBefore + (System.nanoTime() - started) / 1e9), network,
                            optimiser, 2);
                    listener.onCheckpoint(saved, step);
                }
                if (listener.stopRequested() && step < totalSteps) {
                    throw new TrainingStoppedException(step, totalSteps, saved);
                }
                if (step % perEpoch == 0 || step == totalSteps) {
                    logger.info(String.format(Locale.ROOT, "fine-tuning step %d/%d (epoch %.2f): loss %.4f, lr %.4f,"
                            + " %.0f images/s", step, totalSteps, (double) step / perEpoch, loss,
                            lr.getNewValue((int) step), rate));
                }
            }
        }
    }

    /**
     * Measures this loop's steps per second on its own networks (whose weights it changes: give it scratch ones).
     *
     * @param schedule the optimiser's settings
     * @param warm steps run first and not timed (JIT, allocator, engine caches)
     * @param timed steps timed after them
     * @return steps per second
     */
    double stepsPerSecond(Schedule schedule, int warm, int timed) {
        WarmupCosineTracker lr = WarmupCosineTracker.builder().setPeakValue(schedule.learningRate())
                .setTotalUpdates(warm + timed).build();
        try (StatefulOptimizer optimiser = sgd(lr, schedule)) {
            long t0 = 0;
            for (int s = 0; s < warm + timed; s++) {
                if (s == warm) {
                    t0 = System.nanoTime();
                }
                step(batches.forStep(s), s, optimiser);
            }
            return timed / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static StatefulOptimizer sgd(WarmupCosineTracker lr, Schedule schedule) {
        return Lars.sgdBuilder().setLearningRateTracker(lr).optMomentum(schedule.momentum())
                .optWeightDecays(schedule.weightDecay()).build();
    }

    private double step(LabelledBatch batch, long step, StatefulOptimizer optimiser) {
        try (NDManager sm = network.manager().newSubManager()) {
            NDArray x = sm.create(batch.pixels(), new Shape(batch.size(), batch.channels(), batch.side(),
                    batch.side()));
            NDArray y = sm.create(batch.labels());
            float loss;
            try (GradientCollector gc = OfflineEngine.get().newGradientCollector()) {
                NDArray l = SoftmaxCrossEntropy.of(network.logits(new ParameterStore(sm, false), x, true), y);
                loss = l.getFloat();
                if (!Float.isFinite(loss)) {
                    throw diverged(step, "loss " + loss);
                }
                gc.backward(l);
            }
            NDList gradients = new NDList(trainable.size());
            for (Parameter p : trainable) {
                NDArray g = p.getArray().getGradient();
                g.attach(sm);
                gradients.add(g);
            }
            List<String> bad = FiniteCheck.nonFinite(names, gradients);
            if (!bad.isEmpty()) {
                throw diverged(step, "non-finite gradients of " + String.join(", ", bad.subList(0,
                        Math.min(3, bad.size()))));
            }
            for (int i = 0; i < trainable.size(); i++) {
                Parameter p = trainable.get(i);
                optimiser.update(p.getId(), p.getArray(), gradients.get(i));
                gradients.get(i).muli(0f);
            }
            return loss;
        }
    }

    private static IllegalStateException diverged(long step, String what) {
        return new IllegalStateException("fine-tuning diverged at step " + (step + 1) + ": " + what + "; no weight"
                + " was changed by it. Lower learningRate (or backboneLearningRateScale); the last checkpoint, if"
                + " any, is intact");
    }
}
