package org.byol4j.method;

import static org.byol4j.method.PretrainingConfig.SEED;

import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A method whose networks are one {@link Encoder} (backbone f → projector g) that both views share, plus whatever
 * heads a subclass adds (SimSiam's predictor): SimCLR, SimSiam and the like. It builds the encoder right after
 * seeding the engine, keeps f as the backbone the run produces, and lists f and g, in that order, as the first
 * blocks of a checkpoint; a subclass states its forward pass and adds its own blocks after them.
 */
public abstract class EncoderMethod extends AbstractPretrainingMethod {

    private final Encoder encoder;

    /** @param config the recipe: its seed, backbone, views and projector */
    protected EncoderMethod(PretrainingConfig config) {
        super(config.get(SEED));
        this.encoder = new Encoder(config, manager());
    }

    /** @return the shared encoder */
    protected final Encoder encoder() {
        return encoder;
    }

    /** @return f, the backbone the run produces */
    @Override
    public final Block backbone() {
        return encoder.backbone();
    }

    /** @return f and g as {@code backbone} and {@code projector}; a subclass adds its own heads after them */
    @Override
    protected Map<String, Block> blocks() {
        Map<String, Block> blocks = new LinkedHashMap<>();
        blocks.put("backbone", encoder.backbone());
        blocks.put("projector", encoder.projector());
        return blocks;
    }
}
