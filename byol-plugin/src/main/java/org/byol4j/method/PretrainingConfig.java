package org.byol4j.method;

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
import org.byol4j.options.DeclaredOptions;
import org.byol4j.options.InvalidOptionException;
import org.byol4j.options.Option;
import org.byol4j.options.OptionValues;
import org.byol4j.views.ViewPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings every two-view pretraining method shares: backbone, views, projector, batch, run length, optimiser
 * and learning-rate schedule, seed. A method's own settings live in a subclass ({@code ByolConfig},
 * {@code SimSiamConfig}, {@code SimClrConfig}), which also says which {@link PretrainingMethod} it builds.
 *
 * <p>Each setting is an {@link Option} declared once, as a constant here or in the subclass, with its name, type,
 * default, rule and description; everything else comes from the declarations: {@link #get} reads one,
 * {@link Builder#set} writes one (type-checked), text options ({@code -o name=value}) and presets
 * ({@link OptionValues}) set them, the {@link #recipe()} (backbone metadata, Tribuo provenance, checkpoint
 * compatibility) lists them all. A subclass changes the defaults of shared options with
 * {@link #setDefaults(OptionValues)} in its constructor and adds rules that relate options in
 * {@link #validate()}.
 *
 * <p>Configurable the Tribuo way too: an OLCUT configuration file gives the options by name in its
 * {@code options} property map; {@link #postConfig()} validates and names the bad option; the config has a
 * provenance.
 */
public abstract class PretrainingConfig implements Configurable, Provenancable<ConfiguredObjectProvenance> {

    private static final Logger logger = LoggerFactory.getLogger(PretrainingConfig.class);

    /** Above this base learning rate an Adam-type optimiser is almost surely given a LARS-scale rate. */
    static final float ADAM_LEARNING_RATE_WARNING = 0.01f;

    /** The smallest training view side {@link #viewSize()} gives, in pixels (unless the images are smaller). */
    static final int MIN_VIEW_SIZE = 8;

    /** Backbone architecture name. */
    public static final Option<PretrainingConfig, String> BACKBONE = Option.ofText(PretrainingConfig.class,
            "backbone", "resnet18-small-w1", "Backbone architecture name, e.g. resnet18-small-w0.5 or"
                    + " mobilenetv2-small-w0.5.").require(b -> !b.isBlank(), "must name an architecture");

    /** Image channels. */
    public static final Option<PretrainingConfig, Integer> INPUT_CHANNELS = Option.ofInt(PretrainingConfig.class,
            "inputChannels", 3, "Image channels: 1 greyscale, 3 RGB.").require(c -> c == 1 || c == 3,
                    "must be 1 or 3");

    /** Side of the images the trained backbone embeds. */
    public static final Option<PretrainingConfig, Integer> IMAGE_SIZE = Option.ofInt(PretrainingConfig.class,
            "imageSize", 32, "Side of the square images the trained backbone embeds, in pixels (and of the training"
                    + " views at viewScale 1).").require(s -> s >= 8 && s <= 1024, "must be in [8, 1024]");

    /** Side of the training views as a fraction of the image side. */
    public static final Option<PretrainingConfig, Float> VIEW_SCALE = Option.ofFloat(PretrainingConfig.class,
            "viewScale", 1f, "Side of the augmented training views as a fraction of imageSize, in (0, 1]: rounded to"
                    + " whole pixels, at least 8. A step costs about in proportion to the view's pixel count, so"
                    + " smaller views buy more steps per minute; the backbone still embeds images at imageSize.")
            .require(v -> v > 0f && v <= 1f, "must be in (0, 1] (a fraction of imageSize)");

    /** Smallest random-resized-crop area fraction. */
    public static final Option<PretrainingConfig, Float> CROP_SCALE_MIN = Option.ofFloat(PretrainingConfig.class,
            "cropScaleMin", 0.08f, "Smallest random-resized-crop area fraction of both views (paper: 0.08).")
            .require(v -> v > 0f && v <= 1f, "must be in (0, 1]");

    /** Multi-crop: local views per image. */
    public static final Option<PretrainingConfig, Integer> LOCAL_VIEWS = Option.ofInt(PretrainingConfig.class,
            "localViews", 0, "Multi-crop (SwAV, DINO): this many small local views per image besides the two global"
                    + " ones; the online network sees every view, the target (or stop-gradient side) only the global"
                    + " ones. 0 = the method's two views.").require(v -> v >= 0 && v <= 16, "must be in [0, 16]");

    /** Multi-crop: side of the local views. */
    public static final Option<PretrainingConfig, Integer> LOCAL_VIEW_SIZE = Option.ofInt(PretrainingConfig.class,
            "localViewSize", 0, "Side of the local views in pixels; 0 = 96/224 of the global views' side (SwAV's"
                    + " and DINO's ratio), at least 8.").require(v -> v == 0 || v >= 4, "must be >= 4 pixels (0 ="
                    + " derived from the global views)");

    /** Multi-crop: smallest crop area fraction of a local view. */
    public static final Option<PretrainingConfig, Float> LOCAL_CROP_SCALE_MIN = Option.ofFloat(
            PretrainingConfig.class, "localCropScaleMin", 0.05f, "Smallest random-resized-crop area fraction of the"
                    + " local views (DINO: 0.05).").require(v -> v > 0f && v <= 1f, "must be in (0, 1]");

    /** Multi-crop: largest crop area fraction of a local view. */
    public static final Option<PretrainingConfig, Float> LOCAL_CROP_SCALE_MAX = Option.ofFloat(
            PretrainingConfig.class, "localCropScaleMax", 0.4f, "Largest random-resized-crop area fraction of the"
                    + " local views (DINO: 0.4).").require(v -> v > 0f && v <= 1f, "must be in (0, 1]");

    /** Largest blur σ in pixels. */
    public static final Option<PretrainingConfig, Float> BLUR_SIGMA_MAX = Option.ofFloat(PretrainingConfig.class,
            "blurSigmaMax", ViewAugmentation.PAPER_SIGMA_MAX, "Largest Gaussian-blur sigma in pixels (paper: 2.0 at"
                    + " 224 px); the smallest is 5 % of it. Scaled to the image (2.0 x side / 224) the blur keeps"
                    + " the paper's share of the view.").require(v -> v > 0f, "must be a positive number of pixels");

    /** Projector hidden width. */
    public static final Option<PretrainingConfig, Integer> PROJECTOR_HIDDEN = Option.ofInt(PretrainingConfig.class,
            "projectorHidden", 4096, "Projector hidden width (BYOL: 4096).").require(v -> v >= 1, "must be >= 1");

    /** Projection dimension. */
    public static final Option<PretrainingConfig, Integer> PROJECTOR_OUTPUT = Option.ofInt(PretrainingConfig.class,
            "projectorOutput", 256, "Projection dimension (BYOL: 256).").require(v -> v >= 1, "must be >= 1");

    /** Images per optimiser step. */
    public static final Option<PretrainingConfig, Integer> BATCH_SIZE = Option.ofInt(PretrainingConfig.class,
            "batchSize", 256, "Images per optimiser step, each seen as two views (BYOL: 4096).")
            .require(v -> v >= 2, "must be >= 2 (BatchNorm needs two samples)");

    /** Passes over the data. */
    public static final Option<PretrainingConfig, Integer> EPOCHS = Option.ofInt(PretrainingConfig.class, "epochs",
            100, "Passes over the data (when neither totalSteps nor timeBudgetSeconds is set).")
            .require(v -> v >= 1, "must be >= 1");

    /** K, the total number of optimiser steps. */
    public static final Option<PretrainingConfig, Integer> TOTAL_STEPS = Option.ofInt(PretrainingConfig.class,
            "totalSteps", 0, "K, the total number of optimiser steps; 0 = from epochs or timeBudgetSeconds. A"
                    + " time-budgeted run records the steps it took here, so a rerun with it reproduces the run"
                    + " exactly.").require(v -> v >= 0, "must be >= 0 (0 = from epochs or the time budget)");

    /** The K the schedules are built for. */
    public static final Option<PretrainingConfig, Integer> SCHEDULE_STEPS = Option.ofInt(PretrainingConfig.class,
            "scheduleSteps", 0, "The K the schedules are built for (warm-up, learning rate, a method's own such as"
                    + " BYOL's tau); 0 = the run's own length. A time-budgeted run plans its schedules once and then"
                    + " moves only its end to stay on time; it records the K it planned here. Needs totalSteps;"
                    + " steps past stretch x this train at the schedules' final values (a budgeted run whose"
                    + " machine sped up records such a length).")
            .require(v -> v >= 0, "must be >= 0 (0 = the run's own length)");

    /** Wall-clock budget in seconds. */
    public static final Option<PretrainingConfig, Double> TIME_BUDGET_SECONDS = Option.ofDouble(
            PretrainingConfig.class, "timeBudgetSeconds", 0, "Wall-clock budget of the pretraining in seconds; the"
                    + " run measures its step rate, plans K from it and moves its end as the rate changes, to end"
                    + " on time. 0 = no budget (epochs or totalSteps).")
            .require(v -> v >= 0, "must be >= 0 seconds (0 = no budget)");

    /** The optimiser. */
    public static final Option<PretrainingConfig, OptimiserKind> OPTIMISER = Option.ofEnum(PretrainingConfig.class,
            "optimiser", OptimiserKind.LARS, "Optimiser: LARS, SGD or ADAMW.");

    /** Learning rate at batch 256. */
    public static final Option<PretrainingConfig, Float> BASE_LEARNING_RATE = Option.ofFloat(
            PretrainingConfig.class, "baseLearningRate", 0.2f, "Learning rate at batch 256; the peak is base x"
                    + " batch / 256 (BYOL LARS: 0.2).").require(v -> v > 0f, "must be a positive number");

    /** How many times K the schedules run over. */
    public static final Option<PretrainingConfig, Double> SCHEDULE_STRETCH = Option.ofDouble(
            PretrainingConfig.class, "scheduleStretch", 1, "The learning-rate schedule (and a method's own"
                    + " schedules) run over this many times the run's K steps, and the run stops at K: 1 anneals"
                    + " fully (the papers); 4 ends where a run four times as long would be a quarter of the way,"
                    + " learning rate still high.").require(v -> v >= 1, "must be >= 1 (1 = anneal fully over the"
                    + " run)");

    /** Epochs of learning-rate warm-up. */
    public static final Option<PretrainingConfig, Float> WARMUP_EPOCHS = Option.ofFloat(PretrainingConfig.class,
            "warmupEpochs", -1f, "Epochs of linear learning-rate warm-up (BYOL: 10 of 1000); negative = derived"
                    + " from the run length K (see RunLength).");

    /** Weight decay. */
    public static final Option<PretrainingConfig, Float> WEIGHT_DECAY = Option.ofFloat(PretrainingConfig.class,
            "weightDecay", 1.5e-6f, "Weight decay, not applied to biases and BatchNorm parameters (BYOL: 1.5e-6).")
            .require(v -> v >= 0f, "must be >= 0");

    /** LARS/SGD momentum. */
    public static final Option<PretrainingConfig, Float> MOMENTUM = Option.ofFloat(PretrainingConfig.class,
            "momentum", 0.9f, "Momentum of LARS/SGD (BYOL: 0.9).").require(v -> v >= 0f && v < 1f,
                    "must be in [0, 1)");

    /** LARS trust coefficient η. */
    public static final Option<PretrainingConfig, Float> TRUST_COEFFICIENT = Option.ofFloat(
            PretrainingConfig.class, "trustCoefficient", 1e-3f, "LARS trust coefficient eta (BYOL: 0.001).")
            .require(v -> v >= 0f, "must be >= 0");

    /** λ of joint training: the loss is the method's + λ × cross-entropy of a linear head on labelled images. */
    public static final Option<PretrainingConfig, Float> SUPERVISED_WEIGHT = Option.ofFloat(PretrainingConfig.class,
            "supervisedWeight", 0f, "Joint training (needs labelled images): adds this times the cross-entropy of a"
                    + " linear head on a labelled batch to every step's loss; 0 = self-supervised only.")
            .require(v -> v >= 0f, "must be >= 0");

    /** The seed. */
    public static final Option<PretrainingConfig, Long> SEED = Option.ofLong(PretrainingConfig.class, "seed", 42,
            "Seed for initialisation, shuffling and augmentation.");

    @Config(description = "The recipe's options by name (byol pretrain --list-options lists them); an option not"
            + " given takes the method's default. After validation it holds every option's value.")
    private Map<String, String> options = new LinkedHashMap<>();

    private final Map<Option<?, ?>, Object> values = new LinkedHashMap<>();
    private boolean validated;

    /** For subclasses; OLCUT builds them through their public no-argument constructors. */
    protected PretrainingConfig() {}

    /** @return the method these settings are for, e.g. {@code byol}; the recipe's first entry */
    public abstract String method();

    /**
     * Builds the method's networks for one run (or a scratch copy for timing the step rate).
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
     * @return whether the method takes multi-crop local views ({@code localViews} above 0); the config refuses them
     *     otherwise
     */
    public boolean takesLocalViews() {
        return false;
    }

    /**
     * The views each image gives a step: {@link #view1()} and {@link #view2()} as the global views, then
     * {@code localViews} local views: the first view's pipeline at {@link #localViewSize()} and the local crop scale
     * ({@link ViewAugmentation#localView}).
     *
     * @return the views the loader makes and the method's forward pass receives
     */
    public final ViewPlan views() {
        ViewAugmentation first = view1();
        List<ViewAugmentation> local = new ArrayList<>();
        for (int i = 0; i < get(LOCAL_VIEWS); i++) {
            local.add(first.localView(localViewSize(), get(LOCAL_CROP_SCALE_MIN), get(LOCAL_CROP_SCALE_MAX)));
        }
        return new ViewPlan(List.of(first, view2()), local);
    }

    /** @return the local views' side: {@code localViewSize}, or 96/224 of {@link #viewSize()}, at least 8 */
    public int localViewSize() {
        int set = get(LOCAL_VIEW_SIZE);
        return set > 0 ? set : Math.max(MIN_VIEW_SIZE, Math.round(viewSize() * 96f / 224f));
    }

    /** @return every option of this method: the shared ones first, then the method's own, in declaration order */
    public final DeclaredOptions declaredOptions() {
        return DeclaredOptions.of(getClass());
    }

    /**
     * @param option one of this method's options
     * @param <T> its value type
     * @return its value
     * @throws org.byol4j.options.InvalidOptionException when the option is another method's
     */
    public final <T> T get(Option<?, T> option) {
        declaredOptions().requireContains(option);
        Object v = values.get(option);
        return v == null ? option.defaultValue() : option.type().cast(v);
    }

    /**
     * Overrides defaults of shared options for a subclass (SimSiam's SGD, say); call it from the constructor.
     *
     * @param defaults the method's own defaults
     */
    protected final void setDefaults(OptionValues<?> defaults) {
        apply(defaults);
    }

    /**
     * Writes values (a preset, a method's defaults) over the current ones, without validating: {@link #postConfig()}
     * does, once all are written.
     *
     * @param more values of this method's options
     * @throws org.byol4j.options.InvalidOptionException naming an option that is another method's
     * @throws IllegalStateException once the config is validated
     */
    private void apply(OptionValues<?> more) {
        for (Option<?, ?> o : more.options()) {
            put(o, more.get(o));
        }
    }

    private void put(Option<?, ?> option, Object value) {
        if (validated) {
            throw new IllegalStateException("a validated " + getClass().getSimpleName() + " is immutable; build a new"
                    + " one to change " + option.name());
        }
        declaredOptions().requireContains(option);
        values.put(option, value);
    }

    /**
     * Reads the {@code options} text (an OLCUT configuration file's, or {@link Builder#optOptions}'s) over the current
     * values, checks every option's own rule and then {@link #validate()}; afterwards {@code options} holds every
     * option's value, so the provenance records the whole recipe.
     *
     * @throws PropertyException naming the option that is unknown, does not parse or is invalid
     */
    @Override
    public final void postConfig() {
        try {
            apply(OptionValues.empty().withText(declaredOptions(), options));
            for (Option<?, ?> o : declaredOptions().list()) {
                checkValue(o);
            }
        } catch (InvalidOptionException e) {
            throw new PropertyException("", e.option(), e.getMessage());
        }
        validate();
        validated = true;
        options = new LinkedHashMap<>(recipeOptions());
        for (String warning : warnings()) {
            logger.warn(warning);
        }
    }

    private <T> void checkValue(Option<?, T> option) {
        option.check(get(option));
    }

    /**
     * The rules that relate options to one another (each option's own rule is checked before); a subclass adds its own
     * after calling this one.
     *
     * @throws PropertyException naming the option that breaks a rule
     */
    protected void validate() {
        try {
            Architecture.parse(get(BACKBONE), get(INPUT_CHANNELS));
        } catch (IllegalArgumentException e) {
            throw new PropertyException("", BACKBONE.name(), e.getMessage());
        }
        int totalSteps = get(TOTAL_STEPS);
        double budget = get(TIME_BUDGET_SECONDS);
        check(get(SCHEDULE_STEPS) == 0 || totalSteps > 0, SCHEDULE_STEPS, "needs totalSteps (the run's length), got"
                + " totalSteps " + totalSteps);
        check(totalSteps == 0 || budget == 0, TIME_BUDGET_SECONDS, "cannot be combined with totalSteps " + totalSteps
                + ": set one of them");
        int locals = get(LOCAL_VIEWS);
        check(locals == 0 || takesLocalViews(), LOCAL_VIEWS, "must be 0 for " + method() + ", which trains on its"
                + " two views only (multi-crop: byol, simsiam), got " + locals);
        float localMin = get(LOCAL_CROP_SCALE_MIN);
        check(localMin <= get(LOCAL_CROP_SCALE_MAX), LOCAL_CROP_SCALE_MAX, "must be >= localCropScaleMin " + localMin
                + ", got " + get(LOCAL_CROP_SCALE_MAX));
        check(locals == 0 || localViewSize() < viewSize(), LOCAL_VIEW_SIZE, "must be below the global views' side "
                + viewSize() + " (local views are the small ones), got " + localViewSize());
        float warmup = get(WARMUP_EPOCHS);
        int epochs = get(EPOCHS);
        check(warmup < 0f || totalSteps > 0 || budget > 0 || warmup < epochs, WARMUP_EPOCHS, "must be below epochs "
                + epochs + " (negative = derived from the run length), got " + warmup);
    }

    /**
     * Settings that are valid but almost surely a mistake; {@link #postConfig()} logs each one at WARN.
     *
     * @return the warnings, empty when none
     */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        float rate = get(BASE_LEARNING_RATE);
        if (get(OPTIMISER) == OptimiserKind.ADAMW && rate > ADAM_LEARNING_RATE_WARNING) {
            out.add("baseLearningRate " + rate + " with ADAMW is a LARS-scale rate; BYOL with Adam "
                    + "collapses at such rates (byol-pytorch #44). Use about 1e-3, or optimiser LARS.");
        }
        return out;
    }

    /**
     * For subclasses' {@link #validate()}.
     *
     * @param ok whether the rule holds
     * @param option the option it is about
     * @param message what was expected and what was found
     * @throws PropertyException naming the option when not {@code ok}
     */
    protected static void check(boolean ok, Option<?, ?> option, String message) {
        if (!ok) {
            throw new PropertyException("", option.name(), option.name() + " " + message);
        }
    }

    /** @return the backbone architecture */
    public Architecture backbone() {
        return Architecture.parse(get(BACKBONE), get(INPUT_CHANNELS));
    }

    /** @return the projector g: Linear → BatchNorm → ReLU → Linear */
    public MlpHead projector() {
        return MlpHead.builder().setHidden(get(PROJECTOR_HIDDEN)).setOutput(get(PROJECTOR_OUTPUT)).build();
    }

    /**
     * @return the side in pixels of the augmented training views: viewScale × imageSize rounded, at least 8 (or the
     *     image size, when that is smaller)
     */
    public int viewSize() {
        int imageSize = get(IMAGE_SIZE);
        return Math.max(Math.min(MIN_VIEW_SIZE, imageSize), Math.round(get(VIEW_SCALE) * imageSize));
    }

    /**
     * The recipe as flat strings, for backbone metadata, Tribuo provenance and the checkpoint compatibility key:
     * {@code method}, then every option (shared options first, then the method's).
     *
     * @return name to value, in declaration order
     */
    public Map<String, String> recipe() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("method", method());
        r.putAll(recipeOptions());
        return r;
    }

    private Map<String, String> recipeOptions() {
        Map<String, String> r = new LinkedHashMap<>();
        for (Option<?, ?> o : declaredOptions().list()) {
            r.put(o.name(), o.format(get(o)));
        }
        return r;
    }

    /**
     * For a method's {@code builder()}, and for code that builds any method's config (the SPI provider).
     *
     * @param fresh a config holding the method's defaults, not yet validated
     * @param <C> the method's config type
     * @return a builder filling it in
     * @throws IllegalStateException when {@code fresh} was validated already (it is immutable)
     */
    public static <C extends PretrainingConfig> Builder<C> newBuilder(C fresh) {
        if (((PretrainingConfig) fresh).validated) {
            throw new IllegalStateException("a validated " + fresh.getClass().getSimpleName() + " is immutable");
        }
        return new Builder<>(fresh);
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
     * The builder of every method's config: {@code set(option, value)} for any of its options, type-checked by the
     * compiler; a preset's values; text options. {@link #build()} validates, once per builder.
     *
     * @param <C> the config type built
     */
    public static final class Builder<C extends PretrainingConfig> {
        private C config;

        private Builder(C fresh) {
            this.config = fresh;
        }

        private C config() {
            if (config == null) {
                throw new IllegalStateException("this builder has already built its config");
            }
            return config;
        }

        /**
         * @param option an option of the config, shared or the method's own
         * @param value its value (checked by {@link #build()})
         * @param <T> the value type
         * @return this builder
         */
        public <T> Builder<C> set(Option<? super C, T> option, T value) {
            ((PretrainingConfig) config()).put(option, value);
            return this;
        }

        /**
         * @param values a preset's values, or any others (set over the current ones)
         * @return this builder
         */
        public Builder<C> set(OptionValues<? super C> values) {
            ((PretrainingConfig) config()).apply(values);
            return this;
        }

        /**
         * @param options option name to value as text (a command line's, a preset's text)
         * @return this builder
         * @throws org.byol4j.options.InvalidOptionException naming an unknown option or a value that does not parse
         */
        public Builder<C> optOptions(Map<String, String> options) {
            PretrainingConfig c = config();
            c.apply(OptionValues.empty().withText(c.declaredOptions(), options));
            return this;
        }

        /**
         * @return the validated configuration
         * @throws PropertyException naming the invalid option
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
