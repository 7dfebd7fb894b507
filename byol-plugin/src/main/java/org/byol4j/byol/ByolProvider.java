package org.byol4j.byol;

import org.byol4j.pretrain.PretrainingProvider;

/**
 * Registers {@code byol} with {@link org.byol4j.spi.RepresentationTrainers}: options are the {@link ByolConfig}
 * options, {@code preset} (a {@link ByolPreset}) and the run options every {@link PretrainingProvider} has.
 */
public final class ByolProvider extends PretrainingProvider<ByolConfig> {

    /** Called by {@link java.util.ServiceLoader}. */
    public ByolProvider() {
        super("byol", "Bootstrap Your Own Latent (Grill et al., NeurIPS 2020, arXiv:2006.07733)",
                ByolConfig::new, ByolPreset.values());
    }
}
