package org.byol4j.pretrain;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.nn.Architecture;
import org.byol4j.nn.MlpHead;
import org.byol4j.spi.ConfigurableOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings every two-view pretraining method shares: backbone, views, projector, batch, run length, optimiser
 * and learning-rate schedule, seed. A method's own settings live in a subclass ({@code ByolConfig},
 * {@code SimSiamConfig}, {@code SimClrConfig}), which also says which {@link PretrainingMethod} it builds.
 *
 * <p>Configurable the Tribuo way: OLCUT {@code @Config} fields (a Tribuo/OLCUT configuration file can build one),
 * {@link #postConfig()} validation that names the bad field, and a provenance. The {@link #recipe()} (backbone
 * metadata, Tribuo provenance, checkpoint compatibility key) is read from the {@code @Config} fields themselves, so
 * a field added to any subclass is recorded and guarded without further code. A subclass sets its own defaults for
 * shared fields with {@link #setDefaults(Map)} in its constructor.
 */
public abstract class PretrainingConfig implements Configurable, Provenancable<ConfiguredObjectProvenance> {

    private static final Logger logger = LoggerFactory.getLogger(PretrainingConfig.class);

    /** Above this base learning rate an Adam-type optimiser is almost surely given a LARS-scale rate. */
    static final float ADAM_LEARNING_RATE_WARNING = 0.01f;

    /** The smallest training view side {@link #viewSize()} gives, in pixels (unless the images are smaller). */
    static final int MIN_VIEW_SIZE = 8;

    @Config(description = "Backbone architecture name, e.g. resnet18-small-w0.5 or mobilenetv2-small-w0.5.")
    private String backbone = "resnet18-small-w1";

    @Config(description = "Image channels: 1 greyscale, 3 RGB.")
    private int inputChannels = 3;

    @Config(description = "Side of the square images the trained backbone embeds, in pixels (and of the training"
            + " views at viewScale 1).")
    private int imageSize = 32;

    @Config(description = "Side of the augmented training views as a fraction of imageSize, in (0, 1]: rounded to"
            + " whole pixels, at least 8. A step costs about in proportion to the view's pixel count, so smaller"
            + " views buy more steps per minute; the backbone still embeds images at imageSize.")
    private float viewScale = 1f;

    @Config(description = "Smallest random-resized-crop area fraction of both views (paper: 0.08).")
    private float cropScaleMin = 0.08f;

    @Config(description = "Largest Gaussian-blur sigma in pixels (paper: 2.0 at 224 px); the smallest is 5 % of it."
            + " Scaled to the image (2.0 x side / 224) the blur keeps the paper's share of the view.")
    private float blurSigmaMax = ViewAugmentation.PAPER_SIGMA_MAX;

    @Config(description = "Projector hidden width (BYOL: 4096).")
    private int projectorHidden = 4096;

    @Config(description = "Projection dimension (BYOL: 256).")
    private int projectorOutput = 256;

    @Config(description = "Images per optimiser step, each seen as two views (BYOL: 4096).")
    private int batchSize = 256;

    @Config(description = "Passes over the data (when neither totalSteps nor timeBudgetSeconds is set).")
    private int epochs = 100;

    @Config(description = "K, the total number of optimiser steps; 0 = from epochs or timeBudgetSeconds. A"
            + " time-budgeted run records the steps it took here, so a rerun with it reproduces the run exactly.")
    private int totalSteps = 0;

    @Config(description = "The K the schedules are built for (warm-up, learning rate, a method's own such as BYOL's"
            + " tau); 0 = the run's own length. A time-budgeted run plans its schedules once and then moves only its"
            + " end to stay on time; it records the K it planned here. Needs totalSteps; steps past stretch x this"
            + " train at the schedules' final values (a budgeted run whose machine sped up records such a length).")
    private int scheduleSteps = 0;

    @Config(description = "Wall-clock budget of the pretraining in seconds; the run measures its step rate, plans K"
            + " from it and moves its end as the rate changes, to end on time. 0 = no budget (epochs or totalSteps).")
    private double timeBudgetSeconds = 0;

    @Config(description = "Optimiser: LARS, SGD or ADAMW.")
    private OptimiserKind optimiser = OptimiserKind.LARS;

    @Config(description = "Learning rate at batch 256; the peak is base x batch / 256 (BYOL LARS: 0.2).")
    private float baseLearningRate = 0.2f;

    @Config(description = "The learning-rate schedule (and a method's own schedules) run over this many times the"
            + " run's K steps, and the run stops at K: 1 anneals fully (the papers); 4 ends where a run four times as"
            + " long would be a quarter of the way, learning rate still high.")
    private double scheduleStretch = 1;

    @Config(description = "Epochs of linear learning-rate warm-up (BYOL: 10 of 1000); negative = derived from"
            + " the run length K (see RunLength).")
    private float warmupEpochs = -1f;

    @Config(description = "Weight decay, not applied to biases and BatchNorm parameters (BYOL: 1.5e-6).")
    private float weightDecay = 1.5e-6f;

    @Config(description = "Momentum of LARS/SGD (BYOL: 0.9).")
    private float momentum = 0.9f;

    @Config(description = "LARS trust coefficient eta (BYOL: 0.001).")
    private float trustCoefficient = 1e-3f;

    @Config(description = "Seed for initialisation, shuffling and augmentation.")
    private long seed = 42;

    /** For subclasses; OLCUT builds them through their public no-argument constructors. */
    protected PretrainingConfig() {}

    /** @return the method these settings are for, e.g. {@code byol}; the recipe's first entry */
    public abstract String method();

    /**
     * Builds the method's networks for one run (or a scratch copy for timing, {@link StepRate}).
     *
     * @param length the run's length, for schedules of the method's own (BYOL's τ)
     * @return the method, owning its weights: close it
     */
    public abstract PretrainingMethod newMethod(RunLength length);

    /** @return the augmentation of the first view of each image */
    public abstract ViewAugmentation view1();

    /**
     * @return the augmentation of the second view of each image: by default the first's (symmetric views, as SimCLR
     *     and SimSiam use); BYOL's differ
     */
    public ViewAugmentation view2() {
        return view1();
    }

    /**
     * Overrides defaults of shared fields for a subclass (SimSiam's SGD, say); call it from the constructor.
     *
     * @param defaults field name to value
     */
    protected final void setDefaults(Map<String, String> defaults) {
        ConfigurableOptions.set(this, defaults);
    }

    /** {@inheritDoc} */
    @Override
    public void postConfig() {
        check(backbone != null && !backbone.isBlank(), "backbone", "must name an architecture");
        try {
            Architecture.parse(backbone, Math.max(1, inputChannels));
        } catch (IllegalArgumentException e) {
            throw new PropertyException("", "backbone", e.getMessage());
        }
        check(inputChannels == 1 || inputChannels == 3, "inputChannels", "must be 1 or 3, got " + inputChannels);
        check(imageSize >= 8 && imageSize <= 1024, "imageSize", "must be in [8, 1024], got " + imageSize);
        check(viewScale > 0f && viewScale <= 1f, "viewScale", "must be in (0, 1] (a fraction of imageSize), got "
                + viewScale);
        check(cropScaleMin > 0f && cropScaleMin <= 1f, "cropScaleMin", "must be in (0, 1], got " + cropScaleMin);
        check(blurSigmaMax > 0f && Float.isFinite(blurSigmaMax), "blurSigmaMax",
                "must be a positive number of pixels, got " + blurSigmaMax);
        check(projectorHidden >= 1, "projectorHidden", "must be >= 1, got " + projectorHidden);
        check(projectorOutput >= 1, "projectorOutput", "must be >= 1, got " + projectorOutput);
        check(batchSize >= 2, "batchSize", "must be >= 2 (BatchNorm needs two samples), got " + batchSize);
        check(epochs >= 1, "epochs", "must be >= 1, got " + epochs);
        check(totalSteps >= 0, "totalSteps", "must be >= 0 (0 = from epochs or the time budget), got "
                + totalSteps);
        check(scheduleSteps >= 0, "scheduleSteps", "must be >= 0 (0 = the run's own length), got "
                + scheduleSteps);
        check(scheduleSteps == 0 || totalSteps > 0, "scheduleSteps", "needs totalSteps (the run's length), got"
                + " totalSteps " + totalSteps);
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

    /**
     * For subclasses' {@code postConfig()}.
     *
     * @param ok whether the field is valid
     * @param field the field's name
     * @param message what was expected and what was found
     * @throws PropertyException naming the field when not {@code ok}
     */
    protected static void check(boolean ok, String field, String message) {
        if (!ok) {
            throw new PropertyException("", field, field + " " + message);
        }
    }

    /** @return the backbone architecture */
    public Architecture backbone() {
        return Architecture.parse(backbone, inputChannels);
    }

    /** @return the projector g: Linear → BatchNorm → ReLU → Linear */
    public MlpHead projector() {
        return MlpHead.builder().setHidden(projectorHidden).setOutput(projectorOutput).build();
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

    /** @return the projector's hidden width */
    public int projectorHidden() {
        return projectorHidden;
    }

    /** @return image channels */
    public int inputChannels() {
        return inputChannels;
    }

    /** @return the side in pixels of the images the trained backbone embeds */
    public int imageSize() {
        return imageSize;
    }

    /** @return the side of the augmented training views as a fraction of the image size */
    public float viewScale() {
        return viewScale;
    }

    /**
     * @return the side in pixels of the augmented training views: viewScale × imageSize rounded, at least 8 (or the
     *     image size, when that is smaller)
     */
    public int viewSize() {
        return Math.max(Math.min(MIN_VIEW_SIZE, imageSize), Math.round(viewScale * imageSize));
    }

    /** @return images per step */
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

    /** @return the K the schedules are built for, or 0 when it is the run's own length */
    public int scheduleSteps() {
        return scheduleSteps;
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

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /**
     * The recipe as flat strings, for backbone metadata, Tribuo provenance and the checkpoint compatibility key:
     * {@code method}, then every {@code @Config} field (shared fields first, then the method's), read from the
     * fields themselves.
     *
     * @return name to value, in declaration order
     */
    public Map<String, String> recipe() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("method", method());
        r.putAll(ConfigurableOptions.values(this));
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
        return getClass().getSimpleName() + recipe();
    }

    /**
     * The builder of every method's config, in DJL's style: one value per {@code opt} method; {@link #build()}
     * validates, once per builder. A method's builder extends it with its own fields.
     *
     * @param <C> the config type built
     * @param <B> the concrete builder type, returned by every {@code opt} method
     */
    public abstract static class Builder<C extends PretrainingConfig, B extends Builder<C, B>> {
        private C config;

        /** @param fresh a config holding the defaults, which this builder fills in */
        protected Builder(C fresh) {
            this.config = fresh;
        }

        /** @return this builder, typed as the subclass */
        protected abstract B self();

        /**
         * @return the config being built, for a subclass's own {@code opt} methods
         * @throws IllegalStateException after {@link #build()}
         */
        protected final C config() {
            if (config == null) {
                throw new IllegalStateException("this builder has already built its config");
            }
            return config;
        }

        private PretrainingConfig base() {
            return config();
        }

        /**
         * @param options field name to value (a preset's options, or options from a command line)
         * @return this builder
         * @throws IllegalArgumentException naming an unknown field or a value that does not parse
         */
        public B optOptions(Map<String, String> options) {
            ConfigurableOptions.set(config(), options);
            return self();
        }

        /**
         * @param name backbone architecture, e.g. {@code resnet18-small-w0.5}
         * @return this builder
         */
        public B optBackbone(String name) {
            base().backbone = name;
            return self();
        }

        /**
         * @param channels image channels, 1 or 3
         * @return this builder
         */
        public B optInputChannels(int channels) {
            base().inputChannels = channels;
            return self();
        }

        /**
         * @param size side in pixels of the images the trained backbone embeds (and of the views at view scale 1)
         * @return this builder
         */
        public B optImageSize(int size) {
            base().imageSize = size;
            return self();
        }

        /**
         * @param scale side of the augmented training views as a fraction of the image size, in (0, 1]
         * @return this builder
         */
        public B optViewScale(float scale) {
            base().viewScale = scale;
            return self();
        }

        /**
         * @param min smallest random-resized-crop area fraction of both views (paper: 0.08)
         * @return this builder
         */
        public B optCropScaleMin(float min) {
            base().cropScaleMin = min;
            return self();
        }

        /**
         * @param sigma largest blur σ in pixels (paper: 2.0)
         * @return this builder
         */
        public B optBlurSigmaMax(float sigma) {
            base().blurSigmaMax = sigma;
            return self();
        }

        /**
         * @param hidden projector hidden width
         * @return this builder
         */
        public B optProjectorHidden(int hidden) {
            base().projectorHidden = hidden;
            return self();
        }

        /**
         * @param output projection dimension
         * @return this builder
         */
        public B optProjectorOutput(int output) {
            base().projectorOutput = output;
            return self();
        }

        /**
         * @param batchSize images per step
         * @return this builder
         */
        public B optBatchSize(int batchSize) {
            base().batchSize = batchSize;
            return self();
        }

        /**
         * @param epochs passes over the data (used when neither total steps nor a time budget is set)
         * @return this builder
         */
        public B optEpochs(int epochs) {
            base().epochs = epochs;
            return self();
        }

        /**
         * @param totalSteps K, the exact number of optimiser steps (0 = from epochs or the time budget)
         * @return this builder
         */
        public B optTotalSteps(int totalSteps) {
            base().totalSteps = totalSteps;
            return self();
        }

        /**
         * @param scheduleSteps the K the schedules are built for (0 = the run's length); needs total steps
         * @return this builder
         */
        public B optScheduleSteps(int scheduleSteps) {
            base().scheduleSteps = scheduleSteps;
            return self();
        }

        /**
         * @param seconds wall-clock budget of the pretraining; the run plans K from its measured step rate and
         *     keeps its end on time
         * @return this builder
         */
        public B optTimeBudgetSeconds(double seconds) {
            base().timeBudgetSeconds = seconds;
            return self();
        }

        /**
         * @param kind the optimiser
         * @return this builder
         */
        public B optOptimiser(OptimiserKind kind) {
            base().optimiser = kind;
            return self();
        }

        /**
         * @param rate learning rate at batch 256
         * @return this builder
         */
        public B optBaseLearningRate(float rate) {
            base().baseLearningRate = rate;
            return self();
        }

        /**
         * @param stretch the schedules run over stretch × K steps (≥ 1; 1 anneals fully at the run's end)
         * @return this builder
         */
        public B optScheduleStretch(double stretch) {
            base().scheduleStretch = stretch;
            return self();
        }

        /**
         * @param warmupEpochs epochs of linear learning-rate warm-up; negative = derived from K
         * @return this builder
         */
        public B optWarmupEpochs(float warmupEpochs) {
            base().warmupEpochs = warmupEpochs;
            return self();
        }

        /**
         * @param weightDecay weight decay (not applied to biases and BatchNorm parameters)
         * @return this builder
         */
        public B optWeightDecay(float weightDecay) {
            base().weightDecay = weightDecay;
            return self();
        }

        /**
         * @param momentum LARS/SGD momentum
         * @return this builder
         */
        public B optMomentum(float momentum) {
            base().momentum = momentum;
            return self();
        }

        /**
         * @param trust LARS trust coefficient η
         * @return this builder
         */
        public B optTrustCoefficient(float trust) {
            base().trustCoefficient = trust;
            return self();
        }

        /**
         * @param seed the seed
         * @return this builder
         */
        public B optSeed(long seed) {
            base().seed = seed;
            return self();
        }

        /**
         * @return the validated configuration
         * @throws PropertyException naming the invalid field
         * @throws IllegalStateException when called twice
         */
        public C build() {
            C built = config();
            built.postConfig();
            config = null;
            return built;
        }
    }
}
