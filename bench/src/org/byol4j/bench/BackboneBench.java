package org.byol4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Locale;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.nn.Architecture;

/**
 * Forward/backward throughput of each backbone configuration on this machine's engine: images per second of a
 * training-mode forward pass plus backward through the pooled features (the backbone's share of a BYOL step is
 * about four of these per pair). Arguments: {@code [iterations]} (default 5) after two warm-up iterations.
 */
public final class BackboneBench {

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Engine engine = OfflineEngine.get();
        System.out.printf(Locale.ROOT, "engine %s %s, %d cores, %d timed iterations after 2 warm-up%n",
                engine.getEngineName(), engine.getVersion(), Runtime.getRuntime().availableProcessors(), iterations);
        System.out.printf(Locale.ROOT, "%-28s %6s %6s %12s %10s %10s%n", "backbone", "input", "batch", "weights+BN",
                "fwd img/s", "f+b img/s");
        String[] small = {"resnet20-small-w1", "resnet56-small-w1", "resnet18-small-w0.25", "resnet18-small-w0.5",
            "resnet18-small-w1", "resnet34-small-w0.5", "resnet50-small-w0.25", "resnet50-small-w0.5",
            "mobilenetv2-small-w0.5", "mobilenetv2-small-w1"};
        for (String name : small) {
            run(name, 3, 32, 32, iterations);
        }
        run("resnet18-small-w0.25", 1, 28, 128, iterations);
        run("mobilenetv2-small-w0.5", 1, 28, 128, iterations);
        run("resnet18-imagenet-w1", 3, 224, 8, iterations);
        run("resnet50-imagenet-w1", 3, 224, 4, iterations);
    }

    private static void run(String name, int channels, int side, int batch, int iterations) {
        Architecture arch = Architecture.parse(name, channels);
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            Block block = arch.newBlock();
            Shape shape = new Shape(batch, channels, side, side);
            block.initialize(m, DataType.FLOAT32, shape);
            long params = block.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            double fwd = rate(m, block, shape, iterations, false);
            double fb = rate(m, block, shape, iterations, true);
            System.out.printf(Locale.ROOT, "%-28s %6s %6d %,12d %10.1f %10.1f%n", name, side + "x" + side + "x"
                    + channels, batch, params, fwd, fb);
        }
    }

    /** @return images/s of {@code iterations} training-mode forward (and backward) passes, after two untimed ones */
    static double rate(NDManager m, Block block, Shape shape, int iterations, boolean backward) {
        long start = 0;
        for (int i = 0; i < iterations + 2; i++) {
            if (i == 2) {
                start = System.nanoTime();
            }
            try (NDManager step = m.newSubManager()) {
                NDArray x = step.randomUniform(0, 1, shape);
                ParameterStore ps = new ParameterStore(step, false);
                if (backward) {
                    try (GradientCollector gc = OfflineEngine.get().newGradientCollector()) {
                        NDArray y = block.forward(ps, new NDList(x), true).singletonOrThrow();
                        gc.backward(y.sum());
                    }
                } else {
                    block.forward(ps, new NDList(x), true).singletonOrThrow().toFloatArray();
                }
            }
        }
        return (double) iterations * shape.get(0) / ((System.nanoTime() - start) / 1e9);
    }
}
