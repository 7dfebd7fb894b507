package org.byol4j.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

/**
 * A backbone architecture: what builds the feature extractor a method pretrains, whatever its family. A name says
 * the whole architecture ({@code resnet20-small-w1}, {@code mobilenetv2-small-w0.5}) so that zoo artefacts,
 * checkpoints and provenance can record it and {@link #parse(String, int)} can read it back.
 */
public interface Architecture {

    /** @return the architecture's name, which {@link #parse(String, int)} reads back */
    String name();

    /** @return the number of image channels the first layer expects */
    int inputChannels();

    /** @return the length of the pooled feature vector the backbone outputs */
    int featureDim();

    /**
     * Builds a fresh, uninitialised DJL block mapping (N, C, H, W) images to (N, {@link #featureDim()}) features;
     * call {@code initialize(manager, FLOAT32, new Shape(N, C, H, W))}.
     *
     * @return the backbone block
     */
    Block newBlock();

    /**
     * The inference form of a trained block of this architecture: the same function in inference mode (BatchNorm
     * with its running statistics), computed faster where the family knows how (convolutions with their BatchNorm
     * folded in); never for training.
     *
     * @param trained an initialised block built by {@link #newBlock()} (not changed, still needed for its
     *     parameter-free layers)
     * @param manager owns any weights the inference form computes; close it to free them
     * @return the inference block; this default returns {@code trained} itself
     */
    default Block inferenceBlock(Block trained, NDManager manager) {
        return trained;
    }

    /**
     * @param name an architecture name, e.g. {@code resnet18-small-w0.5} or {@code mobilenetv2-small-w1}
     * @param inputChannels image channels (1 greyscale, 3 RGB)
     * @return the architecture
     * @throws IllegalArgumentException when no family knows the name (the message shows each family's pattern)
     */
    static Architecture parse(String name, int inputChannels) {
        if (name != null && name.startsWith(MobileNetV2.PREFIX)) {
            return MobileNetV2.parse(name, inputChannels);
        }
        if (name != null && name.startsWith("resnet")) {
            return ResNet.parse(name, inputChannels);
        }
        throw new IllegalArgumentException("Backbone name '" + name + "' names no known architecture: expected "
                + ResNet.PATTERN + " (e.g. resnet20-small-w1) or " + MobileNetV2.PATTERN
                + " (e.g. mobilenetv2-small-w0.5)");
    }
}
