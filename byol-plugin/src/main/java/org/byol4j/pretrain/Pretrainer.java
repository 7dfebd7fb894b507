package org.byol4j.pretrain;

import static org.byol4j.method.PretrainingConfig.BASE_LEARNING_RATE;
import static org.byol4j.method.PretrainingConfig.BATCH_SIZE;
import static org.byol4j.method.PretrainingConfig.EPOCHS;
import static org.byol4j.method.PretrainingConfig.IMAGE_SIZE;
import static org.byol4j.method.PretrainingConfig.INPUT_CHANNELS;
import static org.byol4j.method.PretrainingConfig.MOMENTUM;
import static org.byol4j.method.PretrainingConfig.OPTIMISER;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_OUTPUT;
import static org.byol4j.method.PretrainingConfig.SCHEDULE_STEPS;
import static org.byol4j.method.PretrainingConfig.SEED;
import static org.byol4j.method.PretrainingConfig.SUPERVISED_WEIGHT;
import static org.byol4j.method.PretrainingConfig.TIME_BUDGET_SECONDS;
import static org.byol4j.method.PretrainingConfig.TOTAL_STEPS;
import static org.byol4j.method.PretrainingConfig.TRUST_COEFFICIENT;
import static org.byol4j.method.PretrainingConfig.WEIGHT_DECAY;
import static org.byol4j.pretrain.RunSettings.CHECKPOINTS_KEPT;
import static org.byol4j.pretrain.RunSettings.CHECKPOINT_EVERY;
import static org.byol4j.pretrain.RunSettings.WORKERS;

import ai.djl.training.tracker.ParameterTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.byol4j.backbone.Backbone;
import org.byol4j.checkpoint.Checkpoint;
import org.byol4j.checkpoint.StateSnapshots;
import org.byol4j.data.ImageSource;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.method.CollapseMonitor;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.method.RunLength;
import org.byol4j.method.StepPhases;
import org.byol4j.optim.AdamW;
import org.byol4j.optim.Lars;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.optim.WarmupCosineTracker;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.RepresentationTrainer;
import org.byol4j.spi.TrainingProgress;
import org.byol4j.spi.TrainingStoppedException;
import org.byol4j.views.ViewBatch;
import org.byol4j.views.ViewLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pretrains a backbone with any {@link PretrainingMethod}: the method-neutral loop. Each step: the augmented views
 * the config declares per image ({@link PretrainingConfig#views()}: two global views, plus multi-crop local views
 * where set), the method's forward passes and loss, backward, one optimiser step on the method's trainable parameters, then the method's
 * own update ({@link PretrainingMethod#afterStep}, BYOL's target average). The learning rate is
 * {@code base × batch / 256} with linear warm-up and cosine decay ({@link WarmupCosineTracker}).
 *
 * <p>The run's length K comes from {@link PretrainingConfig#TOTAL_STEPS}, from the epochs, or from a wall-clock
 * budget ({@link PretrainingConfig#TIME_BUDGET_SECONDS}): then the step rate is measured first ({@link StepRate}),
 * K planned from it and the schedules built for that K; as the run goes, {@link TimeBudget} moves its last step
 * (never its schedules) so that it ends on time however the machine's speed changes. A warm-up not set explicitly
 * follows from K ({@link RunLength}). The backbone's recipe records the steps taken and the K the schedules were
 * built for ({@code totalSteps}, {@code scheduleSteps}), so replaying its options repeats the run exactly.
 *
 * <p>With a checkpoint directory ({@link RunSettings}), the full state is written atomically every
 * {@link RunSettings#CHECKPOINT_EVERY} steps, at the end of each epoch and whenever the listener asks
 * ({@link PretrainingListener#wantsCheckpoint}); the newest {@link RunSettings#CHECKPOINTS_KEPT} are kept, and a run
 * started on a directory that holds a checkpoint of the same recipe
 * continues exactly where it stopped (from the one before, if the newest is damaged). When the listener asks to
 * stop ({@link PretrainingListener#stopRequested}), the run ends after the current step with a checkpoint and
 * {@link org.byol4j.spi.TrainingStoppedException}. The loop keeps off-heap memory flat: every step's arrays live in
 * a sub-manager closed at the end of the step.
 *
 * <p>A non-finite loss from finite pixels sends the run back to a copy of its state kept in memory ({@link
 * StateSnapshots}, every {@value #SNAPSHOT_EVERY} steps, 100 to 200 steps back), and it repeats the steps since:
 * the same steps, so a run that then passes the step trains exactly as one that never failed, and the backbone's
 * recipe records the rollback ({@code divergenceRollbacks}). A run that diverges again at or before the same step
 * (the divergence repeats), or more than {@value #MAX_ROLLBACKS} times, or on non-finite pixels, stops with the
 * cause and the last checkpoint intact. Why: 1 of about 15 runs of the small-image presets diverged once and did not
 * when repeated with the same seed and schedule (bench/NOTES.md entry 9). The cause of those, a constant freed
 * before the backward pass read it, was found and fixed later ({@link org.byol4j.nn.Scalars}, entry 18); the
 * rollback stays as the guard against whatever else makes one step go wrong.
 */
public final class Pretrainer implements RepresentationTrainer {

    /** Steps between the in-memory copies of the state that a diverged run goes back to. */
    static final int SNAPSHOT_EVERY = 100;

    /** Times a run may go back before a divergence stops it. */
    static final int MAX_ROLLBACKS = 3;

    private static final Logger logger = LoggerFactory.getLogger(Pretrainer.class);

    private final PretrainingConfig config;
    private final Path checkpointDir;
    private final int checkpointEvery;
    private final int checkpointsKept;
    private final int workers;
    private volatile StepPhases phases = new StepPhases();

    /**
     * @param config the recipe: what the run learns
     * @param settings how it runs: checkpoints, view-generation threads
     */
    public Pretrainer(PretrainingConfig config, RunSettings settings) {
        this.config = config;
        this.checkpointDir = settings.checkpointDir().orElse(null);
        this.checkpointEvery = settings.get(CHECKPOINT_EVERY);
        this.checkpointsKept = settings.get(CHECKPOINTS_KEPT);
        this.workers = settings.get(WORKERS);
    }

    /**
     * A trainer without checkpoints, with one view-generation thread per core.
     *
     * @param config the recipe
     */
    public Pretrainer(PretrainingConfig config) {
        this(config, RunSettings.defaults());
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return config.method();
    }

    /** @return the configuration */
    public PretrainingConfig config() {
        return config;
    }

    /**
     * @return where the time of the steps of the latest {@link #train} call went (updated as it runs; a
     *     resumed call counts its own steps only)
     */
    public StepPhases phases() {
        return phases;
    }

    /** {@inheritDoc} */
    @Override
    public Backbone train(ImageSource images, PretrainingListener listener) {
        return train(images, null, listener);
    }

    /**
     * Joint training when {@link PretrainingConfig#SUPERVISED_WEIGHT} λ &gt; 0 ({@link JointTraining}): the method's
     * loss plus λ × the cross-entropy of a linear head on the labelled images, whose head comes back with the backbone
     * ({@link Backbone#classifierHead()}); the recipe records λ and the labelled images.
     *
     * @param images the unlabelled images (the labelled ones may be among them)
     * @param labelled the labelled images, or null when λ = 0
     * @param listener progress
     * @return the backbone, with its classifier head when trained jointly
     * @throws IllegalArgumentException when λ &gt; 0 without labelled images, or labelled images with λ = 0
     */
    @Override
    public Backbone train(ImageSource images, LabelledImageSource labelled, PretrainingListener listener) {
        float weight = config.get(SUPERVISED_WEIGHT);
        if (weight > 0 && labelled == null) {
            throw new IllegalArgumentException("supervisedWeight " + weight + " asks for joint training, which needs"
                    + " labelled images (pretrain --labels D, or train(images, labelled, listener))");
        }
        if (weight == 0 && labelled != null) {
            throw new IllegalArgumentException("labelled images were given (" + labelled.description() + ") but"
                    + " supervisedWeight is 0: set it above 0 for joint training, or leave the labels out");
        }
        long started = System.nanoTime();
        int size = config.get(IMAGE_SIZE);
        try (ViewLoader loader = new ViewLoader(images, config.views(),
                config.get(INPUT_CHANNELS), config.get(BATCH_SIZE), config.get(SEED), workers)) {
            int perEpoch = loader.batchesPerEpoch();
            Map<String, String> recipe = config.recipe();
            if (labelled != null) {
                recipe.put("labelledImages", labelled.description());
            }
            Checkpoint.Length planned = plan(loader, recipe, started, listener, labelled);
            RunLength length = RunLength.of(config, perEpoch, planned.scheduleSteps());
            WarmupCosineTracker lr = WarmupCosineTracker.builder()
                    .setPeakValue(WarmupCosineTracker.scaledPeak(config.get(BASE_LEARNING_RATE),
                            config.get(BATCH_SIZE)))
                    .setTotalUpdates(length.horizon())
                    .optWarmupUpdates(length.warmupSteps())
                    .build();
            logger.info("run length: {}, ends at step {} ({} steps per epoch, {})", length.describe(),
                    planned.endStep(), perEpoch, budgeted() ? "planned for a " + config.get(TIME_BUDGET_SECONDS)
                            + " s budget" : config.get(TOTAL_STEPS) > 0 ? "as configured"
                            : config.get(EPOCHS) + " epochs");
            phases = new StepPhases();
            try (PretrainingMethod method = newMethod(length, labelled);
                    StatefulOptimizer optimiser = optimiser(lr, method)) {
                optimiser.setLearningRateScales(method.learningRateScales());
                optimiser.setWithoutTrustRatio(method.parametersWithoutTrustRatio());
                Map<String, String> provenance = recipeOf(length, images, method);
                Run run = new Run(method, optimiser, lr, length, perEpoch, listener, provenance, started);
                run.setEnd(planned.endStep(), planned.elapsedSeconds());
                if (checkpointDir != null) {
                    Checkpoint.restore(checkpointDir, recipe, length.totalSteps(), budgeted() ? -1
                            : planned.endStep(), method, optimiser).ifPresent(run::resumeFrom);
                }
                run.startClock();
                while (run.step < run.end) {
                    int epoch = (int) (run.step / perEpoch);
                    run.epoch(loader.epoch(epoch, (int) (run.step % perEpoch)), epoch, recipe);
                }
                return Backbone.copyOf(config.backbone(), size, method.backbone(), provenance,
                        method instanceof JointTraining joint ? joint.classifierHead() : null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PretrainingMethod newMethod(RunLength length, LabelledImageSource labelled) {
        PretrainingMethod method = config.newMethod(length);
        if (labelled == null) {
            return method;
        }
        try {
            return new JointTraining(method, config.get(SUPERVISED_WEIGHT), labelled, config.viewSize(),
                    config.get(INPUT_CHANNELS), config.get(BATCH_SIZE), config.get(SEED),
                    config.backbone().featureDim());
        } catch (RuntimeException e) {
            method.close();
            throw e;
        }
    }

    private boolean budgeted() {
        return config.get(TIME_BUDGET_SECONDS) > 0;
    }

    /**
     * The K the schedules are built for and the step the run ends at (the same, unless configured apart): as
     * configured, from the epochs, or, for a time-budgeted run, from the step rate measured on scratch networks
     * (the real ones are built after, from the seed, so the run is the same as one configured with that K). A
     * budgeted run resumed from a checkpoint keeps what it planned the first time, and the time it has spent. The
     * measured step is the run's own, joint training's supervised term included.
     */
    private Checkpoint.Length plan(ViewLoader loader, Map<String, String> recipe, long started,
            PretrainingListener listener, LabelledImageSource labelled) throws IOException {
        int perEpoch = loader.batchesPerEpoch();
        if (config.get(TOTAL_STEPS) > 0) {
            int k = config.get(SCHEDULE_STEPS) > 0 ? config.get(SCHEDULE_STEPS) : config.get(TOTAL_STEPS);
            return new Checkpoint.Length(k, config.get(TOTAL_STEPS), 0);
        }
        if (!budgeted()) {
            long total = (long) perEpoch * config.get(EPOCHS);
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("epochs x batches per epoch exceeds " + Integer.MAX_VALUE);
            }
            return new Checkpoint.Length((int) total, (int) total, 0);
        }
        if (checkpointDir != null) {
            Optional<Checkpoint.Length> saved = Checkpoint.savedLength(checkpointDir, recipe);
            if (saved.isPresent()) {
                return saved.get();
            }
        }
        double stepsPerSecond = new StepRate(config, length -> newMethod(length, labelled)).measure(loader,
                config.get(TIME_BUDGET_SECONDS), listener);
        double left = config.get(TIME_BUDGET_SECONDS) - (System.nanoTime() - started) / 1e9;
        int total = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.floor(left * stepsPerSecond)));
        logger.info(String.format(Locale.ROOT, "time budget %.0f s: measured %.3f steps/s (%.1f pairs/s), %.1f s"
                + " left, K = %d steps (%.2f epochs)", config.get(TIME_BUDGET_SECONDS), stepsPerSecond,
                stepsPerSecond * config.get(BATCH_SIZE), left, total, (double) total / perEpoch));
        return new Checkpoint.Length(total, total, 0);
    }

    /**
     * The recipe as a backbone records it, so that replaying these options repeats the run: the K the schedules
     * were built for and what followed from it. The steps taken ({@code totalSteps}, {@code epochsRun}) are set by
     * the run, which keeps them up to date as its end moves.
     */
    private Map<String, String> recipeOf(RunLength length, ImageSource images, PretrainingMethod method) {
        Map<String, String> r = new LinkedHashMap<>(config.recipe());
        r.put("scheduleSteps", Integer.toString(length.totalSteps()));
        r.put("timeBudgetSeconds", "0");
        if (budgeted()) {
            r.put("chosenForBudgetSeconds", Double.toString(config.get(TIME_BUDGET_SECONDS)));
        }
        r.put("warmupSteps", Integer.toString(length.warmupSteps()));
        r.putAll(method.derivedSettings());
        r.put("scheduleHorizon", Integer.toString(length.horizon()));
        r.put("pretrainedOn", images.description());
        return r;
    }

    /**
     * @param lr the schedule
     * @param method the method, whose {@link PretrainingMethod#constantLearningRateParameters()} keep the peak rate
     * @return the configured optimiser, asking one tracker for every parameter's rate
     */
    private StatefulOptimizer optimiser(WarmupCosineTracker lr, PretrainingMethod method) {
        Set<String> constant = method.constantLearningRateParameters();
        ParameterTracker rates = constant.isEmpty() ? lr : lr.withPeakFor(constant);
        switch (config.get(OPTIMISER)) {
            case ADAMW:
                return AdamW.builder().setLearningRateTracker(rates).optWeightDecays(config.get(WEIGHT_DECAY)).build();
            case SGD:
                return Lars.sgdBuilder().setLearningRateTracker(rates).optMomentum(config.get(MOMENTUM))
                        .optWeightDecays(config.get(WEIGHT_DECAY)).build();
            default:
                return Lars.builder().setLearningRateTracker(rates).optMomentum(config.get(MOMENTUM))
                        .optWeightDecays(config.get(WEIGHT_DECAY)).optTrustCoefficient(config.get(TRUST_COEFFICIENT))
                        .build();
        }
    }

    /**
     * One rollback of a diverged run.
     *
     * @param diverged the step whose loss was not finite, counted from 1
     * @param to the step the run went back to
     */
    private record Rollback(long diverged, long to) {}

    /**
     * The mutable state of one call to {@link #train}: the step counter, the step the run ends at (which a
     * time-budgeted run moves), the time spent and what to report.
     */
    private final class Run {
        private final PretrainingMethod method;
        private final StatefulOptimizer optimiser;
        private final WarmupCosineTracker lr;
        private final RunLength length;
        private final int perEpoch;
        private final PretrainingListener listener;
        private final PretrainingStep pretrainingStep;
        private final StateSnapshots snapshots;
        private final List<Rollback> rollbacks = new ArrayList<>();
        private final Map<String, String> provenance;
        private final long startedNanos;
        private double elapsedBeforeSeconds;
        private TimeBudget budget;
        private long step;
        private int end;
        private long checkpointedAt = -1;

        Run(PretrainingMethod method, StatefulOptimizer optimiser, WarmupCosineTracker lr, RunLength length,
                int perEpoch, PretrainingListener listener, Map<String, String> provenance, long startedNanos) {
            this.provenance = provenance;
            this.method = method;
            this.optimiser = optimiser;
            this.lr = lr;
            this.length = length;
            this.perEpoch = perEpoch;
            this.listener = listener;
            this.startedNanos = startedNanos;
            this.pretrainingStep = new PretrainingStep(method, optimiser);
            this.snapshots = new StateSnapshots(SNAPSHOT_EVERY, method, optimiser);
        }

        /** Continues from a checkpoint: its step, its end and the time spent before it. */
        void resumeFrom(Checkpoint.Restored restored) {
            step = restored.step();
            setEnd(restored.length().endStep(), restored.length().elapsedSeconds());
        }

        /**
         * @param endStep the step the run ends at; the recipe's steps taken follow it
         * @param elapsedBefore seconds the run spent before this process
         */
        void setEnd(int endStep, double elapsedBefore) {
            elapsedBeforeSeconds = elapsedBefore;
            moveEnd(endStep);
        }

        private void moveEnd(int endStep) {
            end = endStep;
            provenance.put("totalSteps", Integer.toString(end));
            provenance.put("epochsRun", String.format(Locale.ROOT, "%.2f", (double) end / perEpoch));
        }

        /** Starts following the time budget, if any, from the current step. */
        void startClock() {
            if (budgeted()) {
                budget = new TimeBudget(config.get(TIME_BUDGET_SECONDS), length.totalSteps(), step, System.nanoTime());
            }
        }

        private double elapsedSeconds(long nowNanos) {
            return elapsedBeforeSeconds + (nowNanos - startedNanos) / 1e9;
        }

        /** After a step of a budgeted run: moves the end to where the budget runs out at the current rate. */
        private void followBudget() {
            long now = System.nanoTime();
            double elapsed = elapsedSeconds(now);
            int moved = budget.afterStep(step, end, now, elapsed);
            if (moved == end) {
                return;
            }
            if (moved > length.horizon() && end <= length.horizon()) {
                logger.warn(String.format(Locale.ROOT, "time budget: the machine runs faster than planned, so the run"
                        + " now ends at step %d, past step %d where its schedules end; the steps after it train at the"
                        + " schedules' final values and change the weights little. A scheduleStretch above 1 leaves"
                        + " such a run room to learn", moved, length.horizon()));
            } else if (Math.abs(moved - end) >= Math.max(1, end / 100)) {
                logger.info(String.format(Locale.ROOT, "time budget: %.0f of %.0f s spent at step %d; the run now"
                        + " ends at step %d (was %d)", elapsed, config.get(TIME_BUDGET_SECONDS), step, moved, end));
            }
            moveEnd(moved);
        }

        void epoch(Iterator<ViewBatch> batches, int epoch, Map<String, String> recipe) throws IOException {
            double lossSum = 0;
            int steps = 0;
            long started = System.nanoTime();
            TrainingProgress last = null;
            while (step < end && batches.hasNext()) {
                phases.start();
                ViewBatch batch = batches.next();
                phases.end(StepPhases.Phase.DATA_WAIT);
                long t0 = System.nanoTime();
                PretrainingStep.Result r;
                try {
                    snapshots.takeIfDue(step);
                    r = pretrainingStep.run(batch, step, phases);
                } catch (DivergedException e) {
                    rollBack(e, recipe);
                    return;
                }
                step++;
                phases.step();
                lossSum += r.loss();
                steps++;
                double rate = batch.size() / ((System.nanoTime() - t0) / 1e9);
                if (budget != null) {
                    followBudget();
                }
                last = new TrainingProgress(epoch, step, end, r.loss(), lr.getNewValue((int) step), rate,
                        r.metrics());
                listener.onStep(last);
                if (listener.wantsBackbone(last)) {
                    try (Backbone online = Backbone.copyOf(config.backbone(), config.get(IMAGE_SIZE),
                            method.backbone(), provenance)) {
                        listener.onBackbone(last, online);
                    }
                }
                Path saved = null;
                if (checkpointDir != null && (step % checkpointEvery == 0 || listener.wantsCheckpoint(last))) {
                    saved = checkpoint(recipe);
                }
                if (listener.stopRequested()) {
                    if (checkpointDir != null && saved == null) {
                        saved = checkpoint(recipe);
                    }
                    throw new TrainingStoppedException(step, end, saved);
                }
            }
            if (last != null) {
                double rate = (double) steps * config.get(BATCH_SIZE) / ((System.nanoTime() - started) / 1e9);
                TrainingProgress summary = new TrainingProgress(epoch, step, end, lossSum / steps,
                        last.learningRate(), rate, last.metrics());
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d, step %d/%d: loss %.4f,"
                        + " lr %.4f, %.0f pairs/s", epoch + 1, step, end, summary.loss(), summary.learningRate(),
                        rate));
                summary.metrics().forEach((name, value) -> line.append(String.format(Locale.ROOT, ", %s %.5f", name,
                        value)));
                if (summary.metrics().containsKey(CollapseMonitor.METRIC)) {
                    line.append(String.format(Locale.ROOT, " (healthy %.4f)",
                            CollapseMonitor.healthyValue(config.get(PROJECTOR_OUTPUT))));
                }
                logger.info(line.toString());
                listener.onEpoch(summary);
                if (listener.wantsBackbone(epoch)) {
                    try (Backbone online = Backbone.copyOf(config.backbone(), config.get(IMAGE_SIZE),
                            method.backbone(), provenance)) {
                        listener.onBackbone(epoch, online);
                    }
                }
                if (checkpointDir != null && checkpointedAt != step) {
                    checkpoint(recipe);
                }
            }
        }

        /**
         * Sends the run back to its oldest in-memory copy after a divergence, or stops it when going back cannot
         * help: non-finite pixels, a divergence that repeated, or too many. With a checkpoint directory, the state
         * gone back to is checkpointed at once, which deletes the checkpoints written after it on the way to the
         * divergence: a kill before the next save resumes on the rolled-back state, never on the diverging one.
         */
        private void rollBack(DivergedException e, Map<String, String> recipe) throws IOException {
            Rollback last = rollbacks.isEmpty() ? null : rollbacks.get(rollbacks.size() - 1);
            String stop = null;
            if (!e.inputFinite()) {
                stop = "";
            } else if (last != null && e.step() <= last.diverged()) {
                stop = "; it diverged again after going back to step " + last.to()
                        + ", so the divergence repeats: lower the learning rate";
            } else if (rollbacks.size() >= MAX_ROLLBACKS) {
                stop = "; it had gone back " + rollbacks.size() + " times already (" + describe(rollbacks) + ")";
            }
            if (stop != null) {
                throw new IllegalStateException(config.method() + " diverged: " + e.getMessage() + stop
                        + (checkpointDir == null ? "" : "; the last good checkpoint is in " + checkpointDir), e);
            }
            long back = snapshots.restoreOldest();
            logger.warn("{} diverged: {}; going back to step {} (a copy kept in memory, largest |w| {}) and repeating"
                    + " the steps since", config.method(), e.getMessage(), back,
                    DivergedException.largestWeight(method));
            rollbacks.add(new Rollback(e.step(), back));
            provenance.put("divergenceRollbacks", describe(rollbacks));
            step = back;
            if (checkpointDir != null) {
                checkpoint(recipe);
            }
            startClock();
        }

        /** @return the rollbacks as the recipe records them: "step 1185 to 1000, step 1600 to 1400" */
        private static String describe(List<Rollback> rollbacks) {
            return rollbacks.stream().map(r -> "step " + r.diverged() + " to " + r.to())
                    .collect(Collectors.joining(", "));
        }

        private Path checkpoint(Map<String, String> recipe) throws IOException {
            Path file = Checkpoint.save(checkpointDir, recipe, step, new Checkpoint.Length(length.totalSteps(), end,
                    elapsedSeconds(System.nanoTime())), method, optimiser, checkpointsKept);
            checkpointedAt = step;
            listener.onCheckpoint(file, step);
            return file;
        }
    }
}
