package org.byol4j.bench;

import static org.byol4j.method.PretrainingConfig.BACKBONE;
import static org.byol4j.method.PretrainingConfig.BASE_LEARNING_RATE;
import static org.byol4j.method.PretrainingConfig.BATCH_SIZE;
import static org.byol4j.method.PretrainingConfig.EPOCHS;
import static org.byol4j.method.PretrainingConfig.IMAGE_SIZE;
import static org.byol4j.method.PretrainingConfig.INPUT_CHANNELS;
import static org.byol4j.method.PretrainingConfig.OPTIMISER;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_HIDDEN;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_OUTPUT;
import static org.byol4j.method.PretrainingConfig.WARMUP_EPOCHS;

import java.nio.file.Path;
import java.util.Locale;
import org.byol4j.backbone.Backbone;
import org.byol4j.byol.ByolConfig;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.Subset;
import org.byol4j.method.OptimiserKind;
import org.byol4j.pretrain.Pretrainer;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.tribuo.EmbeddingDataSource;
import org.byol4j.tribuo.KnnEvaluation;
import org.byol4j.tribuo.LinearEvaluation;
import org.byol4j.tribuo.LinearProbe;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

/**
 * Which linear probe, and how many epochs, for linear evaluation? Pretrains the demo backbone briefly on
 * Fashion-MNIST, embeds 10,000 train and 2,000 test images once, then measures every probe's test accuracy and
 * training time on the same embeddings, and kNN (k = 20 and 200) for comparison. Argument: the folder of the
 * Fashion-MNIST IDX files.
 */
public final class ProbeBench {

    public static void main(String[] args) {
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        Path dir = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
        IdxImageSource train = IdxImageSource.labelled(dir.resolve("train-images-idx3-ubyte.gz"),
                dir.resolve("train-labels-idx1-ubyte.gz"), IdxImageSource.FASHION_MNIST_CLASSES, 10000);
        IdxImageSource test = IdxImageSource.labelled(dir.resolve("t10k-images-idx3-ubyte.gz"),
                dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxImageSource.FASHION_MNIST_CLASSES, 2000);
        ByolConfig config = ByolConfig.builder().set(BACKBONE, "resnet18-small-w0.25").set(INPUT_CHANNELS, 1)
                .set(IMAGE_SIZE, 28).set(PROJECTOR_HIDDEN, 512).set(PROJECTOR_OUTPUT, 128)
                .set(BATCH_SIZE, 128).set(EPOCHS, 2).set(OPTIMISER, OptimiserKind.LARS).set(BASE_LEARNING_RATE, 1.0f)
                .set(WARMUP_EPOCHS, 0.5f).build();
        try (Backbone backbone = new Pretrainer(config).train(Subset.first(train, 5000), PretrainingListener.NONE)) {
            LabelFactory labels = new LabelFactory();
            MutableDataset<Label> trainSet = new MutableDataset<>(new EmbeddingDataSource<>(train, backbone, labels,
                    256));
            MutableDataset<Label> testSet = new MutableDataset<>(new EmbeddingDataSource<>(test, backbone, labels,
                    256));
            System.out.printf(Locale.ROOT, "backbone %s after 2 BYOL epochs on 5,000 images; probes on %d train / %d "
                    + "test embeddings (%d-d)%n", backbone.architecture().name(), trainSet.size(), testSet.size(),
                    backbone.featureDim());
            for (LinearProbe probe : LinearProbe.values()) {
                for (int epochs : probe == LinearProbe.LIBLINEAR ? new int[] {0} : new int[] {5, 10, 20}) {
                    long t0 = System.nanoTime();
                    double acc = new LinearEvaluation(probe, epochs).run(trainSet, testSet).accuracy();
                    System.out.printf(Locale.ROOT, "%-20s epochs %-3s accuracy %6.2f %%  %6.1f s%n", probe,
                            epochs == 0 ? "-" : Integer.toString(epochs), 100 * acc, (System.nanoTime() - t0) / 1e9);
                }
            }
            try (Backbone random = Backbone.randomInit(backbone.architecture(), backbone.imageSize(), 42)) {
                double acc = new LinearEvaluation().run(new EmbeddingDataSource<>(train, random, labels, 256),
                        new EmbeddingDataSource<>(test, random, labels, 256)).accuracy();
                System.out.printf(Locale.ROOT, "random-init backbone, default probe: accuracy %6.2f %%%n", 100 * acc);
            }
            for (int k : new int[] {20, 200}) {
                long t0 = System.nanoTime();
                double acc = new KnnEvaluation(k, 0.07).accuracy(backbone, train, test);
                System.out.printf(Locale.ROOT, "kNN k=%-3d T=0.07       accuracy %6.2f %%  %6.1f s (incl. embedding)%n",
                        k, 100 * acc, (System.nanoTime() - t0) / 1e9);
            }
        }
    }
}
