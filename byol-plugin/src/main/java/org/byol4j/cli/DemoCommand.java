package org.byol4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.byol4j.byol.ByolConfig;
import org.byol4j.byol.ByolTrainer;
import org.byol4j.byol.OptimiserKind;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.Subset;
import org.byol4j.nn.Backbone;
import org.byol4j.spi.TrainingListener;
import org.byol4j.spi.TrainingProgress;
import org.byol4j.tribuo.EmbeddingDataSource;
import org.byol4j.tribuo.KnnEvaluation;
import org.byol4j.tribuo.LinearEvaluation;
import org.byol4j.tribuo.PixelDataSource;
import org.tribuo.classification.LabelFactory;

/**
 * {@code byol demo}: the whole path on Fashion-MNIST in a few minutes on two cores. Loads the dataset
 * (Debian's {@code dataset-fashion-mnist} files, else the 2,000 + 500 image sample shipped in the jar),
 * pretrains a small ResNet with BYOL printing the loss per epoch, embeds train and test images with the
 * online backbone, and prints the test accuracy of the default linear probe ({@link LinearEvaluation}) on the
 * embeddings next to the same probe on an untrained backbone of the same architecture and on raw pixels, plus a
 * kNN accuracy on the embeddings. Every number printed is measured in this run.
 */
final class DemoCommand {

    static final Map<String, String> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("--data", "/usr/share/datasets/fashion-mnist");
        OPTIONS.put("--pretrain-images", "5000");
        OPTIONS.put("--train-images", "10000");
        OPTIONS.put("--test-images", "2000");
        OPTIONS.put("--epochs", "3");
        OPTIONS.put("--batch", "128");
        OPTIONS.put("--backbone", "resnet18-small-w0.25");
        OPTIONS.put("--crop-min", "0.08");
        OPTIONS.put("--trust", "0.001");
        OPTIONS.put("--seed", "42");
    }

    private static final String SAMPLE = "/org/byol4j/sample/fashion-mnist/";

    private final Options options;

    DemoCommand(Options options) {
        this.options = options;
    }

    int run() {
        Path dir = Path.of(options.string("--data"));
        boolean full = Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"));
        if (!full) {
            dir = extractSample();
        }
        int pretrainN = options.integer("--pretrain-images", 2);
        int trainN = options.integer("--train-images", 1);
        int testN = options.integer("--test-images", 1);
        IdxImageSource train = IdxImageSource.labelled(dir.resolve("train-images-idx3-ubyte.gz"),
                dir.resolve("train-labels-idx1-ubyte.gz"), IdxImageSource.FASHION_MNIST_CLASSES,
                Math.max(pretrainN, trainN));
        IdxImageSource test = IdxImageSource.labelled(dir.resolve("t10k-images-idx3-ubyte.gz"),
                dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxImageSource.FASHION_MNIST_CLASSES, testN);
        System.out.printf(Locale.ROOT, "Data: %s Fashion-MNIST in %s (%d train, %d test images read)%n",
                full ? "full" : "sample of", dir, train.size(), test.size());

        ByolConfig config = ByolConfig.builder()
                .optBackbone(options.string("--backbone"), 1, 28)
                .optProjector(512, 128)
                .optSchedule(options.integer("--batch", 2), options.integer("--epochs", 1))
                .optOptimiser(OptimiserKind.LARS, 1.0f, 0.5f)
                .optCropScaleMin(options.fraction("--crop-min"))
                .optOptimiserDetails(1.5e-6f, 0.9f, options.fraction("--trust"))
                .optSeed(options.integer("--seed", 0))
                .build();
        System.out.println("Pretraining: " + config);
        long t0 = System.nanoTime();
        try (Backbone backbone = new ByolTrainer(config).train(Subset.first(train, pretrainN), new EpochPrinter())) {
            System.out.printf(Locale.ROOT, "Pretraining took %.1f s%n", (System.nanoTime() - t0) / 1e9);
            Subset trainSet = Subset.first(train, trainN);
            long t1 = System.nanoTime();
            LabelFactory labels = new LabelFactory();
            EmbeddingDataSource<org.tribuo.classification.Label> embTrain =
                    new EmbeddingDataSource<>(trainSet, backbone, labels, 256);
            EmbeddingDataSource<org.tribuo.classification.Label> embTest =
                    new EmbeddingDataSource<>(test, backbone, labels, 256);
            System.out.printf(Locale.ROOT, "Embedded %d + %d images (%d-d) in %.1f s%n", trainSet.size(), test.size(),
                    backbone.featureDim(), (System.nanoTime() - t1) / 1e9);
            LinearEvaluation probe = new LinearEvaluation();
            double embAcc = probe.run(embTrain, embTest).accuracy();
            double pixAcc = probe.run(new PixelDataSource<>(trainSet, labels), new PixelDataSource<>(test, labels))
                    .accuracy();
            double knnAcc = new KnnEvaluation().accuracy(backbone, trainSet, test);
            double randomAcc;
            try (Backbone random = Backbone.randomInit(backbone.architecture(), backbone.imageSize(),
                    options.integer("--seed", 0))) {
                randomAcc = probe.run(new EmbeddingDataSource<>(trainSet, random, labels, 256),
                        new EmbeddingDataSource<>(test, random, labels, 256)).accuracy();
            }
            System.out.printf(Locale.ROOT, "Test accuracy, linear probe (%s, %d epochs) on %d train images:%n",
                    LinearEvaluation.DEFAULT_PROBE.name().toLowerCase(Locale.ROOT), LinearEvaluation.DEFAULT_EPOCHS,
                    trainSet.size());
            System.out.printf(Locale.ROOT, "  BYOL embeddings (%s, %d-d): %.2f %%%n", backbone.architecture().name(),
                    backbone.featureDim(), 100 * embAcc);
            System.out.printf(Locale.ROOT, "  untrained backbone (same architecture, random init): %.2f %%%n",
                    100 * randomAcc);
            System.out.printf(Locale.ROOT, "  raw pixels (784-d):            %.2f %%%n", 100 * pixAcc);
            System.out.printf(Locale.ROOT, "  kNN on BYOL embeddings (k=20): %.2f %%%n", 100 * knnAcc);
        }
        return 0;
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
    private static final class EpochPrinter implements TrainingListener {
        @Override
        public void onEpoch(TrainingProgress p) {
            System.out.printf(Locale.ROOT,
                    "  epoch %d  loss %.4f  collapse-std %.4f  tau %.5f  lr %.4f  %.0f pairs/s%n",
                    p.epoch() + 1, p.loss(), p.collapseStd(), p.tau(), p.learningRate(), p.pairsPerSecond());
        }
    }
}
