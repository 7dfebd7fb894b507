package org.byol4j.cli;

import static org.byol4j.method.PretrainingConfig.BACKBONE;
import static org.byol4j.method.PretrainingConfig.BATCH_SIZE;
import static org.byol4j.method.PretrainingConfig.IMAGE_SIZE;
import static org.byol4j.method.PretrainingConfig.SEED;
import static org.byol4j.method.PretrainingConfig.TIME_BUDGET_SECONDS;
import static org.byol4j.method.PretrainingConfig.TOTAL_STEPS;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.byol4j.backbone.Backbone;
import org.byol4j.byol.ByolConfig;
import org.byol4j.byol.ByolMethod;
import org.byol4j.byol.ByolPreset;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.Subset;
import org.byol4j.method.CollapseMonitor;
import org.byol4j.pretrain.Pretrainer;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;
import org.byol4j.tribuo.EmbeddingDataSource;
import org.byol4j.tribuo.KnnEvaluation;
import org.byol4j.tribuo.LinearEvaluation;
import org.byol4j.tribuo.PixelDataSource;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code byol demo}: the whole path on Fashion-MNIST within 15 minutes on two cores. Loads the dataset (Debian's
 * {@code dataset-fashion-mnist} files, else the 2,000 + 500 image sample shipped in the jar); measures the
 * baselines first: the default linear probe ({@link LinearEvaluation}: hinge-loss SGD, within a point of a
 * converged logistic regression and minutes faster on 784 raw pixels) and kNN on an untrained backbone of the
 * pretraining's architecture, and the probe on raw pixels; pretrains with the {@link ByolPreset#SMALL_GREYSCALE}
 * recipe for what the total budget leaves ({@link DemoPlan}: the run then fixes its step count from its measured
 * speed); embeds the training and test images once with the online backbone, and prints the probe's and kNN's
 * test accuracy on them next to the baselines. Every number printed is measured in this run; {@code bench/run
 * quality} gives the paper's protocol.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Measure the baselines (untrained backbone, raw pixels), pretrain on Fashion-MNIST for what the"
                + " time budget leaves, then compare linear evaluation and kNN of the embeddings with them.")
final class DemoCommand implements Callable<Integer> {

    private static final String SAMPLE = "/org/byol4j/sample/fashion-mnist/";

    private static final int EMBED_BATCH = 500;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", defaultValue = "/usr/share/datasets/fashion-mnist", description = "Folder of the"
            + " Fashion-MNIST IDX files (else the 2,000 + 500 image sample in the jar is used).")
    Path data;

    @Option(names = "--total-minutes", defaultValue = "14.5", description = "Budget of the whole demo (the"
            + " launcher's build and the JVM's start not counted); the pretraining gets what the baselines and the"
            + " closing evaluation leave.")
    double totalMinutes;

    @Option(names = "--minutes", description = "Pretraining budget instead of the one planned from"
            + " --total-minutes.")
    Double minutes;

    @Option(names = "--steps", defaultValue = "0", description = "Fixed step count instead (0: as many as fit).")
    int steps;

    @Option(names = "--pretrain-images", defaultValue = "0", description = "Images to pretrain on (0: all).")
    int pretrainImages;

    @Option(names = "--train-images", defaultValue = "0", description = "Probe training images (0: all).")
    int trainImages;

    @Option(names = "--test-images", defaultValue = "0", description = "Probe test images (0: all).")
    int testImages;

    @Option(names = "--preset", defaultValue = "small_greyscale", description = "Recipe preset.")
    String preset;

    @Option(names = "--backbone", defaultValue = "preset", description = "Backbone name, e.g. resnet20-small-w0.5"
            + " (preset: the preset's).")
    String backbone;

    @Option(names = "--batch", defaultValue = "0", description = "Batch size (0: the preset's).")
    int batch;

    @Option(names = "--seed", defaultValue = "42", description = "Seed.")
    int seed;

    private long started;

    @Override
    public Integer call() {
        started = System.nanoTime();
        if (!(totalMinutes > 0)) {
            throw new ParameterException(spec.commandLine(), "--total-minutes must be > 0, got " + totalMinutes);
        }
        if (minutes != null && !(minutes > 0)) {
            throw new ParameterException(spec.commandLine(), "--minutes must be > 0, got " + minutes);
        }
        for (int n : new int[] {steps, pretrainImages, trainImages, testImages, batch}) {
            if (n < 0) {
                throw new ParameterException(spec.commandLine(), "counts must be >= 0, got " + n);
            }
        }
        return run();
    }

    private int run() {
        Path dir = data;
        boolean full = Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"));
        if (!full) {
            dir = extractSample();
        }
        IdxImageSource train = IdxImageSource.labelled(dir.resolve("train-images-idx3-ubyte.gz"),
                dir.resolve("train-labels-idx1-ubyte.gz"), IdxImageSource.FASHION_MNIST_CLASSES, 0);
        IdxImageSource test = IdxImageSource.labelled(dir.resolve("t10k-images-idx3-ubyte.gz"),
                dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxImageSource.FASHION_MNIST_CLASSES, 0);
        Subset pretrainSet = first(train, pretrainImages);
        Subset trainSet = first(train, trainImages);
        Subset testSet = first(test, testImages);
        System.out.printf(Locale.ROOT, "Data: %s Fashion-MNIST in %s (%d images to pretrain on, %d train and %d test"
                + " images for the probes)%n", full ? "full" : "sample of", dir, pretrainSet.size(), trainSet.size(),
                testSet.size());
        if (!full) {
            System.out.printf(Locale.ROOT, "  The sample is 2,000 + 500 images: a probe's accuracy on 500 test images"
                    + " moves by about 2 points from run to run, so the three methods may not separate. For all"
                    + " 60,000 + 10,000 images (what the README's numbers use): apt-get install dataset-fashion-mnist"
                    + " (or --data DIR with the four IDX files).%n");
        }

        ByolConfig shape = config(60); // the network and image size the pretraining will use, for the baseline
        LinearEvaluation probe = new LinearEvaluation();
        System.out.println("Baselines, measured first so that the pretraining gets what is left of the budget:");
        Scores untrained;
        try (Backbone random = Backbone.randomInit(shape.backbone(), shape.get(IMAGE_SIZE), seed)) {
            untrained = scores(random, probe, trainSet, testSet);
        }
        System.out.printf(Locale.ROOT, "  untrained %s: linear %.2f %%, kNN %.2f %% (embedding %.1f s, probe %.1f s,"
                + " kNN %.1f s)%n", shape.backbone().name(), 100 * untrained.linear, 100 * untrained.knn,
                untrained.embedSeconds, untrained.probeSeconds, untrained.knnSeconds);
        long p0 = System.nanoTime();
        double pixels = probe.run(new PixelDataSource<>(trainSet, new LabelFactory()),
                new PixelDataSource<>(testSet, new LabelFactory())).accuracy();
        System.out.printf(Locale.ROOT, "  raw pixels: linear %.2f %% (probe %.1f s)%n", 100 * pixels,
                (System.nanoTime() - p0) / 1e9);

        DemoPlan plan = steps > 0 || minutes != null ? null : plan(untrained.seconds());
        ByolConfig config = config(steps > 0 ? 0 : plan == null ? 60 * minutes : plan.pretrainSeconds());
        System.out.println("Pretraining: " + config);
        long t0 = System.nanoTime();
        Scores byol;
        long stepsRun;
        double pretrainSeconds;
        try (Backbone trained = new Pretrainer(config).train(pretrainSet, new EpochPrinter())) {
            pretrainSeconds = (System.nanoTime() - t0) / 1e9;
            stepsRun = Long.parseLong(trained.recipe().get("totalSteps"));
            System.out.printf(Locale.ROOT, "Pretraining took %.1f s (%d steps)%n", pretrainSeconds, stepsRun);
            byol = scores(trained, probe, trainSet, testSet);
            System.out.printf(Locale.ROOT, "Embedded %d + %d images (%d-d) in %.1f s%n", trainSet.size(),
                    testSet.size(), trained.featureDim(), byol.embedSeconds);
        }
        System.out.printf(Locale.ROOT, "Test accuracy on %d images, linear probe (%s, %d epochs) trained on %d"
                + " images:%n", testSet.size(), LinearEvaluation.DEFAULT_PROBE.name().toLowerCase(Locale.ROOT),
                LinearEvaluation.DEFAULT_EPOCHS, trainSet.size());
        System.out.printf(Locale.ROOT, "  BYOL embeddings (%s, %d-d): %.2f %%%n", shape.backbone().name(),
                shape.backbone().featureDim(), 100 * byol.linear);
        System.out.printf(Locale.ROOT, "  untrained backbone (same architecture, random init): %.2f %%%n",
                100 * untrained.linear);
        System.out.printf(Locale.ROOT, "  raw pixels (%d-d): %.2f %%%n",
                trainSet.image(0).pixels().length, 100 * pixels);
        System.out.printf(Locale.ROOT, "  kNN on BYOL embeddings (k=20): %.2f %% (untrained: %.2f %%)%n",
                100 * byol.knn, 100 * untrained.knn);
        if (full && asMeasured() && stepsRun < DemoPlan.STEPS_THAT_PAY) {
            System.out.println(tooFewSteps(plan, stepsRun, pretrainSeconds));
        }
        System.out.printf(Locale.ROOT, "Demo took %.1f s in all%n", elapsedSeconds());
        return 0;
    }

    /**
     * @return whether this run is the recipe {@link DemoPlan#STEPS_THAT_PAY} was measured on (the preset, its
     *     backbone and batch, all images) with a time budget, so that its step count can be compared with it
     */
    private boolean asMeasured() {
        return steps == 0 && pretrainImages == 0 && batch == 0 && "preset".equals(backbone)
                && ByolPreset.of(preset) == ByolPreset.SMALL_GREYSCALE;
    }

    /**
     * @param plan the plan the pretraining's budget came from, or null when {@code --minutes} set it
     * @param stepsRun the steps the pretraining ran
     * @param pretrainSeconds how long they took
     * @return the note a machine whose budget bought fewer than {@link DemoPlan#STEPS_THAT_PAY} steps gets: what the
     *     measured runs say, and the option that would buy that many steps at this machine's rate
     */
    static String tooFewSteps(DemoPlan plan, long stepsRun, double pretrainSeconds) {
        String option = plan == null
                ? "--minutes " + DemoPlan.pretrainMinutesFor(DemoPlan.STEPS_THAT_PAY, stepsRun, pretrainSeconds)
                : "--total-minutes " + plan.totalMinutesFor(DemoPlan.STEPS_THAT_PAY, stepsRun, pretrainSeconds);
        return String.format(Locale.ROOT, "Note: this machine ran %,d steps in %.0f s of pretraining. Every two-seed"
                + " run of this recipe in docs/RECIPE.md with %,d steps or more beat raw pixels on both seeds, runs of"
                + " 657-800 steps on one seed of two: ./byol demo %s would run about %,d steps here.", stepsRun,
                pretrainSeconds, DemoPlan.STEPS_THAT_PAY, option, DemoPlan.STEPS_THAT_PAY);
    }

    /** What one backbone's frozen features score, and what computing that cost. */
    private record Scores(double linear, double knn, double embedSeconds, double probeSeconds, double knnSeconds) {
        double seconds() {
            return embedSeconds + probeSeconds + knnSeconds;
        }
    }

    /** Embeds both sets once, then fits the probe and runs kNN on the same Tribuo datasets. */
    private static Scores scores(Backbone b, LinearEvaluation probe, Subset trainSet, Subset testSet) {
        LabelFactory labels = new LabelFactory();
        long t0 = System.nanoTime();
        MutableDataset<Label> embTrain = new MutableDataset<>(new EmbeddingDataSource<>(trainSet, b, labels,
                EMBED_BATCH));
        MutableDataset<Label> embTest = new MutableDataset<>(new EmbeddingDataSource<>(testSet, b, labels,
                EMBED_BATCH));
        long t1 = System.nanoTime();
        double linear = probe.run(embTrain, embTest).accuracy();
        long t2 = System.nanoTime();
        double knn = new KnnEvaluation().accuracy(embTrain, embTest);
        long t3 = System.nanoTime();
        return new Scores(linear, knn, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
    }

    /**
     * @param closingSeconds the untrained network's embedding, probe and kNN time
     * @return the plan of the pretraining budget {@code --total-minutes} leaves, printed
     * @throws ParameterException when that is under {@link DemoPlan#MIN_PRETRAIN_SECONDS}
     */
    private DemoPlan plan(double closingSeconds) {
        DemoPlan plan = new DemoPlan(60 * totalMinutes, elapsedSeconds(), closingSeconds);
        if (!plan.fits()) {
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "--total-minutes %.1f"
                    + " leaves %.0f s of pretraining after %.0f s spent so far and %.0f s kept for the closing"
                    + " evaluation; at least %.0f s are needed: raise --total-minutes or give --minutes", totalMinutes,
                    plan.pretrainSeconds(), plan.spentSeconds(), DemoPlan.SAFETY * closingSeconds,
                    DemoPlan.MIN_PRETRAIN_SECONDS));
        }
        System.out.printf(Locale.ROOT, "Planned: %.0f s of pretraining = %.1f-minute budget - %.0f s spent - %.0f s"
                + " for the closing evaluation (%.2f x the untrained network's %.0f s) - %.0f s margin%n",
                plan.pretrainSeconds(), totalMinutes, plan.spentSeconds(), DemoPlan.SAFETY * closingSeconds,
                DemoPlan.SAFETY, closingSeconds, DemoPlan.MARGIN_SECONDS);
        return plan;
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** @param budgetSeconds the pretraining's time budget, unless {@code --steps} fixes its length */
    private ByolConfig config(double budgetSeconds) {
        PretrainingConfig.Builder<ByolConfig> b = ByolConfig.builder(ByolPreset.of(preset))
                .set(SEED, (long) seed);
        if (steps > 0) {
            b.set(TOTAL_STEPS, steps);
        } else {
            b.set(TIME_BUDGET_SECONDS, budgetSeconds);
        }
        if (batch > 0) {
            b.set(BATCH_SIZE, batch);
        }
        if (!backbone.equals("preset")) {
            b.set(BACKBONE, backbone);
        }
        return b.build();
    }

    private static Subset first(IdxImageSource source, int n) {
        return Subset.first(source, n == 0 ? source.size() : Math.min(n, source.size()));
    }

    private static Path extractSample() {
        try {
            Path dir = Files.createTempDirectory("byol4j-fmnist-sample");
            dir.toFile().deleteOnExit();
            for (String name : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
                try (InputStream in = DemoCommand.class.getResourceAsStream(SAMPLE + name)) {
                    if (in == null) {
                        throw new IllegalStateException("the Fashion-MNIST sample " + SAMPLE + name
                                + " is missing from the jar");
                    }
                    Path file = dir.resolve(name);
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    file.toFile().deleteOnExit();
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints one line per epoch. */
    private static final class EpochPrinter implements PretrainingListener {
        @Override
        public void onEpoch(TrainingProgress p) {
            System.out.printf(Locale.ROOT,
                    "  epoch %d  step %d/%d  loss %.4f  collapse-std %.4f  tau %.5f  lr %.4f  %.0f pairs/s%n",
                    p.epoch() + 1, p.step(), p.totalSteps(), p.loss(), p.metric(CollapseMonitor.METRIC),
                    p.metric(ByolMethod.TAU), p.learningRate(), p.pairsPerSecond());
        }
    }
}
