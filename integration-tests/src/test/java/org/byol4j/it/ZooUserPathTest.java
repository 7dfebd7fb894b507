package org.byol4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Application;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.MRL;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.byol4j.backbone.Backbone;
import org.byol4j.backbone.HasBackbone;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.tribuo.EmbeddingDataSource;
import org.byol4j.tribuo.EmbeddingDataSourceProvenance;
import org.byol4j.tribuo.LinearEvaluation;
import org.byol4j.tribuo.LinearProbe;
import org.byol4j.zoo.ByolModelZoo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

/**
 * The shipped zoo backbone as a user reaches it: through DJL's {@code Criteria} only (the zoo is found by
 * {@code ServiceLoader}), offline, into a Tribuo linear classifier whose provenance names the artefact. A broken
 * artefact cannot land: the accuracy floor on a fixed subset fails first.
 */
@Tag("slow")
class ZooUserPathTest {

    /** The artefact the single-artefact checks use. */
    static final String ARTIFACT = "byol-resnet20-fmnist";

    private static <I> Criteria<I, float[]> criteria(Class<I> input) {
        return criteria(input, ARTIFACT);
    }

    private static <I> Criteria<I, float[]> criteria(Class<I> input, String artifact) {
        return Criteria.builder().setTypes(input, float[].class).optGroupId("org.byol4j").optArtifactId(artifact)
                .optFilter("dataset", "fashion-mnist").build();
    }

    /**
     * Every shipped artefact is listed, loads through {@code Criteria} only, beats the same architecture
     * untrained on the jar's sample by {@link ShippedFloor#OVER_UNTRAINED} and clears its absolute floor, and its
     * provenance names it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"byol-resnet20-fmnist", "byol-resnet18-fmnist"})
    void aShippedBackboneIsListedAndLoadsThroughCriteriaOnly(String artifact, @TempDir Path dir) throws Exception {
        Map<Application, List<MRL>> models = ModelZoo.listModels();
        assertTrue(models.values().stream().flatMap(List::stream)
                .anyMatch(m -> m.getGroupId().equals("org.byol4j") && m.getArtifactId().equals(artifact)),
                "" + models);
        IdxImageSource train = FashionMnistSample.load(dir, "train", 2000);
        IdxImageSource test = FashionMnistSample.load(dir, "t10k", 500);
        LinearEvaluation probe = new LinearEvaluation(LinearProbe.LIBLINEAR, 0);
        LabelFactory labels = new LabelFactory();
        try (ZooModel<PixelImage, float[]> model = criteria(PixelImage.class, artifact).loadModel()) {
            LinearEvaluation.Result r = probe.run(new EmbeddingDataSource<>(train, model, labels, 250),
                    new EmbeddingDataSource<>(test, model, labels, 250));
            Backbone shipped = ((HasBackbone) model).backbone();
            double untrained;
            try (Backbone random = Backbone.randomInit(shipped.architecture(), shipped.imageSize(), 1)) {
                untrained = probe.run(new EmbeddingDataSource<>(train, random, labels, 250),
                        new EmbeddingDataSource<>(test, random, labels, 250)).accuracy();
            }
            System.out.printf(Locale.ROOT, "%s on the 2,000 + 500 sample: linear %.4f, untrained %.4f%n", artifact,
                    r.accuracy(), untrained);
            assertTrue(r.accuracy() > ShippedFloor.LINEAR_2000_500, "linear accuracy " + r.accuracy()
                    + " on the shipped sample is below the floor " + ShippedFloor.LINEAR_2000_500);
            assertTrue(r.accuracy() >= untrained + ShippedFloor.OVER_UNTRAINED, "linear accuracy " + r.accuracy()
                    + " is not " + ShippedFloor.OVER_UNTRAINED + " over the untrained network's " + untrained);
            EmbeddingDataSourceProvenance p = EmbeddingDataSourceProvenance.of(r.model().getProvenance())
                    .orElseThrow();
            assertEquals("org.byol4j:" + artifact + ":" + ShippedFloor.VERSIONS.get(artifact),
                    p.get(EmbeddingDataSourceProvenance.BACKBONE_ARTIFACT));
            assertEquals(64, p.get(EmbeddingDataSourceProvenance.BACKBONE_SHA256).length());
            assertEquals("byol", p.get("recipe.method"));
        }
    }

    @Test
    void aDjlImageEmbedsAsTheSamePixels() throws Exception {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        float[] px = new float[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = (x * 9 + y * 5) % 256;
                img.getRaster().setSample(x, y, 0, v);
                px[y * 28 + x] = v / 255f;
            }
        }
        try (ZooModel<Image, float[]> images = criteria(Image.class).loadModel();
                Predictor<Image, float[]> a = images.newPredictor();
                ZooModel<PixelImage, float[]> pixels = criteria(PixelImage.class).loadModel();
                Predictor<PixelImage, float[]> b = pixels.newPredictor()) {
            float[] fromImage = a.predict(ImageFactory.getInstance().fromImage(img));
            float[] fromPixels = b.predict(new PixelImage(1, 28, 28, px));
            assertEquals(fromPixels.length, fromImage.length);
            for (int i = 0; i < fromImage.length; i++) {
                assertEquals(fromPixels[i], fromImage[i], 1e-4f, "dimension " + i);
            }
        }
    }

    /** A copy of the shipped artefact with one changed byte in its weights is refused, naming the file. */
    @Test
    void aTamperedCopyIsRefused(@TempDir Path repo) throws Exception {
        Path copy = repo.resolve("tampered-copy");
        Files.createDirectories(copy);
        String base = "org/byol4j/zoo/" + ARTIFACT + "/";
        JsonObject meta;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(base + "metadata.json")) {
            meta = JsonParser.parseString(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
        String params = meta.getAsJsonObject("files").getAsJsonObject("parameters").get("name").getAsString();
        meta.addProperty("artifactId", "tampered-copy");
        Files.writeString(copy.resolve("metadata.json"), meta.toString());
        byte[] weights;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(base + params)) {
            weights = in.readAllBytes();
        }
        weights[weights.length / 2] ^= 0x10;
        Files.write(copy.resolve(params), weights);
        Criteria<PixelImage, float[]> c = Criteria.builder().setTypes(PixelImage.class, float[].class)
                .optModelZoo(new ByolModelZoo(List.of(repo.toString()))).optArtifactId("tampered-copy").build();
        MalformedModelException e = assertThrows(MalformedModelException.class, c::loadModel);
        assertTrue(e.getMessage().contains(params) && e.getMessage().contains("tampered"), e.getMessage());
    }

    /**
     * Floors of the shipped artefacts on the jar's 2,000 + 500 image sample (LibLinear): ResNet-20 measured 85.2 %
     * and the untrained ResNet-20 76.5 % on the full set, so a broken or random artefact falls below 80 %; and
     * every artefact must beat its own architecture untrained (seed 1) by 3 points.
     */
    static final class ShippedFloor {
        static final Map<String, String> VERSIONS = Map.of("byol-resnet20-fmnist", "0.1.0",
                "byol-resnet18-fmnist", "0.5.0");
        static final double LINEAR_2000_500 = 0.80;
        static final double OVER_UNTRAINED = 0.03;

        private ShippedFloor() {}
    }
}
