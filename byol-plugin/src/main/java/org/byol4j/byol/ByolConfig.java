package org.byol4j.byol;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.nn.MlpHead;
import org.byol4j.nn.ResNet;
import org.byol4j.spi.ConfigurableOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every knob of a BYOL run, with the paper's values as defaults where they make sense (Grill et al. 2020,
 * §3.3 and appendix C). Configurable the Tribuo way: OLCUT {@code @Config} fields (so a Tribuo/OLCUT
 * configuration file can build one), {@link #postConfig()} validation that names the bad field, and a
 * provenance. In code, use {@link #builder()}.
 */
public final class ByolConfig implements Configurable, Provenancable<ConfiguredObjectProvenance> {

    private static final Logger logger = LoggerFactory.getLogger(ByolConfig.class);

    /** Above this base learning rate an Adam-type optimiser is almost surely given a LARS-scale rate. */
    static final float ADAM_LEARNING_RATE_WARNING = 0.01f;

    @Config(description = "Backbone architecture name, e.g. resnet18-small-w0.5 (see ResNet.parse).")
    private String backbone = "resnet18-small-w1";

    @Config(description = "Image channels: 1 greyscale, 3 RGB.")
    private int inputChannels = 3;

    @Config(description = "Side of the square views fed to the network, in pixels.")
    private int imageSize = 32;

    @Config(description = "Smallest random-resized-crop area fraction of both views (paper: 0.08).")
    private float cropScaleMin = 0.08f;

    @Config(description = "Largest Gaussian-blur sigma in pixels (paper: 2.0 at 224 px); the smallest is 5 % of it."
            + " Scaled to the image (2.0 x side / 224) the blur keeps the paper's share of the view.")
    private float blurSigmaMax = ViewAugmentation.PAPER_SIGMA_MAX;

    @Config(description = "Projector hidden width (paper: 4096).")
    private int projectorHidden = 4096;

    @Config(description = "Projection dimension (paper: 256).")
    private int projectorOutput = 256;

    @Config(description = "Predictor hidden width; 0 means the projector's (paper: 4096).")
    private int predictorHidden = 0;

    @Config(description = "Predictor ablation: TRAINED (BYOL), NONE or FROZEN_RANDOM.")
    private PredictorMode predictor = PredictorMode.TRAINED;

    @Config(description = "Image pairs per optimiser step (paper: 4096).")
    private int batchSize = 256;

    @Config(description = "Passes over the data (when neither totalSteps nor timeBudgetSeconds is set).")
    private int epochs = 100;

    @Config(description = "K, the total number of optimiser steps; 0 = from epochs or timeBudgetSeconds. A"
            + " time-budgeted run records the K it chose here, so a rerun with it reproduces the run exactly.")
    private int totalSteps = 0;

    @Config(description = "Wall-clock budget of the pretraining in seconds; the run measures its step rate and"
            + " fixes K to end on time. 0 = no budget (epochs or totalSteps).")
    private double timeBudgetSeconds = 0;

    @Config(description = "Optimiser: LARS (paper), SGD or ADAMW.")
    private OptimiserKind optimiser = OptimiserKind.LARS;

    @Config(description = "Learning rate at batch 256; the peak is base x batch / 256 (paper LARS: 0.2).")
    private float baseLearningRate = 0.2f;

    @Config(description = "The learning-rate and tau schedules run over this many times the run's K steps, and the run"
            + " stops at K: 1 anneals fully (paper); 4 ends where a run four times as long would be a quarter of the"
            + " way, learning rate and target still moving.")
    private double scheduleStretch = 1;

    @Config(description = "Epochs of linear learning-rate warm-up (paper: 10 of 1000); negative = derived from"
            + " the run length K (see RunLength).")
    private float warmupEpochs = -1f;

    @Config(description = "Weight decay, not applied to biases and BatchNorm parameters (paper: 1.5e-6).")
    private float weightDecay = 1.5e-6f;

    @Config(description = "Momentum of LARS/SGD (paper: 0.9).")
    private float momentum = 0.9f;

    @Config(description = "LARS trust coefficient eta (paper: 0.001).")
    private float trustCoefficient = 1e-3f;

    @Config(description = "tau_base of the cosine target-decay schedule (paper: 0.996); negative = derived from"
            + " the run length K (see RunLength).")
    private double tauBase = -1;

    @Config(description = "A fixed tau instead of the schedule (ablations: 0 = target is online, 1 = frozen"
            + " random target); negative = use the schedule.")
    private double fixedTau = -1;

    @Config(description = "Forward both views as one batch of 2N (faster; BatchNorm then pools both views'"
            + " statistics, unlike the paper's separate passes).")
    private boolean jointViewForward = false;

    @Config(description = "Seed for initialisation, shuffling and augmentation.")
    private long seed = 42;

    /** For OLCUT's configuration system; use {@link #builder()} in code. */
    public ByolConfig() {}

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param preset a named recipe to start from
     * @return a builder starting from the preset's values (the defaults for fields it does not set)
     */
    public static Builder builder(ByolPreset preset) {
        Builder b = new Builder();
        ConfigurableOptions.set(b.c, preset.options());
        return b;
    }

    /** {@inheritDoc} */
    @Override
    public void postConfig() {
        check(backbone != null && !backbone.isBlank(), "backbone", "must name an architecture");
        try {
            ResNet.parse(backbone, Math.max(1, inputChannels));
        } catch (IllegalArgumentException e) {
            throw new PropertyException("", "backbone", e.getMessage());
        }
        check(inputChannels == 1 || inputChannels == 3, "inputChannels", "must be 1 or 3, got " + inputChannels);
        check(imageSize >= 8 && imageSize <= 1024, "imageSize", "must be in [8, 1024], got " + imageSize);
        check(cropScaleMin > 0f && cropScaleMin <= 1f, "cropScaleMin", "must be in (0, 1], got " + cropScaleMin);
        check(blurSigmaMax > 0f && Float.isFinite(blurSigmaMax), "blurSigmaMax",
                "must be a positive number of pixels, got " + blurSigmaMax);
        check(projectorHidden >= 1, "projectorHidden", "must be >= 1, got " + projectorHidden);
        check(projectorOutput >= 1, "projectorOutput", "must be >= 1, got " + projectorOutput);
        check(predictorHidden >= 0, "predictorHidden", "must be >= 0, got " + predictorHidden);
        check(predictor != null, "predictor", "must be one of TRAINED, NONE, FROZEN_RANDOM");
        check(batchSize >= 2, "batchSize", "must be >= 2 (BatchNorm needs two samples), got " + batchSize);
        check(epochs >= 1, "epochs", "must be >= 1, got " + epochs);
        check(totalSteps >= 0, "totalSteps", "must be >= 0 (0 = from epochs or the time budget), got "
                + totalSteps);
        check(timeBudgetSeconds >= 0 && Double.isFinite(timeBudgetSeconds), "timeBudgetSeconds",
                "must be >= 0 seconds (0 = no budget), got " + timeBudgetSeconds);
        check(totalSteps == 0 || timeBudgetSeconds == 0, "timeBudgetSeconds",
                "cannot be combined with totalSteps " + totalSteps + ": set one of them");
        check(optimiser != null, "optimiser", "must be one of LARS, SGD, ADAMW");
        check(baseLearningRate > 0f && Float.isFinite(baseLearningRate), "baseLearningRate",
                "must be a positive number, got " + baseLearningRate);
        check(warmupEpochs < 0f || (totalSteps > 0 || timeBudgetSeconds > 0 || warmupEpochs < epochs),
                "warmupEpochs", "must be below epochs " + epochs + " (negative = derived from the run length), got "
                + warmupEpochs);
        check(scheduleStretch >= 1 && Double.isFinite(scheduleStretch), "scheduleStretch",
                "must be >= 1 (1 = anneal fully over the run), got " + scheduleStretch);
        check(weightDecay >= 0f, "weightDecay", "must be >= 0, got " + weightDecay);
        check(momentum >= 0f && momentum < 1f, "momentum", "must be in [0, 1), got " + momentum);
        check(trustCoefficient >= 0f, "trustCoefficient", "must be >= 0, got " + trustCoefficient);
        check(tauBase <= 1 && !Double.isNaN(tauBase), "tauBase",
                "must be in [0, 1] (negative = derived from the run length), got " + tauBase);
        check(fixedTau <= 1, "fixedTau", "must be <= 1 (negative = schedule), got " + fixedTau);
        for (String warning : warnings()) {
            logger.warn(warning);
        }
    }

    /**
     * Settings that are valid but almost surely a mistake; {@link #postConfig()} logs each one at WARN.
     *
     * @return the warnings, empty when none
     */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        if (optimiser == OptimiserKind.ADAMW && baseLearningRate > ADAM_LEARNING_RATE_WARNING) {
            out.add("baseLearningRate " + baseLearningRate + " with ADAMW is a LARS-scale rate; BYOL with Adam "
                    + "collapses at such rates (byol-pytorch #44). Use about 1e-3, or optimiser LARS.");
        }
        return out;
    }

    private static void check(boolean ok, String field, String message) {
        if (!ok) {
            throw new PropertyException("", field, field + " " + message);
        }
    }

    /** @return the backbone architecture */
    public ResNet backbone() {
        return ResNet.parse(backbone, inputChannels);
    }

    /** @return the projector g */
    public MlpHead projector() {
        return MlpHead.builder().setHidden(projectorHidden).setOutput(projectorOutput).build();
    }

    /** @return the predictor q (also built for {@link PredictorMode#NONE}, then unused) */
    public MlpHead predictorHead() {
        int hidden = predictorHidden == 0 ? projectorHidden : predictorHidden;
        return MlpHead.builder().setHidden(hidden).setOutput(projectorOutput).build();
    }

    /** @return the smallest crop area fraction of both views */
    public float cropScaleMin() {
        return cropScaleMin;
    }

    /** @return the largest blur σ in pixels */
    public float blurSigmaMax() {
        return blurSigmaMax;
    }

    /** @return the projection dimension d (the collapse monitor's healthy value is 1/√d) */
    public int projectorOutput() {
        return projectorOutput;
    }

    /** @return image channels */
    public int inputChannels() {
        return inputChannels;
    }

    /** @return the view side in pixels */
    public int imageSize() {
        return imageSize;
    }

    /** @return the predictor ablation */
    public PredictorMode predictor() {
        return predictor;
    }

    /** @return pairs per step */
    public int batchSize() {
        return batchSize;
    }

    /** @return passes over the data, used when neither {@link #totalSteps()} nor a time budget is set */
    public int epochs() {
        return epochs;
    }

    /** @return K, the total number of optimiser steps, or 0 when it comes from epochs or the time budget */
    public int totalSteps() {
        return totalSteps;
    }

    /** @return the wall-clock budget of the pretraining in seconds, or 0 for none */
    public double timeBudgetSeconds() {
        return timeBudgetSeconds;
    }

    /** @return the optimiser */
    public OptimiserKind optimiser() {
        return optimiser;
    }

    /** @return learning rate at batch 256 */
    public float baseLearningRate() {
        return baseLearningRate;
    }

    /** @return how many times K the schedules run over (1 = anneal fully at the end of the run) */
    public double scheduleStretch() {
        return scheduleStretch;
    }

    /** @return warm-up length in epochs, or a negative number when derived from K ({@link RunLength}) */
    public float warmupEpochs() {
        return warmupEpochs;
    }

    /** @return weight decay */
    public float weightDecay() {
        return weightDecay;
    }

    /** @return LARS/SGD momentum */
    public float momentum() {
        return momentum;
    }

    /** @return LARS η */
    public float trustCoefficient() {
        return trustCoefficient;
    }

    /** @return τ_base, or a negative number when derived from K ({@link RunLength}) */
    public double tauBase() {
        return tauBase;
    }

    /** @return the fixed τ, or a negative number for the cosine schedule */
    public double fixedTau() {
        return fixedTau;
    }

    /** @return whether both views go through the networks as one batch */
    public boolean jointViewForward() {
        return jointViewForward;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /**
     * The recipe as flat strings, for backbone metadata and Tribuo provenance.
     *
     * @return field name to value, in declaration order
     */
    public Map<String, String> recipe() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("method", "byol");
        r.put("backbone", backbone);
        r.put("inputChannels", Integer.toString(inputChannels));
        r.put("imageSize", Integer.toString(imageSize));
        r.put("cropScaleMin", Float.toString(cropScaleMin));
        r.put("blurSigmaMax", Float.toString(blurSigmaMax));
        r.put("projector", projectorHidden + "-" + projectorOutput);
        r.put("predictor", predictor + ":" + (predictorHidden == 0 ? projectorHidden : predictorHidden) + "-"
                + projectorOutput);
        r.put("batchSize", Integer.toString(batchSize));
        r.put("epochs", Integer.toString(epochs));
        r.put("totalSteps", Integer.toString(totalSteps));
        r.put("timeBudgetSeconds", Double.toString(timeBudgetSeconds));
        r.put("optimiser", optimiser.name().toLowerCase(Locale.ROOT));
        r.put("baseLearningRate", Float.toString(baseLearningRate));
        r.put("scheduleStretch", Double.toString(scheduleStretch));
        r.put("warmupEpochs", Float.toString(warmupEpochs));
        r.put("weightDecay", Float.toString(weightDecay));
        r.put("momentum", Float.toString(momentum));
        r.put("trustCoefficient", Float.toString(trustCoefficient));
        r.put("tauBase", Double.toString(tauBase));
        r.put("fixedTau", Double.toString(fixedTau));
        r.put("jointViewForward", Boolean.toString(jointViewForward));
        r.put("seed", Long.toString(seed));
        return r;
    }

    /** {@inheritDoc} */
    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "RepresentationTrainer");
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "ByolConfig" + recipe();
    }

    /** Builder in DJL's style over the same fields; {@link #build()} validates, once per builder. */
    public static final class Builder {
        private ByolConfig c = new ByolConfig();

        private Builder() {}

        /**
         * @param name backbone name, e.g. {@code resnet18-small-w0.5}
         * @param channels image channels
         * @param size view side in pixels
         * @return this builder
         */
        public Builder optBackbone(String name, int channels, int size) {
            c.backbone = name;
            c.inputChannels = channels;
            c.imageSize = size;
            return this;
        }

        /**
         * @param min smallest random-resized-crop area fraction of both views (paper: 0.08)
         * @return this builder
         */
        public Builder optCropScaleMin(float min) {
            c.cropScaleMin = min;
            return this;
        }

        /**
         * @param hidden projector hidden width
         * @param output projection dimension
         * @return this builder
         */
        public Builder optProjector(int hidden, int output) {
            c.projectorHidden = hidden;
            c.projectorOutput = output;
            return this;
        }

        /**
         * @param mode predictor ablation
         * @param hidden predictor hidden width (0 = projector's)
         * @return this builder
         */
        public Builder optPredictor(PredictorMode mode, int hidden) {
            c.predictor = mode;
            c.predictorHidden = hidden;
            return this;
        }

        /**
         * @param batchSize pairs per step
         * @param epochs passes over the data
         * @return this builder
         */
        public Builder optSchedule(int batchSize, int epochs) {
            c.batchSize = batchSize;
            c.epochs = epochs;
            return this;
        }

        /**
         * @param epochs passes over the data (used when neither total steps nor a time budget is set)
         * @return this builder
         */
        public Builder optEpochs(int epochs) {
            c.epochs = epochs;
            return this;
        }

        /**
         * @param totalSteps K, the exact number of optimiser steps (0 = from epochs or the time budget)
         * @return this builder
         */
        public Builder optTotalSteps(int totalSteps) {
            c.totalSteps = totalSteps;
            return this;
        }

        /**
         * @param seconds wall-clock budget of the pretraining; the run fixes K from its measured step rate
         * @return this builder
         */
        public Builder optTimeBudgetSeconds(double seconds) {
            c.timeBudgetSeconds = seconds;
            return this;
        }

        /**
         * @param stretch the schedules run over stretch × K steps (≥ 1; 1 anneals fully at the run's end)
         * @return this builder
         */
        public Builder optScheduleStretch(double stretch) {
            c.scheduleStretch = stretch;
            return this;
        }

        /**
         * @param warmupEpochs epochs of linear learning-rate warm-up; negative = derived from K
         * @return this builder
         */
        public Builder optWarmupEpochs(float warmupEpochs) {
            c.warmupEpochs = warmupEpochs;
            return this;
        }

        /**
         * @param batchSize pairs per step
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            c.batchSize = batchSize;
            return this;
        }

        /**
         * @param rate learning rate at batch 256
         * @return this builder
         */
        public Builder optBaseLearningRate(float rate) {
            c.baseLearningRate = rate;
            return this;
        }

        /**
         * @param kind optimiser
         * @param baseLearningRate learning rate at batch 256
         * @param warmupEpochs warm-up epochs
         * @return this builder
         */
        public Builder optOptimiser(OptimiserKind kind, float baseLearningRate, float warmupEpochs) {
            c.optimiser = kind;
            c.baseLearningRate = baseLearningRate;
            c.warmupEpochs = warmupEpochs;
            return this;
        }

        /**
         * @param weightDecay decay
         * @param momentum momentum
         * @param trustCoefficient LARS η
         * @return this builder
         */
        public Builder optOptimiserDetails(float weightDecay, float momentum, float trustCoefficient) {
            c.weightDecay = weightDecay;
            c.momentum = momentum;
            c.trustCoefficient = trustCoefficient;
            return this;
        }

        /**
         * @param tauBase τ_base of the cosine schedule; negative = derived from K
         * @return this builder
         */
        public Builder optTauBase(double tauBase) {
            c.tauBase = tauBase;
            return this;
        }

        /**
         * @param tau a fixed τ in [0, 1] replacing the schedule
         * @return this builder
         */
        public Builder optFixedTau(double tau) {
            c.fixedTau = tau;
            return this;
        }

        /**
         * @param joint forward both views as one batch
         * @return this builder
         */
        public Builder optJointViewForward(boolean joint) {
            c.jointViewForward = joint;
            return this;
        }

        /**
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            c.seed = seed;
            return this;
        }

        /**
         * @return the validated configuration
         * @throws PropertyException naming the invalid field
         */
        public ByolConfig build() {
            if (c == null) {
                throw new IllegalStateException("this builder has already built its ByolConfig");
            }
            c.postConfig();
            ByolConfig built = c;
            c = null;
            return built;
        }
    }
}
