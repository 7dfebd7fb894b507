package org.byol4j.method;

import java.util.Map;
import org.byol4j.nn.BlockNetworks;

/**
 * The base of every {@link PretrainingMethod} built from DJL blocks: the weights, trainable parameters and
 * checkpoints of {@link BlockNetworks}, and no update or derived setting unless the method has one. A method states
 * its networks ({@link #blocks()}), its forward pass and its backbone.
 */
public abstract class AbstractPretrainingMethod extends BlockNetworks implements PretrainingMethod {

    /**
     * Seeds the engine and creates the manager; the subclass then builds its networks on {@link #manager()}.
     *
     * @param seed the run's seed
     */
    protected AbstractPretrainingMethod(long seed) {
        super(seed);
    }

    /** @return no update: the optimiser's step is all (override for a moving-average target) */
    @Override
    public Map<String, Double> afterStep(long step, Forward forward) {
        return Map.of();
    }

    /** @return none (override to record settings derived from the run length) */
    @Override
    public Map<String, String> derivedSettings() {
        return Map.of();
    }
}
