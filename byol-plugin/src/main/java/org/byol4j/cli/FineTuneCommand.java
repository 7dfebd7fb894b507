package org.byol4j.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.byol4j.backbone.OpenedBackbone;
import org.byol4j.checkpoint.Checkpoint;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.finetune.FineTuneTrainer;
import org.byol4j.finetune.FineTunedModel;
import org.byol4j.finetune.ImageConverter;
import org.byol4j.io.AtomicFiles;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingStoppedException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code byol fine-tune}: trains a pretrained backbone and a new linear head end to end on labelled images
 * ({@link FineTuneTrainer}), optionally on a class-balanced subset of the labels, into a model file that
 * {@code byol predict} and {@link FineTunedModel#load} read. Beside the model: {@code <model>.run.json} (what was
 * asked, so {@code --resume} needs nothing else) and, while it runs, {@code <model>.checkpoints/} (every N steps and
 * minutes and on Ctrl-C), deleted once the model is written.
 */
@Command(name = "fine-tune", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Fine-tune a pretrained backbone into an image classifier on labelled images.")
final class FineTuneCommand implements Callable<Integer> {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true)
    BackboneChoice backbone;

    @Option(names = "--train", description = "Labelled training images: an IDX file with its labels, a folder of IDX"
            + " files (its train split) or of class folders.")
    Path train;

    @Option(names = "--test", description = "Labelled test images, for the accuracy at the end (a folder of IDX"
            + " files: its t10k split).")
    Path test;

    @ArgGroup(exclusive = true)
    LabelShare labels;

    @ArgGroup(exclusive = true)
    Length length;

    /** How long to train: epochs, steps or minutes. */
    static final class Length {
        @Option(names = "--epochs", description = "Passes over the labelled images (default 10).")
        Integer epochs;

        @Option(names = "--steps", description = "Optimiser steps.")
        Integer steps;

        @Option(names = "--minutes", description = "Wall-clock budget; the steps are planned from the measured speed.")
        Double minutes;
    }

    @Option(names = "--out", required = true, description = "The model file to write.")
    Path out;

    @Option(names = "--resume", description = "Continue the run recorded beside --out exactly (its settings are"
            + " read from <out>.run.json; give no others).")
    boolean resume;

    @Option(names = "--learning-rate", defaultValue = "0.1", description = "Peak learning rate of the new head.")
    float learningRate;

    @Option(names = "--backbone-lr-scale", defaultValue = "1", description = "The backbone's learning rate as a"
            + " share of the head's.")
    float backboneScale;

    @Option(names = "--frozen-blocks", defaultValue = "0", description = "Leading blocks of the backbone kept fixed.")
    int frozenBlocks;

    @Option(names = "--batch", defaultValue = "128", description = "Images per step.")
    int batch;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the label draw, the head and the data"
            + " order.")
    long seed;

    @Option(names = "--channels", defaultValue = "1", description = "Channels image files are decoded to (1 or 3).")
    int channels;

    @Option(names = "--checkpoint-every", defaultValue = "200", description = "Steps between checkpoints.")
    int checkpointEvery;

    @Option(names = "--checkpoint-minutes", defaultValue = "5", description = "Minutes between checkpoints.")
    double checkpointMinutes;

    @Override
    public Integer call() throws IOException {
        Path runFile = sibling(".run.json");
        Run run = resume ? resumed(runFile) : fresh(runFile);
        LabelledImageSource all = DataPaths.labelled(Path.of(run.train), "train", run.channels, "--train");
        LabelledImageSource labelled = LabelShare.draw(all, run.labelsPerClass, run.labelFraction, run.seed);
        LabelledImageSource testSet = run.test == null ? null
                : DataPaths.labelled(Path.of(run.test), "t10k", run.channels, "--test");
        if (testSet != null) {
            List<String> unknown = testSet.classNames().stream().filter(c -> !all.classNames().contains(c)).toList();
            if (!unknown.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--test " + run.test + ": class " + unknown
                        + " is not among the training classes " + all.classNames() + " of --train " + run.train);
            }
        }
        ImageConverter converter;
        try (OpenedBackbone b = OpenedBackbone.open(run.backbone)) {
            converter = new ImageConverter(b.backbone().imageSize(), b.backbone().imageSize(),
                    b.backbone().architecture().inputChannels());
        }
        FineTuneTrainer trainer = new FineTuneTrainer(run.backbone, converter)
                .withLearningRate(run.learningRate, run.backboneScale).withFrozenBlocks(run.frozenBlocks)
                .withBatchSize(run.batch).withSeed(run.seed)
                .withCheckpoints(sibling(".checkpoints"), positive(checkpointEvery, "--checkpoint-every"));
        trainer = run.steps != null ? trainer.withSteps(run.steps) : run.minutes != null
                ? trainer.withTimeBudget(run.minutes * 60) : trainer.withEpochs(run.epochs);
        System.out.printf(Locale.ROOT, "%s %s on %s into %s%n", resume ? "Resuming fine-tuning of" : "Fine-tuning",
                run.backbone, labelled.description(), out);
        try (RunControl control = new RunControl(checkpointMinutes, 300)) {
            PretrainingListener listener = PretrainingListener.all(new ProgressDisplay(System.out,
                    System.console() != null), control);
            try (FineTunedModel model = trainer.withListener(listener).train(labelled)) {
                model.save(out);
                deleteCheckpoints(sibling(".checkpoints"));
                System.out.printf(Locale.ROOT, "Done: model saved to %s (weights sha256 %s)%n", out,
                        model.weightsSha256());
                if (testSet != null) {
                    System.out.printf(Locale.ROOT, "Test accuracy: %.2f %% on %d images of %s%n",
                            100 * PredictCommand.accuracy(model, testSet), testSet.size(), testSet.description());
                }
                return 0;
            } catch (TrainingStoppedException e) {
                System.out.printf(Locale.ROOT, "%nStopped after step %d of %d; %s%nContinue with: byol fine-tune --out"
                        + " %s --resume%n", e.step(), e.totalSteps(), e.checkpoint().map(p -> "checkpoint " + p)
                        .orElse("no checkpoint"), out);
                return Main.STOPPED;
            }
        }
    }

    private Path sibling(String suffix) {
        return out.resolveSibling(out.getFileName() + suffix);
    }

    private Run fresh(Path runFile) throws IOException {
        if (backbone == null || train == null) {
            throw new ParameterException(spec.commandLine(), "--zoo or --backbone, and --train, are required (or"
                    + " --resume to continue a run)");
        }
        if (Files.exists(out) && !Files.exists(runFile)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " exists; choose another model file"
                    + " (nothing is overwritten)");
        }
        if (Files.exists(runFile) || Files.isDirectory(sibling(".checkpoints"))) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " has a run beside it (" + runFile
                    + "); pass --resume to continue it, or choose another model file");
        }
        Run run = new Run();
        run.backbone = backbone.folder != null ? backbone.folder.toAbsolutePath().toString() : backbone.artifact;
        run.train = train.toAbsolutePath().toString();
        run.test = test == null ? null : test.toAbsolutePath().toString();
        if (labels != null) {
            run.labelsPerClass = labels.perClass;
            run.labelFraction = labels.fraction;
        }
        run.epochs = 10;
        if (length != null) {
            run.epochs = length.epochs == null ? 10 : positive(length.epochs, "--epochs");
            run.steps = length.steps == null ? null : positive(length.steps, "--steps");
            if (length.minutes != null && !(length.minutes > 0)) {
                throw new ParameterException(spec.commandLine(), "--minutes must be > 0, got " + length.minutes);
            }
            run.minutes = length.minutes;
        }
        run.learningRate = learningRate;
        run.backboneScale = backboneScale;
        run.frozenBlocks = frozenBlocks;
        run.batch = positive(batch, "--batch");
        run.seed = seed;
        run.channels = channels;
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.write(runFile, GSON.toJson(run).getBytes(StandardCharsets.UTF_8));
        return run;
    }

    private Run resumed(Path runFile) throws IOException {
        if (!Files.isRegularFile(runFile)) {
            throw new ParameterException(spec.commandLine(), "--resume: " + runFile + " does not exist; is --out the"
                    + " model file of a run started with byol fine-tune?");
        }
        if (Files.isRegularFile(out) && !Files.isDirectory(sibling(".checkpoints"))) {
            throw new ParameterException(spec.commandLine(), "--resume: the run recorded in " + runFile
                    + " is complete; its model is " + out);
        }
        for (String name : List.of("--zoo", "--backbone", "--train", "--test", "--labels-per-class",
                "--label-fraction", "--epochs", "--steps", "--minutes", "--learning-rate", "--backbone-lr-scale",
                "--frozen-blocks", "--batch", "--seed", "--channels")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
                throw new ParameterException(spec.commandLine(), "--resume continues the run recorded in " + runFile
                        + " with its own settings; drop " + name);
            }
        }
        try {
            Run run = GSON.fromJson(Files.readString(runFile, StandardCharsets.UTF_8), Run.class);
            if (run == null || run.backbone == null || run.train == null) {
                throw new IOException("missing fields");
            }
            return run;
        } catch (IOException | RuntimeException e) {
            throw new IOException(runFile + ": not a readable fine-tuning record (" + e.getMessage() + ")", e);
        }
    }

    private static void deleteCheckpoints(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files = new ArrayList<>(Checkpoint.newestFirst(dir));
        try (Stream<Path> rest = Files.list(dir)) {
            rest.filter(p -> !files.contains(p)).forEach(files::add);
        }
        for (Path f : files) {
            Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
    }

    private int positive(int value, String option) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be >= 1, got " + value);
        }
        return value;
    }

    /** What {@code <model>.run.json} records: everything that defines the run. */
    static final class Run {
        String backbone;
        String train;
        String test;
        Integer labelsPerClass;
        Double labelFraction;
        int epochs;
        Integer steps;
        Double minutes;
        float learningRate;
        float backboneScale;
        int frozenBlocks;
        int batch;
        long seed;
        int channels;
    }
}
