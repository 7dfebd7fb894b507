package org.byol4j.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.ImageSource;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.data.Subset;
import org.byol4j.io.AtomicFiles;
import org.byol4j.pretrain.PresetChoice;
import org.byol4j.pretrain.Pretrainer;
import org.byol4j.pretrain.PretrainingProvider;
import org.byol4j.report.MetricsLog;
import org.byol4j.report.Plots;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.RepresentationTrainer;
import org.byol4j.spi.RepresentationTrainers;
import org.byol4j.spi.TrainingStoppedException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code byol pretrain}: pretrains a backbone with any method found through the SPI ({@code --method byol}, its
 * options as {@code -o key=value}), for a number of epochs or steps or a wall-clock budget, into an output folder:
 * {@code run.json} (what was asked, so {@code --resume} needs nothing else), {@code checkpoints/} (every N steps
 * and minutes and on Ctrl-C; the newest few kept), the metrics files ({@link MetricsLog}), {@code backbone/}
 * (the result, in the zoo format) and PNG plots ({@link Plots}).
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Pretrain a backbone with a self-supervised method on unlabelled images.")
final class PretrainCommand implements Callable<Integer> {

    static final String RUN_FILE = "run.json";
    static final String CHECKPOINTS = "checkpoints";
    static final String BACKBONE = "backbone";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Output folder of the run.")
    Path out;

    @Option(names = "--resume", description = "Continue the run recorded in --out exactly (its settings are read"
            + " from run.json; give no others).")
    boolean resume;

    @Option(names = "--data", description = "Images: an IDX file, a folder of IDX files (its train split), of"
            + " class folders, or of images.")
    Path data;

    @Option(names = "--method", defaultValue = "byol", description = "Pretraining method (any registered through"
            + " the SPI).")
    String method;

    @Option(names = "--preset", description = "Recipe preset of the method, e.g. small_greyscale, small_colour,"
            + " paper_imagenet, or none for the method's defaults (default: chosen from the images: small_greyscale or"
            + " small_colour at their side).")
    String preset;

    @Option(names = "--architecture", description = "Backbone architecture, e.g. resnet20-small-w1,"
            + " resnet18-small-w0.25, resnet50-imagenet-w1 (default: the preset's).")
    String architecture;

    @Option(names = {"-o", "--option"}, description = "A method option key=value (repeatable); `byol pretrain"
            + " --list-options` shows them.")
    Map<String, String> options = new LinkedHashMap<>();

    @ArgGroup(exclusive = true)
    Length length;

    /** How long to train: one of epochs, steps or minutes. */
    static final class Length {
        @Option(names = "--epochs", description = "Passes over the data.")
        Integer epochs;

        @Option(names = "--steps", description = "Optimiser steps.")
        Integer steps;

        @Option(names = "--minutes", description = "Wall-clock budget; the run measures its speed, plans its"
                + " schedules from it and moves its last step as its speed changes, to end on time.")
        Double minutes;
    }

    @Option(names = "--checkpoint-every", defaultValue = "200", description = "Steps between checkpoints.")
    int checkpointEvery;

    @Option(names = "--checkpoint-minutes", defaultValue = "5", description = "Minutes between checkpoints"
            + " (0: by steps only).")
    double checkpointMinutes;

    @Option(names = "--keep", defaultValue = "3", description = "Checkpoints kept (the newest).")
    int keep;

    @Option(names = "--log-every", defaultValue = "10", description = "Steps between rows of steps.csv.")
    int logEvery;

    @Option(names = "--eval-data", description = "Labelled images for a kNN accuracy after every epoch and the"
            + " embedding plot: a folder of IDX files (train = reference, t10k = query) or a labelled set (split by"
            + " index: every fifth image is a query).")
    Path evalData;

    @Option(names = "--eval-images", defaultValue = "5000", description = "Reference images of the kNN monitor"
            + " (queries: a fifth as many).")
    int evalImages;

    @Option(names = "--channels", defaultValue = "1", description = "Channels image files are decoded to (1 or 3;"
            + " IDX data is greyscale).")
    int channels;

    @Option(names = "--workers", description = "View-generation threads (default: the number of cores).")
    Integer workers;

    @Option(names = "--labels", description = "Labelled images for joint training with -o supervisedWeight=λ (an IDX"
            + " file with its labels, a folder of IDX files: its train split, or of class folders).")
    Path labels;

    @ArgGroup(exclusive = true)
    LabelShare labelShare;

    @Option(names = "--label-seed", defaultValue = "1", description = "Seed of the class-balanced label draw.")
    long labelSeed;

    @Option(names = "--list-options", description = "List the method's options and exit.")
    boolean listOptions;

    /** The images of a fresh run, read once when they chose its preset. */
    private ImageSource images;

    @Override
    public Integer call() throws IOException {
        RepresentationTrainers registry = RepresentationTrainers.load();
        if (listOptions) {
            registry.provider(method).options().forEach(o -> spec.commandLine().getOut().println(o));
            spec.commandLine().getOut().flush();
            return 0;
        }
        RunSpec run = resume ? resumed() : fresh(registry);
        Path checkpoints = out.resolve(CHECKPOINTS);
        Map<String, String> trainerOptions = new LinkedHashMap<>(run.options);
        trainerOptions.put("checkpointDir", checkpoints.toString());
        trainerOptions.put("checkpointEvery", Integer.toString(positive(run.checkpointEvery, "--checkpoint-every")));
        trainerOptions.put("checkpointsKept", Integer.toString(positive(run.keep, "--keep")));
        if (workers != null) {
            trainerOptions.put("workers", Integer.toString(positive(workers, "--workers")));
        }
        RepresentationTrainer trainer = registry.create(run.method, trainerOptions);
        ImageSource images = this.images != null ? this.images
                : DataPaths.images(Path.of(run.data), "train", run.channels, "--data");
        LabelledImageSource labelled = labelledSubset(run);
        LabelledImageSource[] eval = run.evalData == null ? null
                : evalSets(Path.of(run.evalData), run.channels, run.evalImages);
        System.out.printf(Locale.ROOT, "%s %s on %s into %s%n", resume ? "Resuming" : "Pretraining", run.method,
                images.description(), out);
        boolean terminal = System.console() != null;
        LabelledImageSource reference = eval == null ? null : eval[0];
        LabelledImageSource query = eval == null ? null : eval[1];
        try (MetricsLog metrics = new MetricsLog(out, positive(run.logEvery, "--log-every"), reference, query);
                RunControl control = new RunControl(run.checkpointMinutes, 300)) {
            PretrainingListener listener = PretrainingListener.all(new ProgressDisplay(System.out, terminal), metrics,
                    control);
            try (Backbone backbone = labelled == null ? trainer.train(images, listener)
                    : trainer.train(images, labelled, listener)) {
                backbone.save(out.resolve(BACKBONE));
                backbone.classifierHead().ifPresent(h -> System.out.printf(Locale.ROOT, "Classifier head (%d"
                        + " classes, trained jointly on %s) saved with the backbone%n", h.classes().size(),
                        labelled.description()));
                System.out.printf(Locale.ROOT, "Done: %s steps; backbone saved to %s (sha256 %s)%n",
                        backbone.recipe().getOrDefault("totalSteps", "?"), out.resolve(BACKBONE), backbone.sha256());
                if (trainer instanceof Pretrainer pretrainer && pretrainer.phases().steps() > 0) {
                    System.out.println("Time per step: " + pretrainer.phases().describe());
                }
                Plots.trainingCurves(out);
                if (query != null) {
                    Plots.embeddings(out, backbone, query);
                }
                System.out.println("Plots: " + out.resolve(Plots.CURVES) + (eval == null ? ""
                        : ", " + out.resolve(Plots.EMBEDDINGS)));
                return 0;
            } catch (TrainingStoppedException e) {
                if (e.totalSteps() == 0) {
                    System.out.printf(Locale.ROOT, "%nStopped while measuring the step rate, before the first step;"
                            + " nothing to resume: run the same command again to start.%n");
                } else {
                    System.out.printf(Locale.ROOT, "%nStopped after step %d of %d; %s%nContinue with: byol pretrain"
                            + " --out %s --resume%n", e.step(), e.totalSteps(), e.checkpoint().map(p -> "checkpoint "
                            + p).orElse("no checkpoint"), out);
                }
                return Main.STOPPED;
            }
        }
    }

    private RunSpec fresh(RepresentationTrainers registry) throws IOException {
        if (data == null) {
            throw new ParameterException(spec.commandLine(), "--data is required (or --resume to continue a run)");
        }
        if (Files.exists(out.resolve(RUN_FILE)) || Files.isDirectory(out.resolve(CHECKPOINTS))) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " already holds a run; pass --resume"
                    + " to continue it, or choose a new folder");
        }
        RunSpec run = new RunSpec();
        run.method = method;
        run.data = data.toAbsolutePath().toString();
        run.evalData = evalData == null ? null : evalData.toAbsolutePath().toString();
        run.channels = channels;
        run.evalImages = evalImages;
        run.checkpointEvery = checkpointEvery;
        run.checkpointMinutes = checkpointMinutes;
        run.keep = keep;
        run.logEvery = logEvery;
        run.options = new LinkedHashMap<>();
        if (preset != null) {
            run.options.put("preset", preset);
        }
        if (architecture != null) {
            run.options.put("backbone", architecture);
        }
        run.options.putAll(options);
        if (labels != null) {
            run.labels = labels.toAbsolutePath().toString();
            run.labelFraction = labelShare == null ? null : labelShare.fraction;
            run.labelsPerClass = labelShare == null ? null : labelShare.perClass;
            run.labelSeed = labelSeed;
        } else if (labelShare != null) {
            throw new ParameterException(spec.commandLine(), "--label-fraction and --labels-per-class need --labels");
        }
        if (length != null) {
            if (length.epochs != null) {
                run.options.put("epochs", Integer.toString(positive(length.epochs, "--epochs")));
            } else if (length.steps != null) {
                run.options.put("totalSteps", Integer.toString(positive(length.steps, "--steps")));
            } else if (!(length.minutes > 0)) {
                throw new ParameterException(spec.commandLine(), "--minutes must be > 0, got " + length.minutes);
            } else {
                run.options.put("timeBudgetSeconds", Double.toString(length.minutes * 60));
            }
        }
        if (preset == null && registry.provider(run.method) instanceof PretrainingProvider<?> provider) {
            images = DataPaths.images(data, "train", channels, "--data");
            Optional<PresetChoice> choice = provider.presetFor(images);
            if (choice.isPresent()) {
                spec.commandLine().getOut().println("No --preset: " + choice.get().describe(run.options) + ".");
                spec.commandLine().getOut().flush();
                run.options = new LinkedHashMap<>(choice.get().applyTo(run.options));
            }
        }
        try { // fail on bad options before anything is written
            registry.create(run.method, run.options);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve(RUN_FILE), GSON.toJson(run).getBytes(StandardCharsets.UTF_8));
        return run;
    }

    private RunSpec resumed() throws IOException {
        Path file = out.resolve(RUN_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "--resume: " + file + " does not exist; is --out the"
                    + " folder of a run started with byol pretrain?");
        }
        for (String name : List.of("--data", "--method", "--preset", "--architecture", "-o", "--epochs", "--steps",
                "--minutes", "--eval-data", "--eval-images", "--channels", "--labels", "--label-fraction",
                "--labels-per-class", "--label-seed")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
                throw new ParameterException(spec.commandLine(), "--resume continues the run recorded in " + file
                        + " with its own settings; drop " + name);
            }
        }
        try {
            RunSpec run = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), RunSpec.class);
            if (run == null || run.method == null || run.data == null || run.options == null) {
                throw new IOException("missing fields");
            }
            // How often to checkpoint and log may change on resume; otherwise the recorded values hold.
            var given = spec.commandLine().getParseResult();
            run.checkpointEvery = given.hasMatchedOption("--checkpoint-every") ? checkpointEvery
                    : run.checkpointEvery;
            run.checkpointMinutes = given.hasMatchedOption("--checkpoint-minutes") ? checkpointMinutes
                    : run.checkpointMinutes;
            run.keep = given.hasMatchedOption("--keep") ? keep : run.keep;
            run.logEvery = given.hasMatchedOption("--log-every") ? logEvery : run.logEvery;
            return run;
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a readable run record (" + e.getMessage() + ")", e);
        }
    }

    /** @return the labelled images of joint training, drawn as run.json records, or null without --labels */
    private static LabelledImageSource labelledSubset(RunSpec run) {
        if (run.labels == null) {
            return null;
        }
        LabelledImageSource all = DataPaths.labelled(Path.of(run.labels), "train", run.channels, "--labels");
        return LabelShare.draw(all, run.labelsPerClass, run.labelFraction, run.labelSeed);
    }

    private LabelledImageSource[] evalSets(Path path, int channels, int referenceImages) {
        int reference = positive(referenceImages, "--eval-images");
        int query = Math.max(1, reference / 5);
        if (DataPaths.holdsIdxSplit(path, "t10k")) {
            LabelledImageSource train = DataPaths.labelled(path, "train", channels, "--eval-data");
            LabelledImageSource test = DataPaths.labelled(path, "t10k", channels, "--eval-data");
            return new LabelledImageSource[] {Subset.first(train, reference), Subset.first(test, query)};
        }
        LabelledImageSource all = DataPaths.labelled(path, "train", channels, "--eval-data");
        return new LabelledImageSource[] {Subset.first(Subset.fold(all, 5, 0, false), reference),
            Subset.first(Subset.fold(all, 5, 0, true), query)};
    }

    private int positive(int value, String option) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be >= 1, got " + value);
        }
        return value;
    }

    /** What {@code run.json} records: everything that defines the run. */
    static final class RunSpec {
        String method;
        String data;
        String evalData;
        int channels;
        int evalImages;
        int checkpointEvery;
        double checkpointMinutes;
        int keep;
        int logEvery;
        Map<String, String> options;
        String labels;
        Double labelFraction;
        Integer labelsPerClass;
        long labelSeed;
    }
}
