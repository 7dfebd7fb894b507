package org.byol4j.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.byol4j.data.PixelImage;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.io.AtomicFiles;
import org.byol4j.nn.ResNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackboneTest {

    private static Backbone randomBackbone() {
        ResNet arch = ResNet.parse("resnet20-small-w0.25", 1);
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            Block b = arch.newBlock();
            b.initialize(m, DataType.FLOAT32, new Shape(1, 1, 16, 16));
            return Backbone.copyOf(arch, 16, b, Map.of("method", "byol", "epochs", "3"));
        }
    }

    private static PixelImage ramp(int channels, int h, int w) {
        float[] v = new float[channels * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 17) / 17f;
        }
        return new PixelImage(channels, h, w, v);
    }

    @Test
    void saveAndLoadGiveTheSameEmbeddings(@TempDir Path dir) throws IOException {
        List<PixelImage> images = List.of(ramp(1, 16, 16), ramp(3, 20, 24));
        try (Backbone a = randomBackbone()) {
            float[][] before = a.embed(images);
            assertEquals(a.featureDim(), before[0].length);
            a.save(dir);
            try (Backbone b = Backbone.load(dir)) {
                assertEquals(a.sha256(), b.sha256());
                assertEquals("3", b.recipe().get("epochs"));
                assertEquals(a.architecture(), b.architecture());
                float[][] after = b.embed(images);
                for (int i = 0; i < images.size(); i++) {
                    assertArrayEquals(before[i], after[i], 0f);
                }
            }
            // Saving again over the same directory keeps exactly one parameter file.
            a.save(dir);
            try (var files = Files.list(dir)) {
                assertEquals(1, files.filter(f -> f.toString().endsWith(".params")).count());
            }
        }
    }

    @Test
    void corruptParametersAreRefusedWithTheFileNamed(@TempDir Path dir) throws IOException {
        try (Backbone a = randomBackbone()) {
            a.save(dir);
        }
        Path params;
        try (var files = Files.list(dir)) {
            params = files.filter(f -> f.toString().endsWith(".params")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length / 2] ^= 1;
        Files.write(params, bytes);
        IOException e = assertThrows(IOException.class, () -> Backbone.load(dir));
        assertTrue(e.getMessage().contains(params.toString()) && e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void missingOrMalformedMetadataIsNamed(@TempDir Path dir) throws IOException {
        IOException missing = assertThrows(IOException.class, () -> Backbone.load(dir));
        assertTrue(missing.getMessage().contains(BackboneFiles.METADATA), missing.getMessage());
        Files.writeString(dir.resolve(BackboneFiles.METADATA), "{not json");
        IOException malformed = assertThrows(IOException.class, () -> Backbone.load(dir));
        assertTrue(malformed.getMessage().contains("JSON"), malformed.getMessage());
    }

    @Test
    void randomInitIsSeededAndSaysSo() {
        ResNet arch = ResNet.parse("resnet20-small-w0.25", 1);
        try (Backbone a = Backbone.randomInit(arch, 16, 3); Backbone b = Backbone.randomInit(arch, 16, 3);
                Backbone c = Backbone.randomInit(arch, 16, 4)) {
            assertEquals(a.sha256(), b.sha256());
            assertTrue(!a.sha256().equals(c.sha256()));
            assertEquals("random-init", a.recipe().get("method"));
        }
    }

    /**
     * A training step that left one BatchNorm running variance NaN: the block trained, its other weights fine. No
     * backbone can be built from it (so training cannot return one, and nothing can save or export one), and a
     * backbone directory whose parameter file holds it, with a matching checksum, is refused on load.
     */
    @Test
    void aBackboneWithANonFiniteValueCanBeNeitherBuiltNorLoaded(@TempDir Path dir) throws IOException {
        ResNet arch = ResNet.parse("resnet20-small-w0.25", 1);
        byte[] broken;
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            Block b = arch.newBlock();
            b.initialize(m, DataType.FLOAT32, new Shape(1, 1, 16, 16));
            try (Backbone good = Backbone.copyOf(arch, 16, b, Map.of("method", "byol"))) {
                good.save(dir);
            }
            Parameter variance = b.getParameters().stream().map(Pair::getValue)
                    .filter(p -> p.getType() == Parameter.Type.RUNNING_VAR).findFirst().orElseThrow();
            variance.getArray().muli(Float.NaN);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Backbone.copyOf(arch, 16, b, Map.of("method", "byol")));
            assertTrue(e.getMessage().startsWith("refusing a " + arch + " backbone whose parameters hold NaN or"
                    + " infinite values: 1 of its arrays (first: ") && e.getMessage().contains("runningVar"),
                    e.getMessage());
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            b.saveParameters(new java.io.DataOutputStream(bytes));
            broken = bytes.toByteArray();
        }
        Path params;
        try (var files = Files.list(dir)) {
            params = files.filter(f -> f.toString().endsWith(".params")).findFirst().orElseThrow();
        }
        Path metadata = dir.resolve(BackboneFiles.METADATA);
        String json = Files.readString(metadata).replace(AtomicFiles.sha256(Files.readAllBytes(params)),
                AtomicFiles.sha256(broken));
        Files.write(params, broken);
        Files.writeString(metadata, json);
        IOException e = assertThrows(IOException.class, () -> Backbone.load(dir));
        assertTrue(e.getMessage().startsWith(params + ": refusing a ") && e.getMessage().contains("NaN"),
                e.getMessage());
    }
}
