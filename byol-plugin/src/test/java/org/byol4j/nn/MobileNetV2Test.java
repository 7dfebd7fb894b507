package org.byol4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.byol4j.engine.OfflineEngine;
import org.junit.jupiter.api.Test;

class MobileNetV2Test {

    @Test
    void parameterCountsEqualTorchvisionWithoutTheClassifier() {
        // torchvision 0.14 (Debian python3-torchvision): sum(p.numel() for p in mobilenet_v2(width_mult=w)
        // .features.parameters()), i.e. 3,504,872 and 1,968,680 minus the 1280 × 1000 + 1000 classifier.
        assertEquals(2_223_872L, ResNetTest.trainableCount(MobileNetV2.parse("mobilenetv2-imagenet-w1", 3), 64));
        assertEquals(687_680L, ResNetTest.trainableCount(MobileNetV2.parse("mobilenetv2-imagenet-w0.5", 3), 64));
        // One input channel: the stem's 3×3×3×32 weights become 3×3×1×32 (576 fewer), as torchvision with that conv.
        assertEquals(2_223_296L, ResNetTest.trainableCount(MobileNetV2.parse("mobilenetv2-small-w1", 1), 28));
    }

    @Test
    void widthsRoundToMultiplesOfEightAsTorchvisionDoes() {
        assertEquals(16, MobileNetV2.makeDivisible(16f));
        assertEquals(8, MobileNetV2.makeDivisible(3.2f), "never below 8");
        assertEquals(16, MobileNetV2.makeDivisible(12f), "12 rounds half up to 16");
        assertEquals(40, MobileNetV2.makeDivisible(43f), "the nearest multiple");
        assertEquals(24, MobileNetV2.makeDivisible(19.9f), "16 would be more than 10 % below 19.9");
        assertEquals(1280, MobileNetV2.parse("mobilenetv2-small-w0.5", 1).featureDim(), "last layer kept below w1");
        assertEquals(2560, MobileNetV2.parse("mobilenetv2-small-w2", 1).featureDim());
    }

    @Test
    void theSmallStemKeepsResolutionAndTheBlockMapsImagesToFeatures() {
        MobileNetV2 arch = MobileNetV2.parse("mobilenetv2-small-w0.5", 1);
        assertEquals("mobilenetv2-small-w0.5", arch.name());
        assertEquals(arch, Architecture.parse("mobilenetv2-small-w0.5", 1));
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            Block b = arch.newBlock();
            b.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28));
            NDArray x = m.randomUniform(0, 1, new Shape(2, 1, 28, 28));
            NDArray y = b.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            assertArrayEquals(new long[] {2, 1280}, y.getShape().getShape());
            assertTrue(y.min().getFloat() >= 0f, "ReLU6 before pooling");
            assertTrue(y.max().getFloat() <= 6f, "ReLU6 before pooling");
        }
    }

    @Test
    void badNamesAreRefusedWithThePattern() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architecture.parse("mobilenetv2-tiny-w1", 1));
        assertTrue(e.getMessage().contains("mobilenetv2-<imagenet|small>-w<width>"), e.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> Architecture.parse("vgg16", 3));
        assertTrue(other.getMessage().contains("resnet") && other.getMessage().contains("mobilenetv2"),
                other.getMessage());
    }
}
