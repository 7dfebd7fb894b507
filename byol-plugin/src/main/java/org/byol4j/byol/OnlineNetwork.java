package org.byol4j.byol;

import static org.byol4j.byol.ByolConfig.PREDICTOR;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_OUTPUT;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.byol4j.method.Encoder;

/**
 * BYOL's online network θ (Grill et al. 2020, §3.1): backbone f, projector g (an {@link Encoder}), predictor q.
 * The only network the optimiser updates, and the one whose backbone is kept after training.
 */
public final class OnlineNetwork {

    private final Encoder encoder;
    private final Block predictor;
    private final PredictorMode predictorMode;

    OnlineNetwork(ByolConfig config, NDManager manager) {
        this.predictorMode = config.get(PREDICTOR);
        this.encoder = new Encoder(config, manager);
        this.predictor = config.predictorHead().newBlock();
        predictor.initialize(manager, DataType.FLOAT32, new Shape(2, config.get(PROJECTOR_OUTPUT)));
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
        NDArray z = encoder.forward(ps, images);
        NDArray p = predictorMode == PredictorMode.NONE ? z
                : predictor.forward(ps, new NDList(z), true).singletonOrThrow();
        return new Output(z, p);
    }

    /** @return f followed by g */
    public Encoder encoder() {
        return encoder;
    }

    /** @return the backbone f */
    public Block backbone() {
        return encoder.backbone();
    }

    /** @return the projector g */
    public Block projector() {
        return encoder.projector();
    }

    /** @return the predictor q */
    public Block predictor() {
        return predictor;
    }
}
