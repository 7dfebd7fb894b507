package org.byol4j.bench;

import static org.byol4j.byol.ByolConfig.JOINT_VIEW_FORWARD;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.byol4j.byol.ByolConfig;
import org.byol4j.data.ImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.method.OptimiserKind;
import org.byol4j.pretrain.Pretrainer;
import org.byol4j.pretrain.RunSettings;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;

/**
 * Is forwarding both views as one batch faster? Runs the same BYOL steps with separate view passes (the paper's
 * maths) and with one joint pass (BatchNorm then pools both views), alternating the two twice, and reports the
 * median step rate of each and their ratio. Arguments: {@code [backbone] [side] [batch]}.
 */
public final class StepBench {

    public static void main(String[] args) {
        String backbone = args.length > 0 ? args[0] : "resnet18-small-w0.25";
        int side = args.length > 1 ? Integer.parseInt(args[1]) : 28;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        ImageSource images = noise(batch * 6, side, 1);
        double[] separate = new double[2];
        double[] joint = new double[2];
        for (int round = 0; round < 2; round++) {
            separate[round] = medianRate(images, backbone, side, batch, false);
            joint[round] = medianRate(images, backbone, side, batch, true);
        }
        double s = Math.max(separate[0], separate[1]);
        double j = Math.max(joint[0], joint[1]);
        System.out.printf(Locale.ROOT, "%s, %d x %d x 1, batch %d pairs, %d cores%n", backbone, side, side, batch,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "separate view passes: %.1f pairs/s (rounds %.1f, %.1f)%n", s, separate[0],
                separate[1]);
        System.out.printf(Locale.ROOT, "joint view pass:      %.1f pairs/s (rounds %.1f, %.1f)%n", j, joint[0],
                joint[1]);
        System.out.printf(Locale.ROOT, "joint / separate:     %.2f%n", j / s);
    }

    private static double medianRate(ImageSource images, String backbone, int side, int batch, boolean joint) {
        ByolConfig config = ByolConfig.builder().set(BACKBONE, backbone).set(INPUT_CHANNELS, 1).set(IMAGE_SIZE, side)
                .set(PROJECTOR_HIDDEN, 512).set(PROJECTOR_OUTPUT, 128)
                .set(BATCH_SIZE, batch).set(EPOCHS, 1).set(OPTIMISER, OptimiserKind.LARS).set(BASE_LEARNING_RATE, 1.0f)
                .set(WARMUP_EPOCHS, 0.5f).set(JOINT_VIEW_FORWARD, joint)
                .build();
        List<Double> rates = new ArrayList<>();
        PretrainingListener listener = new PretrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                rates.add(p.pairsPerSecond());
            }
        };
        new Pretrainer(config, RunSettings.defaults().with(WORKERS, 1)).train(images, listener).close();
        List<Double> steady = new ArrayList<>(rates.subList(1, rates.size()));
        steady.sort(null);
        return steady.get(steady.size() / 2);
    }

    /**
     * @return {@code n} images of uniform noise, image i drawn from a generator seeded with i (so the same in
     *     every run)
     */
    static ImageSource noise(int n, int side, int channels) {
        return new ImageSource() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public int channels() {
                return channels;
            }

            @Override
            public PixelImage image(int index) {
                java.util.SplittableRandom r = new java.util.SplittableRandom(index);
                float[] px = new float[channels * side * side];
                for (int i = 0; i < px.length; i++) {
                    px[i] = (float) r.nextDouble();
                }
                return new PixelImage(channels, side, side, px);
            }

            @Override
            public String description() {
                return n + " noise images";
            }
        };
    }
}
