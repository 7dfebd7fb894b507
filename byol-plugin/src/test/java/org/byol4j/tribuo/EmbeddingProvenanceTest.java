package org.byol4j.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.io.ObjectMarshalledProvenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.pretrain.TinyRuns;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.nn.ResNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.ModelProvenance;

/** Embeddings as Tribuo examples, and their provenance through a trained model and back, as Tribuo tests it. */
class EmbeddingProvenanceTest {

    /** Two classes: images bright on the left or on the right half. */
    static LabelledImageSource halves(int n) {
        return TinyRuns.labelled(n, n + " half-lit squares", index -> {
            float[] px = new float[16 * 16];
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    boolean lit = (index % 2 == 0) == (x < 8);
                    px[y * 16 + x] = lit ? 0.6f + 0.02f * (index % 10) : 0.1f;
                }
            }
            return new PixelImage(1, 16, 16, px);
        }, index -> index % 2 == 0 ? "left" : "right", List.of("left", "right"));
    }

    static Backbone randomBackbone(Map<String, String> recipe) {
        ResNet arch = ResNet.parse("resnet20-small-w0.25", 1);
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            Block b = arch.newBlock();
            b.initialize(m, DataType.FLOAT32, new Shape(1, 1, 16, 16));
            return Backbone.copyOf(arch, 16, b, recipe);
        }
    }

    @Test
    void examplesHaveStableDenseFeatureNamesAndTheRightLabels() {
        try (Backbone backbone = randomBackbone(Map.of("method", "byol"))) {
            EmbeddingDataSource<Label> source = new EmbeddingDataSource<>(halves(6), backbone, new LabelFactory(), 4);
            assertEquals(6, source.size());
            Example<Label> first = source.iterator().next();
            assertEquals("left", first.getOutput().getLabel());
            assertEquals(backbone.featureDim(), first.size());
            assertEquals("emb-0000", first.iterator().next().getName());
            float[][] direct = backbone.embed(List.of(halves(6).image(0)));
            assertEquals(direct[0][0], first.iterator().next().getValue(), 1e-6);
        }
    }

    @Test
    void aModelsProvenanceNamesTheBackboneAndSurvivesMarshalling(@TempDir Path dir) throws IOException {
        Map<String, String> recipe = Map.of("method", "byol", "epochs", "7", "tauBase", "0.996");
        try (Backbone trained = randomBackbone(recipe)) {
            trained.save(dir, "org.byol4j:byol-test:1.0");
        }
        try (Backbone backbone = Backbone.load(dir)) {
            LabelFactory labels = new LabelFactory();
            LinearEvaluation.Result r = new LinearEvaluation().run(
                    new EmbeddingDataSource<>(halves(40), backbone, labels, 16),
                    new EmbeddingDataSource<>(halves(10), backbone, labels, 16));
            Model<Label> model = r.model();
            EmbeddingDataSourceProvenance p = EmbeddingDataSourceProvenance.of(model.getProvenance()).orElseThrow();
            assertEquals(backbone.sha256(), p.get(EmbeddingDataSourceProvenance.BACKBONE_SHA256));
            assertEquals("org.byol4j:byol-test:1.0", p.get(EmbeddingDataSourceProvenance.BACKBONE_ARTIFACT));
            assertEquals("resnet20-small-w0.25", p.get(EmbeddingDataSourceProvenance.BACKBONE));
            assertEquals("7", p.get("recipe.epochs"));
            assertEquals("40 half-lit squares", p.get(EmbeddingDataSourceProvenance.IMAGES));

            List<ObjectMarshalledProvenance> marshalled = ProvenanceUtil.marshalProvenance(model.getProvenance());
            ModelProvenance back = (ModelProvenance) ProvenanceUtil.unmarshalProvenance(marshalled);
            assertEquals(model.getProvenance(), back);
            assertTrue(back.toString().contains(backbone.sha256()));
            assertEquals(1.0, r.accuracy(), 0.0, "the two classes are trivially separable");
        }
    }

    @Test
    void aLocalBackboneSaysSo() {
        try (Backbone backbone = randomBackbone(Map.of())) {
            EmbeddingDataSource<Label> source = new EmbeddingDataSource<>(halves(2), backbone, new LabelFactory(), 2);
            assertEquals(EmbeddingDataSourceProvenance.LOCAL, ((EmbeddingDataSourceProvenance) source.getProvenance())
                    .get(EmbeddingDataSourceProvenance.BACKBONE_ARTIFACT));
        }
    }

    @Test
    void everyProbeLearnsASeparableProblem() {
        try (Backbone backbone = randomBackbone(Map.of())) {
            LabelFactory labels = new LabelFactory();
            EmbeddingDataSource<Label> train = new EmbeddingDataSource<>(halves(40), backbone, labels, 16);
            EmbeddingDataSource<Label> test = new EmbeddingDataSource<>(halves(10), backbone, labels, 16);
            for (LinearProbe probe : LinearProbe.values()) {
                LinearEvaluation.Result r = new LinearEvaluation(probe, 5).run(train, test);
                assertEquals(1.0, r.accuracy(), 0.0, probe.name());
                assertEquals(10.0, r.evaluation().getConfusionMatrix().support(), 0.0);
            }
        }
    }

    @Test
    void knnOnEmbeddingsOfTheSameSources() {
        try (Backbone backbone = randomBackbone(Map.of())) {
            assertEquals(1.0, new KnnEvaluation(5, 0.07).accuracy(backbone, halves(40), halves(10)), 0.0);
        }
    }
}
