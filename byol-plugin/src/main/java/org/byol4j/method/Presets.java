package org.byol4j.method;

import static org.byol4j.method.PretrainingConfig.BACKBONE;
import static org.byol4j.method.PretrainingConfig.BATCH_SIZE;
import static org.byol4j.method.PretrainingConfig.CROP_SCALE_MIN;
import static org.byol4j.method.PretrainingConfig.IMAGE_SIZE;
import static org.byol4j.method.PretrainingConfig.INPUT_CHANNELS;
import static org.byol4j.method.PretrainingConfig.SCHEDULE_STRETCH;
import static org.byol4j.method.PretrainingConfig.WARMUP_EPOCHS;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.byol4j.options.OptionValues;

/**
 * What the methods' named recipes share: looking one up by a forgiving name ({@code small-greyscale},
 * {@code SMALL_GREYSCALE}), and the run settings every small-image preset uses, measured with BYOL on Fashion-MNIST
 * (docs/RECIPE.md): crops down to 20 % of the image (8 % of 28 px is an 8 × 8 crop; BYOL's presets crop down to
 * 35 %, measured better), batch 128, warm-up derived from the run length, schedules stretched over 4 × K.
 */
public final class Presets {

    private Presets() {}

    /**
     * @param values a preset enum's constants
     * @param name a preset name, any case, {@code -} or {@code _}
     * @param <E> the preset enum
     * @return the preset
     * @throws IllegalArgumentException listing the presets when none has that name
     */
    public static <E extends Enum<E>> E of(E[] values, String name) {
        String key = name.trim().replace('-', '_');
        for (E p : values) {
            if (p.name().equalsIgnoreCase(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + name + "'; known: " + String.join(", ", names(values)));
    }

    /**
     * @param values a preset enum's constants
     * @param <E> the preset enum
     * @return their names in lower case, e.g. {@code small_greyscale}
     */
    public static <E extends Enum<E>> List<String> names(E[] values) {
        return Arrays.stream(values).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.toList());
    }

    /**
     * @param backbone architecture name
     * @param channels image channels
     * @param size view side in pixels
     * @param <C> the method's config
     * @return the small-image run settings every method's small presets start from
     */
    public static <C extends PretrainingConfig> OptionValues<C> smallImages(String backbone, int channels,
            int size) {
        return OptionValues.<C, String>of(BACKBONE, backbone)
                .with(INPUT_CHANNELS, channels)
                .with(IMAGE_SIZE, size)
                .with(CROP_SCALE_MIN, 0.2f)
                .with(BATCH_SIZE, 128)
                .with(WARMUP_EPOCHS, -1f)
                .with(SCHEDULE_STRETCH, 4.0);
    }
}
