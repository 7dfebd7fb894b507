package org.byol4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.Subset;
import org.byol4j.spi.RepresentationTrainer;
import org.byol4j.spi.RepresentationTrainers;
import org.byol4j.tribuo.EmbeddingDataSource;
import org.byol4j.tribuo.EmbeddingDataSourceProvenance;
import org.byol4j.tribuo.KnnEvaluation;
import org.byol4j.tribuo.KnnMonitor;
import org.byol4j.tribuo.LinearEvaluation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

/**
 * The user's path as a user writes it: their own IDX files, BYOL pretraining, a saved and reloaded backbone,
 * embeddings as Tribuo Examples, a Tribuo classifier whose provenance leads back to the backbone.
 */
@Tag("slow")
class UserPathTest {

    /** Two classes a linear probe can only separate through the backbone's features: stripes by orientation. */
    private static void writeStripes(Path images, Path labels, int n, long seed) throws IOException {
        Random r = new Random(seed);
        try (DataOutputStream im = new DataOutputStream(Files.newOutputStream(images));
                DataOutputStream lb = new DataOutputStream(Files.newOutputStream(labels))) {
            im.writeInt(0x803);
            im.writeInt(n);
            im.writeInt(16);
            im.writeInt(16);
            lb.writeInt(0x801);
            lb.writeInt(n);
            for (int i = 0; i < n; i++) {
                int cls = i % 2;
                int phase = r.nextInt(4);
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        int coord = cls == 0 ? y : x;
                        int v = ((coord + phase) / 2) % 2 == 0 ? 220 : 30;
                        im.writeByte(Math.max(0, Math.min(255, v + r.nextInt(41) - 20)));
                    }
                }
                lb.writeByte(cls);
            }
        }
    }

    @Test
    void pretrainSaveLoadEmbedClassifyWithProvenance(@TempDir Path dir) throws IOException {
        writeStripes(dir.resolve("train-images"), dir.resolve("train-labels"), 256, 1);
        writeStripes(dir.resolve("test-images"), dir.resolve("test-labels"), 128, 2);
        IdxImageSource train = IdxImageSource.labelled(dir.resolve("train-images"), dir.resolve("train-labels"));
        IdxImageSource test = IdxImageSource.labelled(dir.resolve("test-images"), dir.resolve("test-labels"));

        // Discovery through ServiceLoader only: no byol class is named here.
        RepresentationTrainers registry = RepresentationTrainers.load();
        assertEquals(List.of("barlowtwins", "byol", "random-init", "simclr", "simsiam"), registry.names(),
                "byol4j's three methods, and the test jar's two providers");
        RepresentationTrainer byol = registry.create("byol", Map.of("backbone", "resnet20-small-w0.25",
                "inputChannels", "1", "imageSize", "16", "projectorHidden", "64", "projectorOutput", "32",
                "batchSize", "32", "epochs", "2", "baseLearningRate", "1.0", "warmupEpochs", "0.5", "tauBase", "0.996"));
        Path saved = dir.resolve("backbone");
        KnnMonitor knn = new KnnMonitor(Subset.first(train, 128), Subset.first(test, 64), new KnnEvaluation(20, 0.07),
                1);
        try (Backbone trained = byol.train(train, knn)) {
            trained.save(saved);
        }
        assertEquals(2, knn.history().size(), "a kNN measurement after each epoch");
        try (Backbone backbone = Backbone.load(saved)) {
            LabelFactory labels = new LabelFactory();
            EmbeddingDataSource<Label> trainFeatures = new EmbeddingDataSource<>(train, backbone, labels, 64);
            EmbeddingDataSource<Label> testFeatures = new EmbeddingDataSource<>(test, backbone, labels, 64);
            LinearEvaluation.Result result = new LinearEvaluation().run(trainFeatures, testFeatures);
            assertTrue(result.accuracy() > 0.8, "probe accuracy " + result.accuracy());
            assertEquals(128.0, result.evaluation().getConfusionMatrix().support(), 0.0);

            EmbeddingDataSourceProvenance p = EmbeddingDataSourceProvenance.of(result.model().getProvenance())
                    .orElseThrow(() -> new AssertionError("no embedding provenance in " + result.model().getProvenance()));
            assertEquals(backbone.sha256(), p.get(EmbeddingDataSourceProvenance.BACKBONE_SHA256));
            assertEquals("resnet20-small-w0.25", p.get(EmbeddingDataSourceProvenance.BACKBONE));
            assertEquals("byol", p.get("recipe.method"));
            assertEquals("2", p.get("recipe.epochs"));
            assertEquals("32", p.get("recipe.batchSize"));
            assertEquals("16", p.get("recipe.totalSteps"), "2 epochs of 256 / 32 steps");
            assertEquals("0.996", p.get("recipe.tauBase"));
            assertEquals("0.996", p.get("recipe.tauBaseUsed"), "set explicitly, so not derived from K");
            assertEquals("LARS", p.get("recipe.optimiser"), "every @Config field by its own value");
            assertEquals(EmbeddingDataSourceProvenance.LOCAL, p.get(EmbeddingDataSourceProvenance.BACKBONE_ARTIFACT));
        }
    }
}
