package org.byol4j.finetune;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.byol4j.nn.Architecture;
import org.byol4j.nn.BlockNetworks;
import org.byol4j.nn.LinearDefaultInitializer;

/**
 * A backbone with a linear classifier head on its pooled features: what fine-tuning trains end to end, and what a
 * {@link FineTunedModel} predicts with. The backbone starts from given weights; the head from PyTorch's default
 * {@code nn.Linear} initialisation, drawn from the seed. The first {@code frozenBlocks} top-level blocks of the
 * backbone (for a ResNet: the stem's convolution, BatchNorm and ReLU, then one residual block each) keep their
 * weights; their BatchNorm statistics still follow the new data in training mode, as in PyTorch.
 */
final class FineTuneNetwork extends BlockNetworks {

    private final Block backbone;
    private final Block head;
    private final Set<String> backboneParameterIds;

    /**
     * @param architecture the backbone's architecture
     * @param imageSize the input side
     * @param backboneParameters the starting weights, in DJL's format
     * @param classes the head's outputs
     * @param frozenBlocks leading top-level blocks of the backbone to keep fixed, ≥ 0
     * @param seed seeds the head's initialisation
     */
    FineTuneNetwork(Architecture architecture, int imageSize, byte[] backboneParameters, int classes,
            int frozenBlocks, long seed) {
        super(seed);
        this.backbone = architecture.newBlock();
        this.head = Linear.builder().setUnits(classes).build();
        head.setInitializer(new LinearDefaultInitializer(), Parameter.Type.WEIGHT);
        try {
            backbone.initialize(manager(), DataType.FLOAT32,
                    new Shape(1, architecture.inputChannels(), imageSize, imageSize));
            head.initialize(manager(), DataType.FLOAT32, new Shape(1, architecture.featureDim()));
            backbone.loadParameters(manager(), new DataInputStream(new ByteArrayInputStream(backboneParameters)));
        } catch (IOException | MalformedModelException e) {
            close();
            throw new IllegalArgumentException("starting weights do not fit " + architecture + ": " + e.getMessage(),
                    e);
        }
        freeze(architecture, frozenBlocks);
        for (Pair<String, Parameter> p : backbone.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
        this.backboneParameterIds = backbone.getParameters().values().stream().map(Parameter::getId)
                .collect(Collectors.toUnmodifiableSet());
    }

    private void freeze(Architecture architecture, int frozenBlocks) {
        if (frozenBlocks == 0) {
            return;
        }
        if (!(backbone instanceof SequentialBlock)) {
            throw new IllegalArgumentException("frozenBlocks: " + architecture + " is not a sequence of blocks, so"
                    + " only 0 is allowed, got " + frozenBlocks);
        }
        List<Block> children = backbone.getChildren().values();
        if (frozenBlocks >= children.size()) {
            throw new IllegalArgumentException("frozenBlocks must be < " + children.size() + " (the top-level blocks"
                    + " of " + architecture + "), got " + frozenBlocks);
        }
        for (int i = 0; i < frozenBlocks; i++) {
            children.get(i).freezeParameters(true);
        }
    }

    @Override
    protected Map<String, Block> blocks() {
        Map<String, Block> blocks = new LinkedHashMap<>();
        blocks.put("backbone", backbone);
        blocks.put("head", head);
        return blocks;
    }

    /**
     * @param ps the step's parameter store
     * @param images (N, C, S, S)
     * @param training true for BatchNorm's batch statistics (and their running averages updated)
     * @return (N, classes) logits
     */
    NDArray logits(ParameterStore ps, NDArray images, boolean training) {
        NDList features = backbone.forward(ps, new NDList(images), training);
        return head.forward(ps, features, training).singletonOrThrow();
    }

    /** @return the backbone block */
    Block backbone() {
        return backbone;
    }

    /** @return the head block */
    Block head() {
        return head;
    }

    /** @return ids of the backbone's parameters, which get the backbone's share of the learning rate */
    Set<String> backboneParameterIds() {
        return backboneParameterIds;
    }
}
