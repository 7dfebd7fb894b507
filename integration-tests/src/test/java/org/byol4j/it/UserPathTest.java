package org.byol4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.byol4j.byol.ByolConfig;
import org.byol4j.byol.ByolTrainer;
import org.byol4j.byol.OptimiserKind;
import org.byol4j.data.IdxImageSource;
import org.byol4j.nn.Backbone;
import org.byol4j.spi.TrainingListener;
import org.byol4j.tribuo.EmbeddingDataSource;
import org.byol4j.tribuo.EmbeddingDataSourceProvenance;
import org.byol4j.tribuo.LinearEvaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.DataProvenance;

/**
 * The user's path as a user writes it: their own IDX files, BYOL pretraining, a saved and reloaded backbone,
 * embeddings as Tribuo Examples, a Tribuo classifier whose provenance leads back to the backbone.
 */
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

        ByolConfig config = ByolConfig.builder().optBackbone("resnet20-small-w0.25", 1, 16).optProjector(64, 32)
                .optSchedule(32, 2).optOptimiser(OptimiserKind.LARS, 1.0f, 0.5f).build();
        Path saved = dir.resolve("backbone");
        try (Backbone trained = new ByolTrainer(config).train(train, TrainingListener.NONE)) {
            trained.save(saved);
        }
        try (Backbone backbone = Backbone.load(saved)) {
            LabelFactory labels = new LabelFactory();
            EmbeddingDataSource<Label> trainFeatures = new EmbeddingDataSource<>(train, backbone, labels, 64);
            EmbeddingDataSource<Label> testFeatures = new EmbeddingDataSource<>(test, backbone, labels, 64);
            LinearEvaluation.Result result = new LinearEvaluation().run(trainFeatures, testFeatures);
            assertTrue(result.accuracy() > 0.8, "probe accuracy " + result.accuracy());
            assertEquals(128.0, result.evaluation().getConfusionMatrix().support(), 0.0);

            DataProvenance source = result.model().getProvenance().getDatasetProvenance().getSourceProvenance();
            assertTrue(source instanceof EmbeddingDataSourceProvenance, source.getClass().getName());
            EmbeddingDataSourceProvenance p = (EmbeddingDataSourceProvenance) source;
            assertEquals(backbone.sha256(), p.get(EmbeddingDataSourceProvenance.BACKBONE_SHA256));
            assertEquals("resnet20-small-w0.25", p.get(EmbeddingDataSourceProvenance.BACKBONE));
            assertEquals("byol", p.get("recipe.method"));
            assertEquals("2", p.get("recipe.epochs"));
            assertEquals("32", p.get("recipe.batchSize"));
            assertEquals("0.996", p.get("recipe.tauBase"));
            assertEquals("lars", p.get("recipe.optimiser"));
        }
    }
}
