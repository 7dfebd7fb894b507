package org.byol4j.barlowtwins;

import static org.byol4j.method.PretrainingConfig.PROJECTOR_HIDDEN;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_OUTPUT;

import org.byol4j.options.OptionValues;
import org.byol4j.method.Preset;
import org.byol4j.method.Presets;

/** Named starting points for a {@link BarlowTwinsConfig}. */
public enum BarlowTwinsPreset implements Preset<BarlowTwinsConfig> {

    /** Small greyscale images on a CPU: the run settings every method's small presets share, projector 512 → 512. */
    SMALL_GREYSCALE(small(1, 28)),

    /** Small colour images: as {@link #SMALL_GREYSCALE}, 32 × 32 × 3. */
    SMALL_COLOUR(small(3, 32));

    private final OptionValues<BarlowTwinsConfig> settings;

    BarlowTwinsPreset(OptionValues<BarlowTwinsConfig> settings) {
        this.settings = settings;
    }

    private static OptionValues<BarlowTwinsConfig> small(int channels, int size) {
        return Presets.<BarlowTwinsConfig>smallImages("resnet20-small-w1", channels, size)
                .with(PROJECTOR_HIDDEN, 512).with(PROJECTOR_OUTPUT, 512).with(BarlowTwinsConfig.LAMBDA, 0.02f);
    }

    /** {@inheritDoc} */
    @Override
    public OptionValues<BarlowTwinsConfig> settings() {
        return settings;
    }
}
