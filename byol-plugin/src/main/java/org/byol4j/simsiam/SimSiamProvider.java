package org.byol4j.simsiam;

import org.byol4j.pretrain.PretrainingProvider;

/**
 * Registers {@code simsiam} with {@link org.byol4j.spi.RepresentationTrainers}: options are the
 * {@link SimSiamConfig} fields, {@code preset} (a {@link SimSiamPreset}) and the run options every
 * {@link PretrainingProvider} has.
 */
public final class SimSiamProvider extends PretrainingProvider<SimSiamConfig> {

    /** Called by {@link java.util.ServiceLoader}. */
    public SimSiamProvider() {
        super("simsiam", "Exploring Simple Siamese Representation Learning (Chen & He, CVPR 2021, arXiv:2011.10566)",
                SimSiamConfig::new, SimSiamPreset.values());
    }
}
