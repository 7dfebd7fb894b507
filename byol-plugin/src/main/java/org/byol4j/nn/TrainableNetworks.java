package org.byol4j.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Networks an optimiser trains, as checkpoints and in-memory snapshots see them: the manager owning their weights,
 * the parameters that record gradients, and every weight written and read back in a fixed order. A pretraining
 * method is one; so is a backbone with a classifier head being fine-tuned. Owns its weights: close it.
 */
public interface TrainableNetworks extends AutoCloseable {

    /** @return the manager owning the weights; each step's arrays live in a sub-manager of it */
    NDManager manager();

    /** @return the parameters the optimiser updates, in a stable order (the optimiser state's order) */
    List<Parameter> trainableParameters();

    /**
     * @param parameter one of {@link #trainableParameters()}
     * @return where it sits, for messages (e.g. {@code online predictor 02BatchNorm_gamma}); its bare name unless
     *     the networks know better
     */
    default String parameterPath(Parameter parameter) {
        return parameter.getName();
    }

    /**
     * Writes every weight (BatchNorm statistics included), for a checkpoint.
     *
     * @param out the checkpoint stream
     * @throws IOException on write failure
     */
    void save(DataOutputStream out) throws IOException;

    /**
     * Reads what {@link #save} wrote, and makes the trainable parameters record gradients again.
     *
     * @param in the checkpoint stream
     * @throws IOException on read failure
     * @throws MalformedModelException when the weights do not fit the networks
     */
    void load(DataInputStream in) throws IOException, MalformedModelException;

    /** Frees the weights. */
    @Override
    void close();
}
