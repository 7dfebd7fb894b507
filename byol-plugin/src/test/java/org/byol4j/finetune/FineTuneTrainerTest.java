package org.byol4j.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.nn.Architecture;
import org.byol4j.pretrain.TinyRuns;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;
import org.byol4j.tribuo.PixelDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.ModelProvenance;

/**
 * {@link FineTuneTrainer} through Tribuo's {@link Trainer} interface: it learns, its provenance names the starting
 * backbone, its models survive save and load, a killed run resumes to the uninterrupted weights, and bad input is
 * refused by name.
 */
class FineTuneTrainerTest {

    private static final int SIDE = 14;
    private static final ImageConverter CONVERTER = new ImageConverter(SIDE, SIDE, 1);
    @TempDir
    static Path shared;
    private static Path backbone;
    private static String backboneSha;

    @BeforeAll
    static void backbone() throws IOException {
        writeBackbone(shared);
    }

    /**
     * Writes the tests' starting backbone (a random ResNet-20 at a quarter width, 14 px) into {@code dir}.
     *
     * @param dir a folder
     * @throws IOException on write failure
     */
    static void writeBackbone(Path dir) throws IOException {
        backbone = dir.resolve("backbone");
        try (Backbone b = Backbone.randomInit(Architecture.parse("resnet20-small-w0.25", 1), SIDE, 7)) {
            b.save(backbone);
            backboneSha = b.sha256();
        }
    }

    /** Two classes a flip cannot confuse: a bright bar in the top half, or in the bottom half. */
    static LabelledImageSource bars(int n, long seed) {
        Random r = new Random(seed);
        PixelImage[] images = new PixelImage[n];
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            boolean top = i % 2 == 0;
            float[] px = new float[SIDE * SIDE];
            int row = top ? 1 + r.nextInt(4) : SIDE - 5 + r.nextInt(4);
            for (int y = row; y < row + 2; y++) {
                for (int x = 0; x < SIDE; x++) {
                    px[y * SIDE + x] = 0.6f + 0.4f * r.nextFloat();
                }
            }
            images[i] = new PixelImage(1, SIDE, SIDE, px);
            labels[i] = top ? "top" : "bottom";
        }
        return TinyRuns.labelled(n, n + " bars (seed " + seed + ")", i -> images[i], i -> labels[i],
                List.of("bottom", "top"));
    }

    static Dataset<Label> dataset(int n, long seed) {
        return new MutableDataset<>(new PixelDataSource<>(bars(n, seed), new LabelFactory()));
    }

    static FineTuneTrainer trainer() {
        return new FineTuneTrainer(backbone.toString(), CONVERTER).withBatchSize(16).withSteps(12)
                .withLearningRate(0.05f, 0.5f).withSeed(3);
    }

    private static double accuracy(Model<Label> model, Dataset<Label> test) {
        return new LabelEvaluator().evaluate(model, test).accuracy();
    }

    @Test
    void learnsThroughTribuosTrainerInterfaceAndNamesTheStartingBackboneInProvenance() {
        Trainer<Label> trainer = trainer().withSteps(40);
        Dataset<Label> train = dataset(96, 1);
        Dataset<Label> test = dataset(64, 2);
        try (FineTunedModel model = (FineTunedModel) trainer.train(train, Map.of("experiment",
                new StringProvenance("experiment", "unit test")))) {
            double acc = accuracy(model, test);
            assertTrue(acc >= 0.9, "fine-tuned accuracy on a separable task: " + acc);
            ModelProvenance p = model.getProvenance();
            Map<String, ? extends Provenance> instance = p.getInstanceProvenance().getMap();
            assertEquals(backboneSha, ((StringProvenance) instance.get("starting-backbone-sha256")).getValue());
            assertEquals(backbone.toString(), ((StringProvenance) instance.get("starting-backbone")).getValue());
            assertEquals("unit test", ((StringProvenance) instance.get("experiment")).getValue());
            assertEquals(backbone.toString(), p.getTrainerProvenance().getConfiguredParameters().get("backbone")
                    .toString());
            assertEquals("40", p.getTrainerProvenance().getConfiguredParameters().get("steps").toString());
            assertTrue(p.getDatasetProvenance().toString().contains("96 bars"), p.getDatasetProvenance().toString());
            assertEquals(1, trainer.getInvocationCount());
            Prediction<Label> one = model.predict(test.getExample(0));
            double total = one.getOutputScores().values().stream().mapToDouble(Label::getScore).sum();
            assertEquals(1.0, total, 1e-5, "scores are probabilities");
        }
    }

    @Test
    void fromScratchStartsFromRandomWeightsAndSaysSo() {
        try (FineTunedModel pretrained = trainer().train(dataset(32, 1));
                FineTunedModel scratch = trainer().fromScratch().train(dataset(32, 1))) {
            assertNotEquals(pretrained.weightsSha256(), scratch.weightsSha256());
            String start = ((StringProvenance) scratch.getProvenance().getInstanceProvenance().getMap()
                    .get("starting-backbone")).getValue();
            assertTrue(start.startsWith("random initialisation of resnet20-small-w0.25"), start);
        }
    }

    @Test
    void savedModelsLoadAndPredictIdentically(@TempDir Path dir) throws IOException {
        Dataset<Label> test = dataset(40, 2);
        Path file = dir.resolve("model.ser");
        try (FineTunedModel model = trainer().train(dataset(48, 1))) {
            model.save(file);
            Path proto = dir.resolve("model.tribuo");
            model.serializeToFile(proto); // Tribuo's protobuf format
            try (FineTunedModel loaded = FineTunedModel.load(file);
                    FineTunedModel viaTribuo = (FineTunedModel) Model.deserializeFromFile(proto)) {
                assertEquals(model.weightsSha256(), loaded.weightsSha256());
                assertEquals(model.getProvenance(), loaded.getProvenance());
                assertEquals(model.getProvenance(), viaTribuo.getProvenance());
                List<Prediction<Label>> a = model.predict(test);
                List<Prediction<Label>> b = loaded.predict(test);
                List<Prediction<Label>> c = viaTribuo.predict(test);
                for (int i = 0; i < a.size(); i++) {
                    assertEquals(a.get(i).getOutput().getLabel(), b.get(i).getOutput().getLabel());
                    for (String k : List.of("top", "bottom")) {
                        assertEquals(a.get(i).getOutputScores().get(k).getScore(),
                                b.get(i).getOutputScores().get(k).getScore(), 0.0, "example " + i + " " + k);
                        assertEquals(a.get(i).getOutputScores().get(k).getScore(),
                                c.get(i).getOutputScores().get(k).getScore(), 0.0, "protobuf, example " + i);
                    }
                }
            }
        }
    }

    @Test
    void imagesOfAnotherSizeAndChannelCountAreAdaptedAsEmbeddingDoes() {
        LabelledImageSource grey = bars(48, 4);
        LabelledImageSource colourAndLarger = TinyRuns.labelled(48, "48 colour bars at 20 px", i -> {
            PixelImage g = grey.image(i);
            float[] px = new float[3 * 20 * 20];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 20; y++) {
                    for (int x = 0; x < 20; x++) {
                        px[(c * 20 + y) * 20 + x] = g.get(0, y * SIDE / 20, x * SIDE / 20);
                    }
                }
            }
            return new PixelImage(3, 20, 20, px);
        }, grey::label, grey.classNames());
        try (FineTunedModel model = trainer().withSteps(40).train(colourAndLarger)) {
            List<Prediction<Label>> p = model.predict(colourAndLarger);
            assertEquals(48, p.size());
            long right = java.util.stream.IntStream.range(0, 48)
                    .filter(i -> p.get(i).getOutput().getLabel().equals(grey.label(i))).count();
            assertTrue(right >= 40, "adapted images are still told apart: " + right + " of 48");
        }
    }

    @Test
    void aTruncatedOrAlteredModelFileIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.ser");
        try (FineTunedModel model = trainer().withSteps(2).train(dataset(32, 1))) {
            model.save(file);
        }
        byte[] good = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.ser");
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 100));
        IOException e = assertThrows(IOException.class, () -> FineTunedModel.load(truncated));
        assertTrue(e.getMessage().startsWith(truncated.toString()) && e.getMessage().contains("truncated or altered"),
                e.getMessage());
        byte[] altered = good.clone();
        altered[altered.length - 2000] ^= 1;
        Path changed = dir.resolve("altered.ser");
        Files.write(changed, altered);
        e = assertThrows(IOException.class, () -> FineTunedModel.load(changed));
        assertTrue(e.getMessage().startsWith(changed.toString()), e.getMessage());
        Path other = dir.resolve("other.txt");
        Files.writeString(other, "hello\n");
        e = assertThrows(IOException.class, () -> FineTunedModel.load(other));
        assertTrue(e.getMessage().contains("not a byol4j fine-tuned model"), e.getMessage());
        assertThrows(IOException.class, () -> FineTunedModel.load(dir.resolve("missing.ser")));
    }

    /** Stands for a kill: thrown from inside the loop. */
    private static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    @Test
    void aKilledRunResumesToExactlyTheUninterruptedWeights(@TempDir Path dir) {
        Dataset<Label> train = dataset(64, 1);
        String uninterrupted;
        try (FineTunedModel m = trainer().train(train)) {
            uninterrupted = m.weightsSha256();
        }
        PretrainingListener crashAtSeven = new PretrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                if (p.step() == 7) {
                    throw new Crash();
                }
            }
        };
        FineTuneTrainer checkpointed = trainer().withCheckpoints(dir, 5);
        assertThrows(Crash.class, () -> checkpointed.withListener(crashAtSeven).train(train));
        try (FineTunedModel resumed = checkpointed.train(train)) {
            assertEquals(uninterrupted, resumed.weightsSha256());
        }
        FineTuneTrainer otherRate = trainer().withLearningRate(0.01f, 0.5f).withCheckpoints(dir, 5);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> otherRate.train(train));
        assertTrue(e.getMessage().contains("learningRate"), e.getMessage());
    }

    @Test
    void frozenBlocksKeepTheirStartingWeights() throws IOException {
        try (FineTunedModel model = trainer().withFrozenBlocks(3).train(dataset(32, 1));
                Backbone start = Backbone.load(backbone)) {
            try (FineTuneNetwork tuned = network(model)) {
                var startParams = start.block().getChildren().values().get(0).getParameters().values();
                var tunedParams = tuned.backbone().getChildren().values().get(0).getParameters().values();
                assertEquals(startParams.get(0).getArray(), tunedParams.get(0).getArray(), "stem conv frozen");
                var startLast = start.block().getChildren().values().get(4).getParameters().values();
                var tunedLast = tuned.backbone().getChildren().values().get(4).getParameters().values();
                assertNotEquals(startLast.get(0).getArray(), tunedLast.get(0).getArray(), "later blocks train");
            }
        }
        PropertyException e = assertThrows(PropertyException.class, () -> trainer().withFrozenBlocks(-1));
        assertTrue(e.getMessage().contains("frozenBlocks"), e.getMessage());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> trainer().withFrozenBlocks(99).train(dataset(32, 1)));
        assertTrue(tooMany.getMessage().contains("frozenBlocks must be <"), tooMany.getMessage());
    }

    private static FineTuneNetwork network(FineTunedModel model) throws IOException {
        Path tmp = Files.createTempFile(shared, "m", ".ser");
        model.save(tmp);
        FineTunedModel copy = FineTunedModel.load(tmp);
        copy.predict(dataset(2, 9).getExample(0));
        try {
            var f = FineTunedModel.class.getDeclaredField("network");
            f.setAccessible(true);
            return (FineTuneNetwork) f.get(copy);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badInputIsRefusedNamingWhatAndWhere() {
        MutableDataset<Label> wrongSize = new MutableDataset<>(new PixelDataSource<>(bars(8, 1), new LabelFactory()));
        FineTuneTrainer bigImages = new FineTuneTrainer(backbone.toString(), new ImageConverter(10, 10, 1))
                .withSteps(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bigImages.train(wrongSize));
        assertTrue(e.getMessage().contains("feature 'px-0100' is not a pixel of a 1 x 10 x 10 image"),
                e.getMessage());
        MutableDataset<Label> oneClass = new MutableDataset<>(dataset(8, 1).getProvenance(), new LabelFactory());
        oneClass.add(new ArrayExample<>(new Label("top"), new String[] {"px-0000"}, new double[] {1}));
        e = assertThrows(IllegalArgumentException.class, () -> trainer().train(oneClass));
        assertTrue(e.getMessage().contains("at least two classes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FineTuneTrainer("no-such-artefact", CONVERTER)
                .withSteps(1).train(dataset(8, 1)));
        assertTrue(e.getMessage().contains("no-such-artefact"), e.getMessage());
        PropertyException p = assertThrows(PropertyException.class, () -> new ImageConverter(28, 28, 2));
        assertTrue(p.getMessage().contains("channels must be 1 or 3"), p.getMessage());
    }

    @Test
    void configuresFromAnOlcutFile(@TempDir Path dir) throws IOException {
        Path xml = dir.resolve("fine-tune.xml");
        Files.writeString(xml, """
                <?xml version="1.0" encoding="UTF-8"?>
                <config>
                  <component name="converter" type="org.byol4j.finetune.ImageConverter">
                    <property name="width" value="14"/>
                    <property name="height" value="14"/>
                    <property name="channels" value="1"/>
                  </component>
                  <component name="trainer" type="org.byol4j.finetune.FineTuneTrainer">
                    <property name="backbone" value="%s"/>
                    <property name="imageConverter" value="converter"/>
                    <property name="steps" value="3"/>
                    <property name="batchSize" value="8"/>
                    <property name="frozenBlocks" value="2"/>
                  </component>
                </config>
                """.formatted(backbone));
        ConfigurationManager cm = new ConfigurationManager(xml.toString());
        FineTuneTrainer t = (FineTuneTrainer) cm.lookup("trainer");
        try (FineTunedModel m = t.train(dataset(16, 1))) {
            var params = m.getProvenance().getTrainerProvenance().getConfiguredParameters();
            assertEquals("2", params.get("frozenBlocks").toString());
            assertEquals("3", ((StringProvenance) m.getProvenance().getInstanceProvenance().getMap()
                    .get("fine-tuning-steps")).getValue());
        }
    }
}
