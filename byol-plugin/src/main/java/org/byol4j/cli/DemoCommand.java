package org.byol4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.byol4j.backbone.Backbone;
import org.byol4j.byol.ByolConfig;
import org.byol4j.byol.ByolMethod;
import org.byol4j.byol.ByolPreset;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.Subset;
import org.byol4j.pretrain.CollapseMonitor;
import org.byol4j.pretrain.Pretrainer;
import org.byol4j.spi.ConfigurableOptions;
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
 * {@code dataset-fashion-mnist} files, else the 2,000 + 500 image sample shipped in the jar), pretrains with the
 * {@link ByolPreset#SMALL_GREYSCALE} recipe for a wall-clock budget (the run fixes its step count from its
 * measured speed), embeds the training and test images with the online backbone, and prints the test accuracy of
 * the default linear probe ({@link LinearEvaluation}: hinge-loss SGD, within a point of a converged logistic
 * regression and minutes faster on 784 raw pixels) on the embeddings next to the same probe on an untrained
 * backbone of the same architecture and on raw pixels, plus a kNN accuracy on the embeddings. Every number
 * printed is measured in this run; {@code bench/run quality} gives the paper's protocol.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Pretrain on Fashion-MNIST for a time budget, then compare linear evaluation of the embeddings"
                + " with an untrained backbone and raw pixels, plus kNN.")
final class DemoCommand implements Callable<Integer> {

    private static final String SAMPLE = "/org/byol4j/sample/fashion-mnist/";

    @Spec
    CommandSpec spec;

    @Option(names = "--data", defaultValue = "/usr/share/datasets/fashion-mnist", description = "Folder of the"
            + " Fashion-MNIST IDX files (else the 2,000 + 500 image sample in the jar is used).")
    Path data;

    @Option(names = "--minutes", defaultValue = "10", description = "Pretraining budget.")
    double minutes;

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

    @Override
    public Integer call() {
        if (!(minutes > 0)) {
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

        ByolConfig config = config();
        System.out.println("Pretraining: " + config);
        long t0 = System.nanoTime();
        try (Backbone backbone = new Pretrainer(config).train(pretrainSet, new EpochPrinter())) {
            System.out.printf(Locale.ROOT, "Pretraining took %.1f s (%s steps)%n", (System.nanoTime() - t0) / 1e9,
                    backbone.recipe().get("totalSteps"));
            LinearEvaluation probe = new LinearEvaluation();
            LabelFactory labels = new LabelFactory();
            long t1 = System.nanoTime();
            MutableDataset<Label> embTrain = new MutableDataset<>(new EmbeddingDataSource<>(trainSet, backbone,
                    labels, 500));
            MutableDataset<Label> embTest = new MutableDataset<>(new EmbeddingDataSource<>(testSet, backbone, labels,
                    500));
            System.out.printf(Locale.ROOT, "Embedded %d + %d images (%d-d) in %.1f s%n", trainSet.size(),
                    testSet.size(), backbone.featureDim(), (System.nanoTime() - t1) / 1e9);
            double embAcc = probe.run(embTrain, embTest).accuracy();
            double knnAcc = new KnnEvaluation().accuracy(backbone, trainSet, testSet);
            double randomAcc;
            try (Backbone random = Backbone.randomInit(backbone.architecture(), backbone.imageSize(),
                    seed)) {
                randomAcc = probe.run(new EmbeddingDataSource<>(trainSet, random, labels, 500),
                        new EmbeddingDataSource<>(testSet, random, labels, 500)).accuracy();
            }
            double pixAcc = probe.run(new PixelDataSource<>(trainSet, labels), new PixelDataSource<>(testSet, labels))
                    .accuracy();
            System.out.printf(Locale.ROOT, "Test accuracy on %d images, linear probe (%s, %d epochs) trained on %d"
                    + " images:%n", testSet.size(), LinearEvaluation.DEFAULT_PROBE.name().toLowerCase(Locale.ROOT),
                    LinearEvaluation.DEFAULT_EPOCHS, trainSet.size());
            System.out.printf(Locale.ROOT, "  BYOL embeddings (%s, %d-d): %.2f %%%n", backbone.architecture().name(),
                    backbone.featureDim(), 100 * embAcc);
            System.out.printf(Locale.ROOT, "  untrained backbone (same architecture, random init): %.2f %%%n",
                    100 * randomAcc);
            System.out.printf(Locale.ROOT, "  raw pixels (%d-d):             %.2f %%%n",
                    trainSet.image(0).pixels().length, 100 * pixAcc);
            System.out.printf(Locale.ROOT, "  kNN on BYOL embeddings (k=20): %.2f %%%n", 100 * knnAcc);
        }
        return 0;
    }

    private ByolConfig config() {
        ByolConfig.Builder b = ByolConfig.builder(ByolPreset.of(preset)).optSeed(seed);
        if (steps > 0) {
            b.optTotalSteps(steps);
        } else {
            b.optTimeBudgetSeconds(60.0 * minutes);
        }
        if (batch > 0) {
            b.optBatchSize(batch);
        }
        ByolConfig config = b.build();
        if (backbone.equals("preset")) {
            return config;
        }
        return ConfigurableOptions.apply(config, Map.of("backbone", backbone));
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
