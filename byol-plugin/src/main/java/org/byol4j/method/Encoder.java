package org.byol4j.method;

import static org.byol4j.method.PretrainingConfig.INPUT_CHANNELS;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * A backbone f followed by a projector g, initialised for the config's views: the network every two-view method
 * trains (BYOL's online and target networks, SimSiam's and SimCLR's encoder). {@link #forward} runs both in training
 * mode (BatchNorm on batch statistics).
 */
public final class Encoder {

    private final Block backbone;
    private final Block projector;

    /**
     * Builds and initialises f and g (in that order, from the engine's random state).
     *
     * @param config the architecture, views and projector
     * @param manager the manager owning the weights
     */
    public Encoder(PretrainingConfig config, NDManager manager) {
        this.backbone = config.backbone().newBlock();
        this.projector = config.projector().newBlock();
        int c = config.get(INPUT_CHANNELS);
        int s = config.viewSize();
        backbone.initialize(manager, DataType.FLOAT32, new Shape(2, c, s, s));
        projector.initialize(manager, DataType.FLOAT32, new Shape(2, config.backbone().featureDim()));
    }

    /**
     * @param ps the step's parameter store
     * @param images (N, C, H, W)
     * @return (N, d) projections g(f(images))
     */
    public NDArray forward(ParameterStore ps, NDArray images) {
        NDArray y = backbone.forward(ps, new NDList(images), true).singletonOrThrow();
        return projector.forward(ps, new NDList(y), true).singletonOrThrow();
    }

    /** @return the backbone f */
    public Block backbone() {
        return backbone;
    }

    /** @return the projector g */
    public Block projector() {
        return projector;
    }

    /** @return every parameter of f then g, BatchNorm statistics included, in a stable order */
    public List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>(backbone.getParameters().values());
        out.addAll(projector.getParameters().values());
        return out;
    }

    /** Stops every parameter from recording gradients (a network the optimiser must never touch). */
    public void freeze() {
        backbone.freezeParameters(true);
        projector.freezeParameters(true);
    }
}
