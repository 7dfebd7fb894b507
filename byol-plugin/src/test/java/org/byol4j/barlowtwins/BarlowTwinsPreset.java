package org.byol4j.barlowtwins;

import java.util.Map;
import org.byol4j.pretrain.Presets;

/** Named starting points for a {@link BarlowTwinsConfig}. */
public enum BarlowTwinsPreset {

    /** Small greyscale images on a CPU: the run settings every method's small presets share, projector 512 → 512. */
    SMALL_GREYSCALE(small(1, 28)),

    /** Small colour images: as {@link #SMALL_GREYSCALE}, 32 × 32 × 3. */
    SMALL_COLOUR(small(3, 32));

    private final Map<String, String> options;

    BarlowTwinsPreset(Map<String, String> options) {
        this.options = Map.copyOf(options);
    }

    private static Map<String, String> small(int channels, int size) {
        Map<String, String> m = Presets.smallImages("resnet20-small-w1", channels, size);
        m.put("projectorHidden", "512");
        m.put("projectorOutput", "512");
        m.put("lambda", "0.02");
        return m;
    }

    /** @return the {@code @Config} field values this preset sets, by field name */
    public Map<String, String> options() {
        return options;
    }
}
