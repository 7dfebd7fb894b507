package org.byol4j.byol;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.byol4j.engine.OfflineEngine;

/**
 * The online and target networks of one run, and the NDManager that owns their weights. The target starts as
 * an exact copy of the online network (Grill et al. 2020, §3.1).
 */
final class ByolNetworks implements AutoCloseable {

    final NDManager manager;
    final OnlineNetwork online;
    final TargetNetwork target;
    final List<Parameter> trainable;

    ByolNetworks(ByolConfig config) {
        OfflineEngine.seed((int) config.seed());
        this.manager = OfflineEngine.get().newBaseManager();
        this.online = new OnlineNetwork(config, manager);
        this.target = new TargetNetwork(config, manager, online);
        this.trainable = online.trainableParameters();
    }

    /** @return ids of the trainable parameters, in the optimiser-state order */
    List<String> trainableIds() {
        return trainable.stream().map(Parameter::getId).collect(Collectors.toList());
    }

    /** @return arrays of the trainable parameters */
    List<NDArray> trainableArrays() {
        return trainable.stream().map(Parameter::getArray).collect(Collectors.toList());
    }

    void save(DataOutputStream out) throws IOException {
        for (Block b : blocks()) {
            b.saveParameters(out);
        }
    }

    void load(DataInputStream in) throws IOException, MalformedModelException {
        for (Block b : blocks()) {
            b.loadParameters(manager, in);
        }
        // Loading replaces the arrays: the target must be frozen again, and the trainable online parameters
        // must record gradients again.
        target.backbone().freezeParameters(true);
        target.projector().freezeParameters(true);
        for (Parameter p : trainable) {
            p.getArray().setRequiresGradient(true);
        }
    }

    private List<Block> blocks() {
        return List.of(online.backbone(), online.projector(), online.predictor(), target.backbone(),
                target.projector());
    }

    @Override
    public void close() {
        manager.close();
    }
}
