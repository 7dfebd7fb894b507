package org.byol4j.bench;

import static org.byol4j.method.PretrainingConfig.BATCH_SIZE;
import static org.byol4j.method.PretrainingConfig.IMAGE_SIZE;
import static org.byol4j.method.PretrainingConfig.TOTAL_STEPS;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.byol4j.byol.ByolConfig;
import org.byol4j.byol.ByolPreset;
import org.byol4j.data.ImageSource;
import org.byol4j.engine.ConvolutionGuard;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.nn.ResNet;
import org.byol4j.pretrain.Pretrainer;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;

/**
 * Plain against channels-last activations ({@link ResNet.Builder#optChannelsLast(boolean)}): training-mode forward
 * plus backward images/s of the same ResNet in both layouts, then whole BYOL steps of the small_greyscale preset
 * (augmentation, both views through online and target networks, LARS, EMA) in both layouts, chosen through
 * {@value ResNet#CHANNELS_LAST_PROPERTY}. Layouts alternate within one run so that the ratios survive a noisy
 * machine. Arguments: {@code [rounds] [iterations]} (default 3 rounds of 5 timed iterations after 2 warm-up ones,
 * and 3 rounds of {@value #STEPS} steps per layout). Only networks of multiples of 16 channels, so that
 * {@link ConvolutionGuard} never switches oneDNN off midway (which would make both layouts the plain one).
 */
public final class LayoutBench {

    private static final int STEPS = 14;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Engine engine = OfflineEngine.get();
        System.out.printf(Locale.ROOT, "engine %s %s, %d cores, %d rounds of %d timed iterations after 2 warm-up%n",
                engine.getEngineName(), engine.getVersion(), Runtime.getRuntime().availableProcessors(), rounds,
                iterations);
        System.out.printf(Locale.ROOT, "%-24s %9s %6s %14s %14s %8s%n", "backbone", "input", "batch",
                "plain f+b/s", "ch-last f+b/s", "ratio");
        run("resnet20-small-w1", 1, 20, 256, rounds, iterations);
        // The small_greyscale preset's backbone and shapes: both views of 128 pairs, 20 px.
        run("resnet18-small-w0.25", 1, 20, 256, rounds, iterations);
        run("resnet18-small-w0.5", 3, 32, 128, rounds, iterations);
        run("resnet18-imagenet-w1", 3, 224, 8, rounds, iterations);
        steps(rounds);
        if (ConvolutionGuard.isOneDnnOff()) {
            System.out.println("oneDNN was switched off: both columns measured the plain layout");
        }
    }

    private static void run(String name, int channels, int side, int batch, int rounds, int iterations) {
        ResNet channelsLast = ResNet.parse(name, channels);
        ResNet plain = ResNet.builder().setDepth(channelsLast.depth()).optStem(channelsLast.stem())
                .optWidthMultiplier(channelsLast.widthMultiplier()).optInputChannels(channels)
                .optChannelsLast(false).build();
        Shape shape = new Shape(batch, channels, side, side);
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            Block a = plain.newBlock();
            Block b = channelsLast.newBlock();
            a.initialize(m, DataType.FLOAT32, shape);
            b.initialize(m, DataType.FLOAT32, shape);
            double plainSeconds = 0;
            double channelsLastSeconds = 0;
            for (int r = 0; r < rounds; r++) {
                plainSeconds += iterations * batch / BackboneBench.rate(m, a, shape, iterations, true);
                channelsLastSeconds += iterations * batch / BackboneBench.rate(m, b, shape, iterations, true);
            }
            double images = (double) rounds * iterations * batch;
            System.out.printf(Locale.ROOT, "%-24s %9s %6d %14.1f %14.1f %7.2fx%n", name,
                    side + "x" + side + "x" + channels, batch, images / plainSeconds, images / channelsLastSeconds,
                    plainSeconds / channelsLastSeconds);
        }
    }

    /** Prints the median pairs/s of whole small_greyscale BYOL steps in each layout, and their ratio. */
    private static void steps(int rounds) {
        ByolConfig config = ByolConfig.builder(ByolPreset.SMALL_GREYSCALE).set(TOTAL_STEPS, STEPS).build();
        ImageSource images = StepBench.noise(config.get(BATCH_SIZE) * 4, config.get(IMAGE_SIZE), 1);
        List<Double> plain = new ArrayList<>();
        List<Double> channelsLast = new ArrayList<>();
        String before = System.getProperty(ResNet.CHANNELS_LAST_PROPERTY);
        try {
            for (int r = 0; r < rounds; r++) {
                plain.addAll(stepRates(config, images, false));
                channelsLast.addAll(stepRates(config, images, true));
            }
        } finally {
            if (before == null) {
                System.clearProperty(ResNet.CHANNELS_LAST_PROPERTY);
            } else {
                System.setProperty(ResNet.CHANNELS_LAST_PROPERTY, before);
            }
        }
        double p = median(plain);
        double c = median(channelsLast);
        int side = config.get(IMAGE_SIZE);
        System.out.printf(Locale.ROOT, "%-24s %9s %6d %14.1f %14.1f %7.2fx  (BYOL step, pairs/s)%n",
                "small_greyscale preset", side + "x" + side + "x1", config.get(BATCH_SIZE), p, c, c / p);
    }

    /**
     * @return the pairs/s of each step after the first two of one short run in the given layout, which the property
     *     chooses when the run builds its networks
     */
    private static List<Double> stepRates(ByolConfig config, ImageSource images, boolean channelsLast) {
        System.setProperty(ResNet.CHANNELS_LAST_PROPERTY, Boolean.toString(channelsLast));
        List<Double> rates = new ArrayList<>();
        PretrainingListener listener = new PretrainingListener() {
            @Override
            public void onStep(TrainingProgress progress) {
                rates.add(progress.pairsPerSecond());
            }
        };
        new Pretrainer(config).train(images, listener).close();
        return rates.subList(2, rates.size());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
