package org.byol4j.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.byol4j.engine.OfflineEngine;

/**
 * {@link TrainableNetworks} built from DJL blocks: a manager owning the weights (the engine seeded first, so the
 * networks a subclass builds are a function of the seed), the trainable parameters (the blocks' parameters that
 * record gradients) and checkpoints as the blocks' parameters in order. A subclass states its blocks.
 */
public abstract class BlockNetworks implements TrainableNetworks {

    private final NDManager manager;
    private List<Parameter> trainable;
    private final Map<String, String> paths = new HashMap<>();

    /**
     * Seeds the engine and creates the manager; the subclass then builds its networks on {@link #manager()}.
     *
     * @param seed the run's seed
     */
    protected BlockNetworks(long seed) {
        OfflineEngine.seed((int) seed);
        this.manager = OfflineEngine.get().newBaseManager();
    }

    /**
     * @return every block whose weights the networks own, by a name for messages (e.g. {@code online predictor}),
     *     in checkpoint order (frozen ones included)
     */
    protected abstract Map<String, Block> blocks();

    /** {@inheritDoc} */
    @Override
    public final NDManager manager() {
        return manager;
    }

    /** @return the blocks' parameters that record gradients, in block order (fixed on the first call) */
    @Override
    public final List<Parameter> trainableParameters() {
        if (trainable == null) {
            List<Parameter> out = new ArrayList<>();
            for (Map.Entry<String, Block> b : blocks().entrySet()) {
                for (Pair<String, Parameter> p : b.getValue().getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        out.add(p.getValue());
                        paths.put(p.getValue().getId(), b.getKey() + " " + p.getKey());
                    }
                }
            }
            trainable = List.copyOf(out);
        }
        return trainable;
    }

    /** @return the block's name and the parameter's name inside it, e.g. {@code online predictor 02BatchNorm_gamma} */
    @Override
    public final String parameterPath(Parameter parameter) {
        trainableParameters();
        return paths.getOrDefault(parameter.getId(), parameter.getName());
    }

    /** Writes the parameters of {@link #blocks()} in order. */
    @Override
    public void save(DataOutputStream out) throws IOException {
        for (Block b : blocks().values()) {
            b.saveParameters(out);
        }
    }

    /**
     * Reads them back, makes the trainable parameters record gradients again and frees the arrays they replaced
     * (DJL's loading gives each parameter a new array), so networks that restore their state repeatedly hold one
     * copy.
     */
    @Override
    public void load(DataInputStream in) throws IOException, MalformedModelException {
        List<Parameter> trained = trainableParameters();
        Map<Parameter, NDArray> before = new IdentityHashMap<>();
        for (Block b : blocks().values()) {
            for (Pair<String, Parameter> p : b.getParameters()) {
                if (p.getValue().isInitialized()) {
                    before.put(p.getValue(), p.getValue().getArray());
                }
            }
        }
        for (Block b : blocks().values()) {
            b.loadParameters(manager, in);
        }
        for (Parameter p : trained) {
            p.getArray().setRequiresGradient(true);
        }
        before.forEach((p, old) -> {
            if (p.getArray() != old) {
                old.close();
            }
        });
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        manager.close();
    }
}
