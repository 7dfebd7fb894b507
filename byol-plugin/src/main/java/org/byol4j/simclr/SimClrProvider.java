package org.byol4j.simclr;

import org.byol4j.pretrain.PretrainingProvider;

/**
 * Registers {@code simclr} with {@link org.byol4j.spi.RepresentationTrainers}: options are the {@link SimClrConfig}
 * options, {@code preset} (a {@link SimClrPreset}) and the run options every {@link PretrainingProvider} has.
 */
public final class SimClrProvider extends PretrainingProvider<SimClrConfig> {

    /** Called by {@link java.util.ServiceLoader}. */
    public SimClrProvider() {
        super("simclr", "A Simple Framework for Contrastive Learning (Chen et al., ICML 2020, arXiv:2002.05709)",
                SimClrConfig::new, SimClrPreset.values());
    }
}
