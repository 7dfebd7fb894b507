package org.byol4j.pretrain;

import static org.byol4j.method.PretrainingConfig.BACKBONE;
import static org.byol4j.method.PretrainingConfig.BASE_LEARNING_RATE;
import static org.byol4j.method.PretrainingConfig.BATCH_SIZE;
import static org.byol4j.method.PretrainingConfig.EPOCHS;
import static org.byol4j.method.PretrainingConfig.IMAGE_SIZE;
import static org.byol4j.method.PretrainingConfig.INPUT_CHANNELS;
import static org.byol4j.method.PretrainingConfig.OPTIMISER;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_HIDDEN;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_OUTPUT;
import static org.byol4j.method.PretrainingConfig.SEED;
import static org.byol4j.method.PretrainingConfig.WARMUP_EPOCHS;

import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.byol4j.byol.ByolConfig;
import org.byol4j.data.ImageSource;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.method.OptimiserKind;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.optim.Lars;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.views.ViewBatch;

/** Small configurations and random batches shared by the pretraining tests (BYOL as the method). */
public final class TinyRuns {

    private TinyRuns() {}

    /** @return a BYOL config of a tiny ResNet at 12 px, 8 images a batch */
    public static PretrainingConfig.Builder<ByolConfig> tinyConfig() {
        return tiny(ByolConfig.builder());
    }

    /**
     * @param builder any method's builder
     * @param <C> the method's config
     * @return the builder with {@link #tinyConfig()}'s shared settings
     */
    public static <C extends PretrainingConfig> PretrainingConfig.Builder<C> tiny(
            PretrainingConfig.Builder<C> builder) {
        return builder.set(BACKBONE, "resnet20-small-w0.25").set(INPUT_CHANNELS, 1)
                .set(IMAGE_SIZE, 12).set(PROJECTOR_HIDDEN, 16)
                .set(PROJECTOR_OUTPUT, 8).set(BATCH_SIZE, 8)
                .set(EPOCHS, 2).set(OPTIMISER, OptimiserKind.LARS)
                .set(BASE_LEARNING_RATE, 0.2f).set(WARMUP_EPOCHS, 0f)
                .set(SEED, 7L);
    }

    /** @return LARS with the paper's constants at a fixed learning rate of 0.5 */
    public static StatefulOptimizer lars() {
        return Lars.builder().setLearningRateTracker((id, n) -> 0.5f).build();
    }

    /**
     * @param params parameters
     * @return a copy of each one's values, in order
     */
    public static List<float[]> snapshot(List<Parameter> params) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : params) {
            out.add(p.getArray().toFloatArray());
        }
        return out;
    }

    /**
     * @param c the config whose batch shape to use
     * @param seed the pixels' seed
     * @return a batch of uniform noise views
     */
    public static ViewBatch randomBatch(PretrainingConfig c, long seed) {
        Random r = new Random(seed);
        int n = c.get(BATCH_SIZE) * c.get(INPUT_CHANNELS) * c.viewSize() * c.viewSize();
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat();
            b[i] = r.nextFloat();
        }
        return ViewBatch.pair(a, b, c.get(BATCH_SIZE), c.get(INPUT_CHANNELS), c.viewSize());
    }

    /**
     * @param n images
     * @param side their side
     * @return 1-channel images of bright squares at positions and sizes drawn from a fixed seed
     */
    public static ImageSource squares(int n, int side) {
        Random r = new Random(3);
        PixelImage[] images = new PixelImage[n];
        for (int i = 0; i < n; i++) {
            float[] px = new float[side * side];
            int s = 2 + r.nextInt(side / 2);
            int top = r.nextInt(side - s);
            int left = r.nextInt(side - s);
            for (int y = top; y < top + s; y++) {
                for (int x = left; x < left + s; x++) {
                    px[y * side + x] = 0.5f + 0.5f * r.nextFloat();
                }
            }
            images[i] = new PixelImage(1, side, side, px);
        }
        return source(n, 1, n + " random squares", i -> images[i]);
    }

    /**
     * @param n images
     * @param channels their channel count
     * @param description what the source says it is
     * @param image image i
     * @return an in-memory source of those images
     */
    public static ImageSource source(int n, int channels, String description, IntFunction<PixelImage> image) {
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
                return image.apply(index);
            }

            @Override
            public String description() {
                return description;
            }
        };
    }

    /**
     * @param n images
     * @param description what the source says it is
     * @param image image i (1 channel)
     * @param label the class name of image i
     * @param classNames every class name
     * @return an in-memory labelled source of those images
     */
    public static LabelledImageSource labelled(int n, String description, IntFunction<PixelImage> image,
            IntFunction<String> label, List<String> classNames) {
        ImageSource images = source(n, 1, description, image);
        return new LabelledImageSource() {
            @Override
            public String label(int index) {
                return label.apply(index);
            }

            @Override
            public List<String> classNames() {
                return classNames;
            }

            @Override
            public int size() {
                return images.size();
            }

            @Override
            public int channels() {
                return images.channels();
            }

            @Override
            public PixelImage image(int index) {
                return images.image(index);
            }

            @Override
            public String description() {
                return images.description();
            }
        };
    }
}
