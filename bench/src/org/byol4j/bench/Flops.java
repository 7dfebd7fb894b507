package org.byol4j.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.nn.Architecture;
import org.byol4j.nn.MlpHead;

/**
 * Floating-point operations of a BYOL step, counted from the layer shapes: each convolution and linear layer's
 * multiply-adds (output elements × inputs per output), two FLOPs each; BatchNorm, ReLU, pooling and the loss are left
 * out (a few per cent at these widths). A step of one image pair runs the online network (backbone, projector,
 * predictor) forward on both views and backward (counted as twice its forward), and the target network (backbone,
 * projector) forward on both views: 2 × (3 × online + target) forward FLOPs per pair.
 */
final class Flops {

    private Flops() {}

    /** Forward FLOPs per image of each part of BYOL's networks. */
    record PerImage(double backbone, double projector, double predictor) {

        double online() {
            return backbone + projector + predictor;
        }

        double target() {
            return backbone + projector;
        }

        /** @return FLOPs of one BYOL step per image pair, backward counted as twice the online forward */
        double perPair() {
            return 2 * (3 * online() + target());
        }
    }

    static PerImage byol(String backbone, int side, int channels, int hidden, int out) {
        Architecture arch = Architecture.parse(backbone, channels);
        MlpHead head = MlpHead.builder().setHidden(hidden).setOutput(out).build();
        return new PerImage(2.0 * macs(arch.newBlock(), new Shape(1, channels, side, side)),
                2.0 * macs(head.newBlock(), new Shape(1, arch.featureDim())),
                2.0 * macs(head.newBlock(), new Shape(1, out)));
    }

    /** Multiply-adds of one forward pass of a freshly initialised {@code block} on an input of {@code shape}. */
    static long macs(Block block, Shape shape) {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            block.initialize(m, DataType.FLOAT32, shape);
            return count(block, shape);
        }
    }

    private static long count(Block block, Shape in) {
        if (block instanceof SequentialBlock) {
            long total = 0;
            Shape shape = in;
            for (Block child : block.getChildren().values()) {
                total += count(child, shape);
                shape = child.getOutputShapes(new Shape[] {shape})[0];
            }
            return total;
        }
        if (block instanceof ParallelBlock) {
            long total = 0;
            for (Block branch : block.getChildren().values()) {
                total += count(branch, in);
            }
            return total;
        }
        if (block instanceof Conv2d) {
            Conv2d conv = (Conv2d) block;
            Shape out = conv.getOutputShapes(new Shape[] {in})[0];
            Shape k = conv.getKernelShape();
            return out.size() / out.get(0) * (in.get(1) / conv.getGroups()) * k.get(0) * k.get(1);
        }
        if (block instanceof Linear) {
            Shape out = block.getOutputShapes(new Shape[] {in})[0];
            return out.size() / out.get(0) * in.get(in.dimension() - 1);
        }
        return 0;
    }
}
