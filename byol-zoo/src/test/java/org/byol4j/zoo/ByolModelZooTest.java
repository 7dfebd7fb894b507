package org.byol4j.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.byol4j.backbone.Backbone;
import org.byol4j.backbone.HasBackbone;
import org.byol4j.data.PixelImage;
import org.byol4j.nn.ResNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByolModelZooTest {

    @TempDir
    Path repo;

    private static <I> Criteria<I, float[]> criteria(Class<I> input, ByolModelZoo zoo) {
        return Criteria.builder().setTypes(input, float[].class).optModelZoo(zoo)
                .optGroupId(ByolModelZoo.GROUP_ID).optArtifactId(ZooFixtures.ID).optFilter("dataset", "squares")
                .build();
    }

    private static PixelImage grey(int side, long seed) {
        Random r = new Random(seed);
        float[] px = new float[side * side];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(256) / 255f;
        }
        return new PixelImage(1, side, side, px);
    }

    @Test
    void aCriteriaLoadsTheExportedBackboneAndEmbedsExactlyAsIt() throws Exception {
        ZooFixtures.export(repo);
        List<PixelImage> images = List.of(grey(16, 1), grey(20, 2), grey(16, 3));
        float[][] expected;
        try (Backbone original = ZooFixtures.tinyBackbone()) {
            expected = original.embed(images);
        }
        ByolModelZoo zoo = new ByolModelZoo(List.of(repo.toString()));
        try (ZooModel<PixelImage, float[]> model = criteria(PixelImage.class, zoo).loadModel();
                Predictor<PixelImage, float[]> predictor = model.newPredictor()) {
            assertArrayEquals(expected[0], predictor.predict(images.get(0)), 1e-5f);
            List<float[]> batch = predictor.batchPredict(images);
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(expected[i], batch.get(i), 1e-5f, "image " + i + " (a 20 px one is cropped and resized)");
            }
            Backbone inside = HasBackbone.of(model);
            assertEquals("org.byol4j:tiny-squares:1.0", inside.artifact());
            assertEquals(((BackboneZooModel<?, ?>) model).artifact().parameters().sha256(), inside.sha256());
        }
    }

    @Test
    void aNewExportReplacesTheOldWeightsAndLoadsTheNewOnes() throws Exception {
        Path artefact = ZooFixtures.export(repo);
        Path old = ZooFixtures.parameterFile(artefact);
        Files.writeString(artefact.resolve("notes.txt"), "kept");
        float[] expected;
        try (Backbone retrained = Backbone.randomInit(ResNet.parse("resnet20-small-w0.25", 1), 16, 6)) {
            ZooExport.export(retrained, repo, ZooFixtures.ID, "2.0", "squares", "retrained", Map.of());
            expected = retrained.embed(List.of(grey(16, 1)))[0];
        }
        Path now = ZooFixtures.parameterFile(artefact);
        assertTrue(!now.equals(old) && Files.notExists(old), "the replaced weights " + old + " are gone, " + now
                + " is there");
        assertEquals("kept", Files.readString(artefact.resolve("notes.txt")), "files that are not weights stay");
        ByolModelZoo zoo = new ByolModelZoo(List.of(repo.toString()));
        try (ZooModel<PixelImage, float[]> model = criteria(PixelImage.class, zoo).loadModel();
                Predictor<PixelImage, float[]> predictor = model.newPredictor()) {
            assertEquals("org.byol4j:tiny-squares:2.0", HasBackbone.of(model).artifact());
            assertArrayEquals(expected, predictor.predict(grey(16, 1)), 1e-5f);
        }
    }

    @Test
    void djlImagesGetTheSamePreprocessing() throws Exception {
        ZooFixtures.export(repo);
        PixelImage px = grey(16, 4);
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int v = Math.round(px.get(0, y, x) * 255);
                img.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        Image image = ImageFactory.getInstance().fromImage(img);
        ByolModelZoo zoo = new ByolModelZoo(List.of(repo.toString()));
        try (ZooModel<Image, float[]> model = criteria(Image.class, zoo).loadModel();
                Predictor<Image, float[]> predictor = model.newPredictor();
                ZooModel<PixelImage, float[]> same = criteria(PixelImage.class, zoo).loadModel();
                Predictor<PixelImage, float[]> reference = same.newPredictor()) {
            assertArrayEquals(reference.predict(px), predictor.predict(image), 1e-5f);
        }
    }

    @Test
    void filtersAndTypesThatDoNotMatchFindNothing() throws Exception {
        ZooFixtures.export(repo);
        ByolModelZoo zoo = new ByolModelZoo(List.of(repo.toString()));
        Criteria<PixelImage, float[]> other = Criteria.builder().setTypes(PixelImage.class, float[].class)
                .optModelZoo(zoo).optArtifactId(ZooFixtures.ID).optFilter("dataset", "cifar10").build();
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class, other::loadModel);
        assertTrue(String.valueOf(e.getCause()).contains("do not match the filters"), String.valueOf(e.getCause()));
        Criteria<String, float[]> wrongType = Criteria.builder().setTypes(String.class, float[].class)
                .optModelZoo(zoo).optArtifactId(ZooFixtures.ID).build();
        assertThrows(ModelNotFoundException.class, wrongType::loadModel);
    }

    @Test
    void aTamperedParameterFileIsRefusedOnLoad() throws Exception {
        Path artefact = ZooFixtures.export(repo);
        Path params = ZooFixtures.parameterFile(artefact);
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(params, bytes);
        ByolModelZoo zoo = new ByolModelZoo(List.of(repo.toString()));
        MalformedModelException e = assertThrows(MalformedModelException.class,
                () -> criteria(PixelImage.class, zoo).loadModel());
        assertTrue(e.getMessage().contains("corrupt or was tampered with") && e.getMessage().contains(".params"),
                e.getMessage());
    }

    @Test
    void metadataWithAWrongFieldIsRefusedOnLoad() throws Exception {
        Path artefact = ZooFixtures.export(repo);
        Path meta = artefact.resolve(ZooArtifact.METADATA);
        JsonObject json = JsonParser.parseString(Files.readString(meta)).getAsJsonObject();
        json.getAsJsonObject("properties").remove("featureDim");
        Files.writeString(meta, json.toString());
        ByolModelZoo zoo = new ByolModelZoo(List.of(repo.toString()));
        MalformedModelException e = assertThrows(MalformedModelException.class,
                () -> criteria(PixelImage.class, zoo).loadModel());
        assertTrue(e.getMessage().contains("field 'properties.featureDim'"), e.getMessage());
    }

    @Test
    void aMissingRepositoryIsNamed() {
        IOException e = assertThrows(IOException.class,
                () -> new ByolModelZoo(List.of(repo.resolve("nowhere").toString())));
        assertTrue(e.getMessage().contains("nowhere") && e.getMessage().contains("not a folder"), e.getMessage());
    }

    @Test
    void aZipRepositoryIsUnpackedOnceAndServed() throws Exception {
        Path folder = repo.resolve("folder");
        ZooFixtures.export(folder);
        Path zip = repo.resolve("mine.zip");
        ZooFixtures.zip(folder, zip, Map.of());
        ByolModelZoo zoo = new ByolModelZoo(List.of(zip.toUri().toString()));
        try (ZooModel<PixelImage, float[]> model = criteria(PixelImage.class, zoo).loadModel();
                Predictor<PixelImage, float[]> predictor = model.newPredictor()) {
            assertEquals(16, predictor.predict(grey(16, 9)).length);
        }
    }
}
