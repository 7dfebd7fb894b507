package org.byol4j.finetune;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.backbone.Backbone;
import org.byol4j.backbone.OpenedBackbone;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.io.AtomicFiles;
import org.byol4j.nn.FiniteCheck;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.views.LabelledBatches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

/**
 * Fine-tunes a pretrained backbone into an image classifier, as a Tribuo {@link Trainer}: the backbone (zoo
 * coordinates or a backbone folder) plus a new linear head, trained end to end with cross-entropy on examples of
 * pixel features ({@link ImageConverter}; {@code PixelDataSource} makes them from labelled images, and
 * {@link #train(LabelledImageSource)} takes the images themselves). SGD with momentum,
 * the backbone at {@code backboneLearningRateScale} of the head's learning rate, optionally its first blocks frozen;
 * random-resized-crop and flip augmentation; warm-up and cosine decay over epochs, steps or a time budget. With a
 * checkpoint folder the run resumes exactly where a killed one stopped. The result is a {@link FineTunedModel} whose
 * provenance names the starting backbone and its sha256, this trainer's configuration and the dataset.
 *
 * <p>{@code fromScratch = true} trains the starting backbone's architecture from a random initialisation instead:
 * the supervised baseline with the same network, labels and steps.
 *
 * <p>Each call of {@code train} uses the seed plus the number of calls before it, as Tribuo's trainers do, so a
 * trainer configured once gives a new model per call and the same model for the same call on every machine.
 */
public final class FineTuneTrainer implements Trainer<Label> {

    private static final Logger logger = LoggerFactory.getLogger(FineTuneTrainer.class);

    @Config(mandatory = true, description = "The starting backbone: byol4j zoo coordinates (byol-resnet18-fmnist,"
            + " org.byol4j:byol-resnet18-fmnist) or a backbone folder.")
    private String backbone;

    @Config(mandatory = true, description = "Turns examples of pixel features into images.")
    private ImageConverter imageConverter;

    @Config(description = "Train the backbone's architecture from a random initialisation (the supervised baseline).")
    private boolean fromScratch = false;

    @Config(description = "Passes over the training data (used when steps and timeBudgetSeconds are 0).")
    private int epochs = 10;

    @Config(description = "Optimiser steps; 0 = from epochs or the time budget.")
    private int steps = 0;

    @Config(description = "Wall-clock seconds to train for (the steps are planned from a measured step rate);"
            + " 0 = off.")
    private double timeBudgetSeconds = 0;

    @Config(description = "Images per step (at most the dataset's size).")
    private int batchSize = 128;

    @Config(description = "Peak learning rate of the new head.")
    private float learningRate = 0.1f;

    @Config(description = "The backbone's learning rate as a share of the head's, in (0, 1].")
    private float backboneLearningRateScale = 1f;

    @Config(description = "SGD momentum.")
    private float momentum = 0.9f;

    @Config(description = "L2 weight decay, on every parameter as torch.optim.SGD applies it.")
    private float weightDecay = 5e-4f;

    @Config(description = "Steps of linear learning-rate warm-up; -1 = 5 % of the run.")
    private int warmupSteps = -1;

    @Config(description = "How the new head starts: from a linear probe on the frozen features (LP-FT), or random.")
    private HeadStart headStart = HeadStart.PROBE;

    @Config(description = "Leading top-level blocks of the backbone kept fixed (ResNet: stem conv, BN, ReLU, then"
            + " one residual block each).")
    private int frozenBlocks = 0;

    @Config(description = "Smallest share of the image a random crop keeps, in (0, 1].")
    private float cropScaleMin = 0.5f;

    @Config(description = "Probability of a horizontal flip.")
    private float flipProbability = 0.5f;

    @Config(description = "Seed of the head, the data order and the augmentations.")
    private long seed = Trainer.DEFAULT_SEED;

    @Config(description = "Folder for checkpoints (exact resume after a kill); empty = none.")
    private String checkpointDir = "";

    @Config(description = "Steps between checkpoints.")
    private int checkpointEvery = 500;

    private int invocationCount = 0;
    private transient PretrainingListener listener = new PretrainingListener() {};

    /** For OLCUT. */
    private FineTuneTrainer() {}

    /**
     * @param backbone zoo coordinates or a backbone folder
     * @param imageConverter how examples become images
     */
    public FineTuneTrainer(String backbone, ImageConverter imageConverter) {
        this.backbone = backbone;
        this.imageConverter = imageConverter;
        postConfig();
    }

    /** @return a copy of this trainer, which the {@code with*} methods change and return */
    private FineTuneTrainer copy() {
        FineTuneTrainer t = new FineTuneTrainer();
        t.backbone = backbone;
        t.imageConverter = imageConverter;
        t.fromScratch = fromScratch;
        t.epochs = epochs;
        t.steps = steps;
        t.timeBudgetSeconds = timeBudgetSeconds;
        t.batchSize = batchSize;
        t.learningRate = learningRate;
        t.backboneLearningRateScale = backboneLearningRateScale;
        t.momentum = momentum;
        t.weightDecay = weightDecay;
        t.warmupSteps = warmupSteps;
        t.frozenBlocks = frozenBlocks;
        t.headStart = headStart;
        t.cropScaleMin = cropScaleMin;
        t.flipProbability = flipProbability;
        t.seed = seed;
        t.checkpointDir = checkpointDir;
        t.checkpointEvery = checkpointEvery;
        t.listener = listener;
        return t;
    }

    /**
     * @param epochs passes over the data (steps and time budget off)
     * @return a trainer like this one with that length
     */
    public FineTuneTrainer withEpochs(int epochs) {
        FineTuneTrainer t = copy();
        t.epochs = epochs;
        t.steps = 0;
        t.timeBudgetSeconds = 0;
        t.postConfig();
        return t;
    }

    /**
     * @param steps optimiser steps (time budget off)
     * @return a trainer like this one with that length
     */
    public FineTuneTrainer withSteps(int steps) {
        FineTuneTrainer t = copy();
        t.steps = steps;
        t.timeBudgetSeconds = 0;
        t.postConfig();
        return t;
    }

    /**
     * @param seconds wall-clock budget
     * @return a trainer like this one that plans its steps for that budget
     */
    public FineTuneTrainer withTimeBudget(double seconds) {
        FineTuneTrainer t = copy();
        t.timeBudgetSeconds = seconds;
        t.steps = 0;
        t.postConfig();
        return t;
    }

    /**
     * @param learningRate the head's peak learning rate
     * @param backboneScale the backbone's share of it
     * @return a trainer like this one with those rates
     */
    public FineTuneTrainer withLearningRate(float learningRate, float backboneScale) {
        FineTuneTrainer t = copy();
        t.learningRate = learningRate;
        t.backboneLearningRateScale = backboneScale;
        t.postConfig();
        return t;
    }

    /**
     * @param batchSize images per step
     * @return a trainer like this one with that batch
     */
    public FineTuneTrainer withBatchSize(int batchSize) {
        FineTuneTrainer t = copy();
        t.batchSize = batchSize;
        t.postConfig();
        return t;
    }

    /**
     * @param frozenBlocks leading top-level blocks of the backbone kept fixed
     * @return a trainer like this one with those blocks frozen
     */
    public FineTuneTrainer withFrozenBlocks(int frozenBlocks) {
        FineTuneTrainer t = copy();
        t.frozenBlocks = frozenBlocks;
        t.postConfig();
        return t;
    }

    /**
     * @param seed the seed
     * @return a trainer like this one with that seed
     */
    public FineTuneTrainer withSeed(long seed) {
        FineTuneTrainer t = copy();
        t.seed = seed;
        return t;
    }

    /**
     * @param headStart how the new head starts
     * @return a trainer like this one whose head starts so
     */
    public FineTuneTrainer withHeadStart(HeadStart headStart) {
        FineTuneTrainer t = copy();
        t.headStart = headStart;
        t.postConfig();
        return t;
    }

    /**
     * @param cropScaleMin smallest share of the image a random crop keeps
     * @return a trainer like this one with that augmentation
     */
    public FineTuneTrainer withCropScaleMin(float cropScaleMin) {
        FineTuneTrainer t = copy();
        t.cropScaleMin = cropScaleMin;
        t.postConfig();
        return t;
    }

    /**
     * @return a trainer like this one that trains the starting backbone's architecture from a random
     *     initialisation with a random head (the supervised baseline)
     */
    public FineTuneTrainer fromScratch() {
        FineTuneTrainer t = copy();
        t.fromScratch = true;
        t.headStart = HeadStart.RANDOM;
        return t;
    }

    /**
     * @param dir folder for checkpoints, or null for none
     * @param every steps between checkpoints
     * @return a trainer like this one that checkpoints there and resumes from it
     */
    public FineTuneTrainer withCheckpoints(Path dir, int every) {
        FineTuneTrainer t = copy();
        t.checkpointDir = dir == null ? "" : dir.toString();
        t.checkpointEvery = every;
        t.postConfig();
        return t;
    }

    /**
     * @param listener receives progress; may ask for a checkpoint or a stop (the command line's progress bar and
     *     Ctrl-C)
     * @return a trainer like this one that reports to it (not part of the configuration)
     */
    public FineTuneTrainer withListener(PretrainingListener listener) {
        FineTuneTrainer t = copy();
        t.listener = listener;
        return t;
    }

    /** Checks every option, naming the one out of range. */
    @Override
    public void postConfig() {
        require(backbone != null && !backbone.isBlank(), "backbone", "must name zoo coordinates or a folder");
        require(imageConverter != null, "imageConverter", "is required");
        require(epochs >= 1, "epochs", "must be >= 1, got " + epochs);
        require(steps >= 0, "steps", "must be >= 0, got " + steps);
        require(timeBudgetSeconds >= 0 && Double.isFinite(timeBudgetSeconds), "timeBudgetSeconds",
                "must be finite and >= 0, got " + timeBudgetSeconds);
        require(batchSize >= 1, "batchSize", "must be >= 1, got " + batchSize);
        require(learningRate > 0 && Float.isFinite(learningRate), "learningRate", "must be finite and > 0, got "
                + learningRate);
        require(backboneLearningRateScale > 0 && backboneLearningRateScale <= 1, "backboneLearningRateScale",
                "must be in (0, 1], got " + backboneLearningRateScale);
        require(momentum >= 0 && momentum < 1, "momentum", "must be in [0, 1), got " + momentum);
        require(weightDecay >= 0 && Float.isFinite(weightDecay), "weightDecay", "must be finite and >= 0, got "
                + weightDecay);
        require(warmupSteps >= -1, "warmupSteps", "must be >= 0, or -1 for 5 % of the run, got " + warmupSteps);
        require(headStart != null, "headStart", "must be PROBE or RANDOM");
        require(frozenBlocks >= 0, "frozenBlocks", "must be >= 0, got " + frozenBlocks);
        require(cropScaleMin > 0 && cropScaleMin <= 1, "cropScaleMin", "must be in (0, 1], got " + cropScaleMin);
        require(flipProbability >= 0 && flipProbability <= 1, "flipProbability", "must be in [0, 1], got "
                + flipProbability);
        require(checkpointEvery >= 1, "checkpointEvery", "must be >= 1, got " + checkpointEvery);
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new PropertyException("", field, field + " " + message);
        }
    }

    /**
     * Fine-tunes on labelled images directly: each becomes an example of the image converter's pixel features
     * ({@link ImageConverter#toExample}: channels adapted, centre-cropped and resized to a square converter's side).
     *
     * @param images labelled images
     * @return the model
     */
    public FineTunedModel train(LabelledImageSource images) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(images.description(),
                factory), factory);
        for (int i = 0; i < images.size(); i++) {
            dataset.add(imageConverter.toExample(images.image(i), factory.generateOutput(images.label(i)),
                    "image " + i + " of " + images.description()));
        }
        return train(dataset);
    }

    /** {@inheritDoc} */
    @Override
    public FineTunedModel train(Dataset<Label> examples) {
        return train(examples, Map.of());
    }

    /** {@inheritDoc} */
    @Override
    public FineTunedModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the dataset is empty, has fewer than two classes, or an example is not
     *     an image of the converter's size (named)
     */
    @Override
    public synchronized FineTunedModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance,
            int invocation) {
        if (invocation != INCREMENT_INVOCATION_COUNT) {
            setInvocationCount(invocation);
        }
        int call = invocationCount++;
        TrainerProvenance trainerProvenance = getProvenance();
        if (examples.size() == 0) {
            throw new IllegalArgumentException("fine-tuning needs labelled examples: the dataset is empty");
        }
        int classes = examples.getOutputIDInfo().size();
        if (classes < 2) {
            throw new IllegalArgumentException("fine-tuning needs at least two classes, the dataset has " + classes
                    + " (" + examples.getOutputInfo().toReadableString() + ")");
        }
        long runSeed = seed + call;
        try (OpenedBackbone start = OpenedBackbone.open(backbone);
                Backbone initial = fromScratch ? Backbone.randomInit(start.backbone().architecture(),
                        start.backbone().imageSize(), (int) runSeed) : null) {
            Backbone from = initial != null ? initial : start.backbone();
            ExampleImages images = new ExampleImages(examples, imageConverter);
            int size = from.imageSize();
            int channels = from.architecture().inputChannels();
            ViewAugmentation augmentation = ViewAugmentation.cropAndFlip(size, cropScaleMin, flipProbability);
            int[] ids = images.labels();
            LabelledBatches batches = new LabelledBatches(images, ids, augmentation, channels,
                    Math.min(batchSize, examples.size()), runSeed);
            Map<String, String> recipe = recipe(examples, start, runSeed);
            int total = plannedSteps(batches, from, classes, runSeed, recipe);
            int warmup = warmupSteps >= 0 ? warmupSteps : Math.max(0, total / 20);
            FineTuning.Schedule schedule = new FineTuning.Schedule(learningRate, backboneLearningRateScale, momentum,
                    weightDecay, warmup);
            logger.info("fine-tuning {} ({}) on {} examples of {} classes: {} steps of {} images", start.name(),
                    fromScratch ? "from scratch" : "pretrained", examples.size(), classes, total,
                    Math.min(batchSize, examples.size()));
            try (FineTuneNetwork net = new FineTuneNetwork(from.architecture(), size, from.parameters(), classes,
                    frozenBlocks, runSeed)) {
                if (headStart == HeadStart.PROBE) {
                    ProbeHeadStart.fit(net, images, ids, size, channels);
                }
                new FineTuning(net, batches, listener).run(total, schedule, new FineTuning.Checkpoints(
                        checkpointDir.isEmpty() ? null : Path.of(checkpointDir), checkpointEvery, recipe));
                List<String> bad = new ArrayList<>(FiniteCheck.nonFiniteParameters(net.backbone()));
                bad.addAll(FiniteCheck.nonFiniteParameters(net.head()));
                if (!bad.isEmpty()) {
                    throw new IllegalStateException("fine-tuning produced non-finite weights (" + bad.get(0)
                            + "); lower learningRate");
                }
                Map<String, Provenance> instance = new HashMap<>(runProvenance);
                instance.put("starting-backbone", new StringProvenance("starting-backbone", fromScratch
                        ? "random initialisation of " + from.architecture().name() : start.name()));
                instance.put("starting-backbone-sha256", new StringProvenance("starting-backbone-sha256",
                        from.sha256()));
                instance.put("fine-tuning-steps", new StringProvenance("fine-tuning-steps", Integer.toString(total)));
                ModelProvenance provenance = new ModelProvenance(FineTunedModel.class.getName(), OffsetDateTime.now(),
                        examples.getProvenance(), trainerProvenance, instance);
                return new FineTunedModel("fine-tuned " + from.architecture().name(), provenance,
                        examples.getFeatureIDMap(), examples.getOutputIDInfo(), from.architecture(), size,
                        Backbone.parametersOf(net.backbone()), Backbone.parametersOf(net.head()), imageConverter,
                        (fromScratch ? "scratch " : "") + start.name() + " sha256 " + from.sha256());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run's length: configured, from the epochs, or planned for the time budget on scratch networks. */
    private int plannedSteps(LabelledBatches batches, Backbone from, int classes, long runSeed,
            Map<String, String> recipe) throws IOException {
        if (steps > 0) {
            return steps;
        }
        if (timeBudgetSeconds <= 0) {
            long total = (long) epochs * batches.batchesPerEpoch();
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("epochs x batches per epoch exceeds " + Integer.MAX_VALUE);
            }
            return (int) total;
        }
        if (!checkpointDir.isEmpty()) {
            var saved = org.byol4j.checkpoint.Checkpoint.savedLength(Path.of(checkpointDir), recipe);
            if (saved.isPresent()) {
                return saved.get().scheduleSteps();
            }
        }
        long started = System.nanoTime();
        double rate;
        try (FineTuneNetwork scratch = new FineTuneNetwork(from.architecture(), from.imageSize(), from.parameters(),
                classes, frozenBlocks, runSeed)) {
            rate = new FineTuning(scratch, batches, new PretrainingListener() {})
                    .stepsPerSecond(new FineTuning.Schedule(learningRate, backboneLearningRateScale, momentum,
                            weightDecay, 0), 3, 8);
        }
        double left = timeBudgetSeconds - (System.nanoTime() - started) / 1e9;
        int total = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.floor(left * rate)));
        logger.info(String.format(Locale.ROOT, "time budget %.0f s: %.2f steps/s measured, %d steps planned",
                timeBudgetSeconds, rate, total));
        return total;
    }

    /** What a resumed run must match: every option that changes the weights, the data and the starting weights. */
    private Map<String, String> recipe(Dataset<Label> examples, OpenedBackbone start, long runSeed) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("task", "fine-tune");
        r.put("backbone", start.name());
        r.put("backboneSha256", start.backbone().sha256());
        r.put("fromScratch", Boolean.toString(fromScratch));
        r.put("imageConverter", imageConverter.toString());
        r.put("epochs", Integer.toString(epochs));
        r.put("steps", Integer.toString(steps));
        r.put("timeBudgetSeconds", Double.toString(timeBudgetSeconds));
        r.put("batchSize", Integer.toString(batchSize));
        r.put("learningRate", Float.toString(learningRate));
        r.put("backboneLearningRateScale", Float.toString(backboneLearningRateScale));
        r.put("momentum", Float.toString(momentum));
        r.put("weightDecay", Float.toString(weightDecay));
        r.put("warmupSteps", Integer.toString(warmupSteps));
        r.put("frozenBlocks", Integer.toString(frozenBlocks));
        r.put("headStart", headStart.name());
        r.put("cropScaleMin", Float.toString(cropScaleMin));
        r.put("flipProbability", Float.toString(flipProbability));
        r.put("seed", Long.toString(runSeed));
        r.put("examples", Integer.toString(examples.size()));
        r.put("classes", examples.getOutputInfo().toReadableString());
        r.put("datasetSha256", contentSha256(examples));
        return r;
    }

    /**
     * @return sha256 over every example's label, feature names and values, in order: what the data is, not when its
     *     provenance was created (which changes from one process to the next)
     */
    private static String contentSha256(Dataset<Label> examples) {
        MessageDigest digest = AtomicFiles.newSha256();
        try (DataOutputStream out = new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(),
                digest))) {
            for (Example<Label> e : examples) {
                out.writeUTF(e.getOutput().getLabel());
                out.writeInt(e.size());
                for (Feature f : e) {
                    out.writeUTF(f.getName());
                    out.writeDouble(f.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** {@inheritDoc} */
    @Override
    public int getInvocationCount() {
        return invocationCount;
    }

    /** {@inheritDoc} */
    @Override
    public synchronized void setInvocationCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("invocation count must be >= 0, got " + count);
        }
        invocationCount = count;
    }

    /** {@inheritDoc} */
    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "FineTuneTrainer(backbone=" + backbone + (fromScratch ? ", from scratch" : "") + ", epochs=" + epochs
                + ", steps=" + steps + ", timeBudgetSeconds=" + timeBudgetSeconds + ", batchSize=" + batchSize
                + ", learningRate=" + learningRate + ", backboneLearningRateScale=" + backboneLearningRateScale
                + ", frozenBlocks=" + frozenBlocks + ", seed=" + seed + ")";
    }
}
