package org.byol4j.barlowtwins;

import org.byol4j.pretrain.PretrainingProvider;

/** Registers {@code barlowtwins} with {@link org.byol4j.spi.RepresentationTrainers}, from the test tree. */
public final class BarlowTwinsProvider extends PretrainingProvider<BarlowTwinsConfig> {

    /** Called by {@link java.util.ServiceLoader}. */
    public BarlowTwinsProvider() {
        super("barlowtwins", "Barlow Twins: Self-Supervised Learning via Redundancy Reduction (Zbontar et al., ICML"
                + " 2021, arXiv:2103.03230)", BarlowTwinsConfig::new, BarlowTwinsPreset.values());
    }
}
