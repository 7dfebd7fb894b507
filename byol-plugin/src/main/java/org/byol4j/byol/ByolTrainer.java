package org.byol4j.byol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.data.ImageSource;
import org.byol4j.data.ViewBatch;
import org.byol4j.data.ViewPairLoader;
import org.byol4j.nn.Backbone;
import org.byol4j.optim.AdamW;
import org.byol4j.optim.Lars;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.optim.TauSchedule;
import org.byol4j.optim.WarmupCosineTracker;
import org.byol4j.spi.RepresentationTrainer;
import org.byol4j.spi.TrainingListener;
import org.byol4j.spi.TrainingProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pretrains a backbone with BYOL (Grill et al. 2020). Each step: two augmented views per image
 * ({@link ViewAugmentation#byolView1}, {@link ViewAugmentation#byolView2}), online predictions and target
 * projections of both, the symmetric {@link ByolLoss}, one optimiser step on the online network only, then
 * the target update ξ ← τ_k ξ + (1 − τ_k) θ with the cosine {@link TauSchedule}. The learning rate is
 * {@code base × batch / 256} with linear warm-up and cosine decay ({@link WarmupCosineTracker}).
 *
 * <p>With a checkpoint directory, the full state is written atomically every {@code checkpointEvery} steps
 * and at the end of each epoch, and a run started on a directory that holds a checkpoint of the same recipe
 * continues exactly where it stopped. The loop keeps off-heap memory flat: every step's arrays live in a
 * sub-manager closed at the end of the step. A non-finite loss stops the run with the last checkpoint
 * intact.
 */
public final class ByolTrainer implements RepresentationTrainer {

    private static final Logger logger = LoggerFactory.getLogger(ByolTrainer.class);

    private final ByolConfig config;
    private final Path checkpointDir;
    private final int checkpointEvery;
    private final int workers;

    /**
     * @param config the run's settings
     * @param checkpointDir where to checkpoint and resume from, or null for none
     * @param checkpointEvery steps between checkpoints (≥ 1; epoch ends are always checkpointed)
     * @param workers view-generation threads (≥ 1)
     */
    public ByolTrainer(ByolConfig config, Path checkpointDir, int checkpointEvery, int workers) {
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be >= 1, got " + checkpointEvery);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.config = config;
        this.checkpointDir = checkpointDir;
        this.checkpointEvery = checkpointEvery;
        this.workers = workers;
    }

    /**
     * A trainer without checkpoints, with one view-generation thread per core.
     *
     * @param config the run's settings
     */
    public ByolTrainer(ByolConfig config) {
        this(config, null, Integer.MAX_VALUE, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "byol";
    }

    /** @return the configuration */
    public ByolConfig config() {
        return config;
    }

    /** {@inheritDoc} */
    @Override
    public Backbone train(ImageSource images, TrainingListener listener) {
        int size = config.imageSize();
        try (ViewPairLoader loader = new ViewPairLoader(images, ViewAugmentation.byolView1(size, config.cropScaleMin()),
                        ViewAugmentation.byolView2(size, config.cropScaleMin()), config.inputChannels(), config.batchSize(), config.seed(),
                        workers);
                ByolNetworks nets = new ByolNetworks(config)) {
            int perEpoch = loader.batchesPerEpoch();
            long total = (long) perEpoch * config.epochs();
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("epochs x batches per epoch exceeds " + Integer.MAX_VALUE);
            }
            TauSchedule tau = config.fixedTau() >= 0 ? TauSchedule.constant(config.fixedTau())
                    : TauSchedule.cosine(config.tauBase(), (int) total);
            WarmupCosineTracker lr = learningRate(perEpoch, (int) total);
            try (StatefulOptimizer optimiser = optimiser(lr)) {
                String recipe = config.recipe().toString();
                long step = checkpointDir == null ? 0 : Checkpoint.restore(checkpointDir, recipe, nets, optimiser);
                Run run = new Run(nets, optimiser, tau, lr, total, listener, step);
                for (int epoch = (int) (step / perEpoch); epoch < config.epochs(); epoch++) {
                    run.epoch(loader.epoch(epoch, (int) (step % perEpoch)), epoch, recipe);
                    step = (long) (epoch + 1) * perEpoch;
                }
                Map<String, String> provenance = new LinkedHashMap<>(config.recipe());
                provenance.put("steps", Long.toString(total));
                provenance.put("pretrainedOn", images.description());
                return Backbone.copyOf(config.backbone(), size, nets.online.backbone(), provenance);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private WarmupCosineTracker learningRate(int perEpoch, int total) {
        int warmup = Math.min(total - 1, Math.round(config.warmupEpochs() * perEpoch));
        return WarmupCosineTracker.builder()
                .setPeakValue(WarmupCosineTracker.scaledPeak(config.baseLearningRate(), config.batchSize()))
                .setTotalUpdates(total)
                .optWarmupUpdates(Math.max(0, warmup))
                .build();
    }

    private StatefulOptimizer optimiser(WarmupCosineTracker lr) {
        switch (config.optimiser()) {
            case ADAMW:
                return AdamW.builder().setLearningRateTracker(lr).optWeightDecays(config.weightDecay()).build();
            case SGD:
                return Lars.sgdBuilder().setLearningRateTracker(lr).optMomentum(config.momentum())
                        .optWeightDecays(config.weightDecay()).build();
            default:
                return Lars.builder().setLearningRateTracker(lr).optMomentum(config.momentum())
                        .optWeightDecays(config.weightDecay()).optTrustCoefficient(config.trustCoefficient())
                        .build();
        }
    }

    /** The mutable state of one call to {@link #train}: the step counter and what to report. */
    private final class Run {
        private final ByolNetworks nets;
        private final StatefulOptimizer optimiser;
        private final TauSchedule tau;
        private final WarmupCosineTracker lr;
        private final long total;
        private final TrainingListener listener;
        private final ByolStep byolStep;
        private long step;

        Run(ByolNetworks nets, StatefulOptimizer optimiser, TauSchedule tau, WarmupCosineTracker lr, long total,
                TrainingListener listener, long step) {
            this.step = step;
            this.nets = nets;
            this.optimiser = optimiser;
            this.tau = tau;
            this.lr = lr;
            this.total = total;
            this.listener = listener;
            this.byolStep = new ByolStep(nets, optimiser, config.jointViewForward());
        }

        void epoch(Iterator<ViewBatch> batches, int epoch, String recipe) throws IOException {
            double lossSum = 0;
            int steps = 0;
            long started = System.nanoTime();
            TrainingProgress last = null;
            while (batches.hasNext()) {
                ViewBatch batch = batches.next();
                long t0 = System.nanoTime();
                ByolStep.Result r = byolStep.run(batch);
                step++;
                double t = tau.tau(step);
                nets.target.update(nets.online, t);
                if (!Double.isFinite(r.loss())) {
                    throw new IllegalStateException("BYOL diverged: loss " + r.loss() + " at step " + step
                            + (checkpointDir == null ? "" : "; the last good checkpoint is in " + checkpointDir));
                }
                lossSum += r.loss();
                steps++;
                double rate = batch.size() / ((System.nanoTime() - t0) / 1e9);
                last = new TrainingProgress(epoch, step, total, r.loss(), lr.getNewValue((int) step), t, r.collapseStd(),
                        rate);
                listener.onStep(last);
                if (checkpointDir != null && step % checkpointEvery == 0) {
                    checkpoint(recipe);
                }
            }
            if (last != null) {
                double rate = (double) steps * config.batchSize() / ((System.nanoTime() - started) / 1e9);
                TrainingProgress summary = new TrainingProgress(epoch, step, total, lossSum / steps,
                        last.learningRate(), last.tau(), last.collapseStd(), rate);
                logger.info(String.format(Locale.ROOT, "epoch %d/%d: loss %.4f, collapse monitor %.4f (healthy %.4f),"
                        + " tau %.5f, lr %.4f, %.0f pairs/s", epoch + 1, config.epochs(), summary.loss(),
                        summary.collapseStd(), CollapseMonitor.healthyValue(config.projectorOutput()), summary.tau(),
                        summary.learningRate(), rate));
                listener.onEpoch(summary);
                if (listener.wantsBackbone(epoch)) {
                    try (Backbone online = Backbone.copyOf(config.backbone(), config.imageSize(),
                            nets.online.backbone(), config.recipe())) {
                        listener.onBackbone(epoch, online);
                    }
                }
                if (checkpointDir != null && step % checkpointEvery != 0) {
                    checkpoint(recipe);
                }
            }
        }

        private void checkpoint(String recipe) throws IOException {
            listener.onCheckpoint(Checkpoint.save(checkpointDir, recipe, step, nets, optimiser), step);
        }
    }
}
