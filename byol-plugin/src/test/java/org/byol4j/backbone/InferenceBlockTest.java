package org.byol4j.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.byol4j.data.PixelImage;
import org.byol4j.engine.MkldnnTensors;
import org.byol4j.engine.LiveArrays;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.nn.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A backbone embeds through its architecture's inference form (convolutions with their BatchNorm folded in, in
 * oneDNN's blocked layout where available): the same embeddings as the trained block to float rounding, with
 * BatchNorm statistics and affine parameters far from their initial values; a form that disagrees is not used;
 * embedding leaves no array behind.
 */
class InferenceBlockTest {

    /** A backbone whose BatchNorm γ, β, running mean and variance are all far from 1, 0, 0, 1. */
    static Backbone withBatchNormStatistics(Architecture architecture, int size, long seed) {
        Random random = new Random(seed);
        OfflineEngine.seed((int) seed);
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            Block block = architecture.newBlock();
            block.initialize(m, DataType.FLOAT32, new Shape(1, architecture.inputChannels(), size, size));
            block.freezeParameters(true);
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray value = p.getValue().getArray();
                float[] low = {0, 0};
                if (p.getKey().endsWith("gamma")) {
                    low = new float[] {0.5f, 1};
                } else if (p.getKey().endsWith("beta") || p.getKey().endsWith("runningMean")) {
                    low = new float[] {-0.5f, 1};
                } else if (p.getKey().endsWith("runningVar")) {
                    low = new float[] {0.25f, 2};
                }
                if (low[1] > 0) {
                    float[] values = new float[Math.toIntExact(value.size())];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = low[0] + low[1] * random.nextFloat();
                    }
                    value.muli(0).addi(m.create(values, value.getShape()));
                }
            }
            return Backbone.copyOf(architecture, size, block, Map.of("method", "test"));
        }
    }

    private static float[] forward(Block block, float[] pixels, Shape shape) {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            return block.forward(new ParameterStore(m, false), new NDList(m.create(pixels, shape)), false)
                    .singletonOrThrow().toFloatArray();
        }
    }

    private static List<PixelImage> images(int count, int channels, int size, long seed) {
        Random random = new Random(seed);
        List<PixelImage> out = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            float[] data = new float[channels * size * size];
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextFloat();
            }
            out.add(new PixelImage(channels, size, size, data));
        }
        return out;
    }

    private static float[] flat(List<PixelImage> images) {
        int per = images.get(0).pixels().length;
        float[] all = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i).pixels(), 0, all, i * per, per);
        }
        return all;
    }

    @ParameterizedTest
    @CsvSource({"resnet18-small-w0.25, 1, 28", "resnet20-small-w0.25, 1, 16", "resnet18-small-w0.5, 3, 20",
        "mobilenetv2-small-w0.5, 3, 32"})
    void embedsAsTheTrainedBlockDoes(String name, int channels, int size) {
        Architecture architecture = Architecture.parse(name, channels);
        try (Backbone backbone = withBatchNormStatistics(architecture, size, 7)) {
            assertNotSame(backbone.block(), backbone.inferenceBlock(), name + ": the inference form passed its probe");
            List<PixelImage> images = images(6, channels, size, 11);
            float[] expected = forward(backbone.block(), flat(images), new Shape(6, channels, size, size));
            float[][] embedded = backbone.embed(images);
            double scale = 0;
            double diff = 0;
            for (int i = 0; i < expected.length; i++) {
                int d = architecture.featureDim();
                scale = Math.max(scale, Math.abs(expected[i]));
                diff = Math.max(diff, Math.abs(expected[i] - embedded[i / d][i % d]));
            }
            assertTrue(scale > 0.05, name + ": features large enough to compare, largest " + scale);
            assertTrue(diff <= 1e-5 * Math.max(1, scale), name + ": embeddings " + diff + " from the trained block's");
        }
    }

    @Test
    void switchedOffByPropertyTheFoldedFormKeepsOrdinaryArraysAndTheSameEmbeddings() {
        Architecture architecture = Architecture.parse("resnet18-small-w0.25", 1);
        List<PixelImage> images = images(4, 1, 24, 3);
        float[][] blocked;
        try (Backbone backbone = withBatchNormStatistics(architecture, 24, 5)) {
            blocked = backbone.embed(images);
        }
        System.setProperty(MkldnnTensors.PROPERTY, "false");
        try (Backbone backbone = withBatchNormStatistics(architecture, 24, 5)) {
            assertFalse(MkldnnTensors.isAvailable(Device.cpu()));
            assertNotSame(backbone.block(), backbone.inferenceBlock());
            float[][] plain = backbone.embed(images);
            for (int i = 0; i < plain.length; i++) {
                for (int j = 0; j < plain[i].length; j++) {
                    assertEquals(plain[i][j], blocked[i][j], 1e-5 * Math.max(1, Math.abs(plain[i][j])));
                }
            }
        } finally {
            System.clearProperty(MkldnnTensors.PROPERTY);
        }
    }

    @Test
    void anInferenceFormThatDisagreesWithTheBlockIsNotUsed() {
        Architecture resnet = Architecture.parse("resnet20-small-w0.25", 1);
        Architecture wrong = new Architecture() {
            @Override
            public String name() {
                return resnet.name();
            }

            @Override
            public int inputChannels() {
                return 1;
            }

            @Override
            public int featureDim() {
                return resnet.featureDim();
            }

            @Override
            public Block newBlock() {
                return resnet.newBlock();
            }

            @Override
            public Block inferenceBlock(Block trained, NDManager manager) {
                return new LambdaBlock(x -> new NDList(x.singletonOrThrow().getManager().zeros(
                        new Shape(x.singletonOrThrow().getShape().get(0), featureDim()))), "wrong");
            }
        };
        try (Backbone backbone = withBatchNormStatistics(wrong, 16, 9)) {
            assertSame(backbone.block(), backbone.inferenceBlock());
            float[][] embedded = backbone.embed(images(2, 1, 16, 1));
            double largest = 0;
            for (float v : embedded[0]) {
                largest = Math.max(largest, Math.abs(v));
            }
            assertTrue(largest > 0.05, "embeds with the trained block, not the zeros");
        }
    }

    @Test
    void embeddingLeavesNoArrayBehind() {
        Architecture architecture = Architecture.parse("resnet18-small-w0.25", 1);
        int before = LiveArrays.count();
        try (Backbone backbone = withBatchNormStatistics(architecture, 20, 2)) {
            List<PixelImage> images = images(16, 1, 20, 4);
            backbone.embed(images);
            int afterFirst = LiveArrays.count();
            for (int i = 0; i < 10; i++) {
                backbone.embed(images);
            }
            assertEquals(afterFirst, LiveArrays.count(), "ten more embeddings leave nothing behind");
        }
        assertEquals(before, LiveArrays.count(), "closing the backbone frees its folded weights too");
    }
}
