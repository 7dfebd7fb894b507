package org.byol4j.byol;

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
 * BYOL's online network θ (Grill et al. 2020, §3.1): backbone f, projector g, predictor q. The only
 * network the optimiser updates, and the one whose backbone is kept after training.
 */
public final class OnlineNetwork {

    private final Block backbone;
    private final Block projector;
    private final Block predictor;
    private final PredictorMode predictorMode;

    OnlineNetwork(ByolConfig config, NDManager manager) {
        this.predictorMode = config.predictor();
        this.backbone = config.backbone().newBlock();
        this.projector = config.projector().newBlock();
        this.predictor = config.predictorHead().newBlock();
        int c = config.inputChannels();
        int s = config.imageSize();
        backbone.initialize(manager, DataType.FLOAT32, new Shape(2, c, s, s));
        projector.initialize(manager, DataType.FLOAT32, new Shape(2, config.backbone().featureDim()));
        predictor.initialize(manager, DataType.FLOAT32, new Shape(2, config.projector().output()));
        if (predictorMode != PredictorMode.TRAINED) {
            predictor.freezeParameters(true);
        }
    }

    /** The outputs of one forward pass. */
    static final class Output {
        final NDArray projection;
        final NDArray prediction;

        Output(NDArray projection, NDArray prediction) {
            this.projection = projection;
            this.prediction = prediction;
        }
    }

    Output forward(ParameterStore ps, NDArray images) {
        NDArray y = backbone.forward(ps, new NDList(images), true).singletonOrThrow();
        NDArray z = projector.forward(ps, new NDList(y), true).singletonOrThrow();
        NDArray p = predictorMode == PredictorMode.NONE ? z : predictor.forward(ps, new NDList(z), true).singletonOrThrow();
        return new Output(z, p);
    }

    /** @return the backbone f */
    public Block backbone() {
        return backbone;
    }

    /** @return the projector g */
    public Block projector() {
        return projector;
    }

    /** @return the predictor q */
    public Block predictor() {
        return predictor;
    }

    /** @return the parameters the optimiser updates, in a stable order */
    public List<Parameter> trainableParameters() {
        List<Parameter> out = new ArrayList<>();
        for (Block b : List.of(backbone, projector, predictor)) {
            for (Parameter p : b.getParameters().values()) {
                if (p.requiresGradient()) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
