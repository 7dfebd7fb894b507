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
import static org.byol4j.pretrain.RunSettings.WORKERS;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.byol.ByolConfig;
import org.byol4j.data.BadImagePolicy;
import org.byol4j.data.FolderImageSource;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.ImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.data.Subset;
import org.byol4j.method.OptimiserKind;
import org.byol4j.pretrain.Pretrainer;
import org.byol4j.pretrain.RunSettings;
import org.byol4j.views.ViewBatch;
import org.byol4j.views.ViewLoader;
import org.byol4j.views.ViewPlan;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;

/**
 * Does view generation keep up with training? Measures, in one run: view pairs per second of the loader alone
 * (IDX in memory, and PNG files decoded from a folder) for 1 and 2 workers, and pairs per second the BYOL step
 * consumes (demo configuration), and prints their ratio.
 */
public final class PipelineBench {

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        if (!Files.isRegularFile(images)) {
            System.err.println("needs Fashion-MNIST IDX files in " + dir + " (apt-get install dataset-fashion-mnist)");
            System.exit(2);
        }
        IdxImageSource idx = IdxImageSource.labelled(images, dir.resolve("train-labels-idx1-ubyte.gz"),
                IdxImageSource.FASHION_MNIST_CLASSES, 4096);
        Path pngDir = Files.createTempDirectory("byol4j-bench-png");
        for (int i = 0; i < 2048; i++) {
            writePng(idx.image(i), pngDir.resolve(String.format(Locale.ROOT, "img-%05d.png", i)));
        }
        FolderImageSource folder = new FolderImageSource(pngDir, 1, BadImagePolicy.FAIL_FAST);
        int batch = 128;
        System.out.printf(Locale.ROOT, "cores: %d, batch %d, views 28 x 28 x 1, BYOL view 1 / view 2 augmentations%n",
                Runtime.getRuntime().availableProcessors(), batch);
        double consume = trainingConsumption(Subset.first(idx, 2048), batch);
        System.out.printf(Locale.ROOT, "training step consumes (resnet18-small-w0.25, demo heads): %8.0f pairs/s%n",
                consume);
        for (int workers : new int[] {1, 2}) {
            double inMemory = loaderRate(idx, batch, workers);
            double png = loaderRate(folder, batch, workers);
            System.out.printf(Locale.ROOT, "loader, %d worker(s), IDX in memory:  %8.0f pairs/s  (%.1fx the step)%n",
                    workers, inMemory, inMemory / consume);
            System.out.printf(Locale.ROOT, "loader, %d worker(s), PNG folder:     %8.0f pairs/s  (%.1fx the step)%n",
                    workers, png, png / consume);
        }
    }

    private static void writePng(PixelImage img, Path file) throws IOException {
        BufferedImage b = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                b.getRaster().setSample(x, y, 0, Math.round(255 * img.get(0, y, x)));
            }
        }
        ImageIO.write(b, "png", file.toFile());
    }

    private static double loaderRate(ImageSource source, int batch, int workers) {
        try (ViewLoader loader = new ViewLoader(source, ViewPlan.pair(ViewAugmentation.byolView1(28),
                ViewAugmentation.byolView2(28)), 1, batch, 1, workers)) {
            drain(loader.epoch(0, 0), 4);
            long t0 = System.nanoTime();
            int pairs = drain(loader.epoch(1, 0), Integer.MAX_VALUE);
            return pairs / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static int drain(Iterator<ViewBatch> batches, int max) {
        int pairs = 0;
        for (int i = 0; i < max && batches.hasNext(); i++) {
            pairs += batches.next().size();
        }
        return pairs;
    }

    /** Median of the per-step rates the trainer reports (step time only, data wait excluded). */
    private static double trainingConsumption(ImageSource images, int batch) {
        ByolConfig config = ByolConfig.builder().set(BACKBONE, "resnet18-small-w0.25").set(INPUT_CHANNELS, 1)
                .set(IMAGE_SIZE, 28).set(PROJECTOR_HIDDEN, 512).set(PROJECTOR_OUTPUT, 128)
                .set(BATCH_SIZE, batch).set(EPOCHS, 1).set(OPTIMISER, OptimiserKind.LARS).set(BASE_LEARNING_RATE, 1.0f)
                .set(WARMUP_EPOCHS, 0.5f).build();
        List<Double> rates = new ArrayList<>();
        PretrainingListener listener = new PretrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                rates.add(p.pairsPerSecond());
            }
        };
        new Pretrainer(config, RunSettings.defaults().with(WORKERS, 2)).train(images, listener).close();
        List<Double> steady = new ArrayList<>(rates.subList(Math.min(3, rates.size() - 1), rates.size()));
        steady.sort(null);
        return steady.get(steady.size() / 2);
    }
}
