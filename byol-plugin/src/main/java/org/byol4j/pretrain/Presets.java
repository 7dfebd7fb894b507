package org.byol4j.pretrain;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

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
     * @return the small-image run settings every method's small presets start from
     */
    public static Map<String, String> smallImages(String backbone, int channels, int size) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("backbone", backbone);
        m.put("inputChannels", Integer.toString(channels));
        m.put("imageSize", Integer.toString(size));
        m.put("cropScaleMin", "0.2");
        m.put("batchSize", "128");
        m.put("warmupEpochs", "-1");
        m.put("scheduleStretch", "4");
        return m;
    }
}
