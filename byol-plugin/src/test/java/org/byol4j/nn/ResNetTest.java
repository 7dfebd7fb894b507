package org.byol4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.byol4j.engine.OfflineEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResNetTest {

    /** Trainable parameters (weights, BatchNorm γ/β), as torchvision's {@code sum(p.numel() for p in m.parameters())}. */
    static long trainableCount(Architecture arch, int side) {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            Block b = arch.newBlock();
            b.initialize(m, DataType.FLOAT32, new Shape(1, arch.inputChannels(), side, side));
            long n = 0;
            for (Parameter p : b.getParameters().values()) {
                if (p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR) {
                    n += p.getArray().size();
                }
            }
            return n;
        }
    }

    @Test
    void parameterCountsEqualTorchvisionWithoutFc() {
        ResNet.Builder imagenet = ResNet.builder().optStem(Stem.IMAGENET).optInputChannels(3);
        assertEquals(11_176_512L, trainableCount(imagenet.setDepth(18).build(), 64));
        assertEquals(21_284_672L, trainableCount(imagenet.setDepth(34).build(), 64));
        assertEquals(23_508_032L, trainableCount(imagenet.setDepth(50).build(), 64));
        // Small stem: 3×3×3×64 instead of 7×7×3×64 weights (solo-learn's CIFAR ResNet-18).
        assertEquals(11_176_512L - 64 * 3 * 49 + 64 * 3 * 9,
                trainableCount(ResNet.builder().setDepth(18).optStem(Stem.SMALL).build(), 32));
        // CIFAR ResNet-20 with 1×1 projection shortcuts, counted by hand: 464 + 14,016 + 51,648 + 205,696.
        assertEquals(271_824L, trainableCount(ResNet.builder().setDepth(20).build(), 32));
    }

    private static boolean isCifar(int depth) {
        return depth == 20 || depth == 32 || depth == 56;
    }

    static Stream<Arguments> configurations() {
        List<Arguments> out = new ArrayList<>();
        for (int depth : new int[] {18, 34, 50, 20, 32, 56}) {
            for (Stem stem : Stem.values()) {
                if (isCifar(depth) && stem == Stem.IMAGENET) {
                    continue; // the CIFAR family has only the small stem
                }
                for (float width : new float[] {0.25f, 0.5f, 1f, 2f}) {
                    out.add(Arguments.of(depth, stem, width, width == 0.5f ? 1 : 3));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "resnet{0} {1} w{2} c{3}")
    @MethodSource("configurations")
    void forwardGivesPooledFeaturesOfTheAdvertisedDimension(int depth, Stem stem, float width, int channels) {
        ResNet arch = ResNet.builder().setDepth(depth).optStem(stem).optWidthMultiplier(width)
                .optInputChannels(channels).build();
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            Block b = arch.newBlock();
            b.initialize(m, DataType.FLOAT32, new Shape(2, channels, 32, 32));
            NDArray x = m.randomUniform(0f, 1f, new Shape(2, channels, 32, 32));
            NDArray y = b.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(2, arch.featureDim()), y.getShape());
            int expansion = depth == 50 ? 4 : 1;
            int base = isCifar(depth) ? 64 : 512;
            assertEquals(Math.max(1, Math.round(base * width)) * expansion, arch.featureDim());
            assertEquals(arch, ResNet.parse(arch.name(), channels));
        }
    }

    /** Their wide 1×1, stride-2 shortcuts ended the JVM in oneDNN on a machine listing no CPU caches. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"resnet50-imagenet-w1", "resnet18-imagenet-w2"})
    void wideNetworksTrainThroughABackwardPass(String name) {
        ResNet arch = ResNet.parse(name, 3);
        Shape input = new Shape(2, 3, 32, 32);
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            Block b = arch.newBlock();
            b.initialize(m, DataType.FLOAT32, input);
            try (GradientCollector collector = OfflineEngine.get().newGradientCollector()) {
                NDArray y = b.forward(new ParameterStore(m, false), new NDList(m.randomNormal(input)), true)
                        .singletonOrThrow();
                collector.backward(y.sum());
            }
            for (Parameter p : b.getParameters().values()) {
                if (p.getType() == Parameter.Type.WEIGHT) {
                    NDArray g = p.getArray().getGradient();
                    assertTrue(g.isNaN().logicalOr(g.isInfinite()).none().getBoolean(), p.getId() + " is finite");
                }
            }
            NDArray stem = b.getParameters().get(0).getValue().getArray().getGradient();
            assertTrue(stem.abs().sum().getFloat() > 0, "the stem's gradient is not zero");
        }
    }

    @Test
    void theChannelsLastPropertySetsTheDefaultLayoutAndRefusesOtherValues() {
        String before = System.getProperty(ResNet.CHANNELS_LAST_PROPERTY);
        try {
            assertTrue(ResNet.parse("resnet20-small-w1", 1).channelsLast() || before != null, "default true");
            System.setProperty(ResNet.CHANNELS_LAST_PROPERTY, "false");
            assertFalse(ResNet.parse("resnet20-small-w1", 1).channelsLast());
            System.setProperty(ResNet.CHANNELS_LAST_PROPERTY, "TRUE");
            assertTrue(ResNet.parse("resnet20-small-w1", 1).channelsLast());
            System.setProperty(ResNet.CHANNELS_LAST_PROPERTY, "yes");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ResNet.parse("resnet20-small-w1", 1));
            assertEquals("system property byol4j.channelsLast is 'yes': expected true or false", e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(ResNet.CHANNELS_LAST_PROPERTY);
            } else {
                System.setProperty(ResNet.CHANNELS_LAST_PROPERTY, before);
            }
        }
    }

    @Test
    void namesSayTheConfiguration() {
        assertEquals("resnet18-small-w0.5",
                ResNet.builder().setDepth(18).optWidthMultiplier(0.5f).build().name());
        assertEquals("resnet50-imagenet-w1-zi", ResNet.builder().setDepth(50).optStem(Stem.IMAGENET)
                .optZeroInitResidual(true).build().name());
        assertEquals(2, ResNet.parse("resnet18-small-w2", 3).widthMultiplier(), 0f);
    }

    @Test
    void zeroInitResidualZeroesTheLastGammaOfEachBranch() {
        ResNet arch = ResNet.builder().setDepth(18).optWidthMultiplier(0.25f).optZeroInitResidual(true).build();
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            Block b = arch.newBlock();
            b.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            long zeroGammas = b.getParameters().values().stream()
                    .filter(p -> p.getType() == Parameter.Type.GAMMA && p.getArray().abs().sum().getFloat() == 0f)
                    .count();
            assertEquals(8, zeroGammas, "one per BasicBlock of ResNet-18");
        }
    }

    @Test
    void convolutionsUseKaimingFanOut() {
        // A wide conv (64→64, 3×3): std should be sqrt(2 / (64·9)) ≈ 0.0589.
        ResNet arch = ResNet.builder().setDepth(18).build();
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            Block b = arch.newBlock();
            b.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            Parameter conv = b.getParameters().values().stream()
                    .filter(p -> p.getType() == Parameter.Type.WEIGHT && p.getShape().equals(new Shape(64, 64, 3, 3)))
                    .findFirst().orElseThrow();
            float[] w = conv.getArray().toFloatArray();
            double sq = 0;
            for (float v : w) {
                sq += v * v;
            }
            double std = Math.sqrt(sq / w.length);
            assertTrue(Math.abs(std - Math.sqrt(2.0 / (64 * 9))) < 0.003, "std " + std);
        }
    }

    @Test
    void invalidConfigurationsNameTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResNet.builder().setDepth(19).build())
                .getMessage().contains("depth"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ResNet.builder().setDepth(20).optStem(Stem.IMAGENET).build()).getMessage().contains("stem"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ResNet.builder().setDepth(18).optWidthMultiplier(0f).build()).getMessage()
                .contains("widthMultiplier"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResNet.parse("vgg16", 3)).getMessage()
                .contains("vgg16"));
    }
}
