package org.byol4j.tribuo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.data.PixelImage;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

class KnnEvaluationTest {

    private static final float[][] TRAIN = {{1, 0}, {0.9f, 0.1f}, {0, 1}, {0.1f, 0.9f}, {-1, 0}};
    private static final int[] LABELS = {0, 0, 1, 1, 2};

    @Test
    void nearestNeighbourByCosineIgnoresLength() {
        KnnEvaluation one = new KnnEvaluation(1, 0.07);
        // (5, 0.2) is long but points at class 0; (0, 0.01) is short but points at class 1.
        assertArrayEquals(new int[] {0, 1, 2}, one.predict(TRAIN, LABELS, new float[][] {{5, 0.2f}, {0, 0.01f},
            {-3, 0.1f}}));
    }

    @Test
    void votesAreWeightedByExpSimilarityOverTemperature() {
        // Test point (1, 1)/√2: cosines 0.707 to both class-0 points... worked out: class 0 gets
        // (1,0): 0.7071 and (0.9,0.1): 0.7809; class 1 gets (0,1): 0.7071 and (0.1,0.9): 0.7809. A tie,
        // broken to the lower class id. Tilting the point towards class 1 flips it.
        KnnEvaluation four = new KnnEvaluation(4, 0.1);
        assertArrayEquals(new int[] {0, 1}, four.predict(TRAIN, LABELS, new float[][] {{1, 1}, {1, 1.05f}}));
        // With k = 5 the far class-2 point (cosine −0.707) adds exp(−7.07) ≈ 0.00085 to class 2: still last.
        KnnEvaluation five = new KnnEvaluation(5, 0.1);
        assertArrayEquals(new int[] {1}, five.predict(TRAIN, LABELS, new float[][] {{0.2f, 1}}));
        // A low temperature makes the single nearest neighbour decide even against a two-to-one majority:
        // point near (−1, 0) with neighbours k = 3: class 2 (cos ≈ 1) against two class-1 points (cos ≈ 0.1).
        KnnEvaluation sharp = new KnnEvaluation(3, 0.01);
        assertArrayEquals(new int[] {2}, sharp.predict(new float[][] {{-1, 0}, {0.1f, 1}, {0.1f, 1}},
                new int[] {2, 1, 1}, new float[][] {{-1, 0.2f}}));
        KnnEvaluation flat = new KnnEvaluation(3, 100);
        assertArrayEquals(new int[] {1}, flat.predict(new float[][] {{-1, 0}, {0.1f, 1}, {0.1f, 1}},
                new int[] {2, 1, 1}, new float[][] {{-1, 0.2f}}));
    }

    @Test
    void accuracyCountsCorrectPredictions() {
        KnnEvaluation one = new KnnEvaluation(1, 0.07);
        assertEquals(2.0 / 3, one.accuracy(TRAIN, LABELS, new float[][] {{1, 0}, {0, 1}, {1, 0.1f}},
                new int[] {0, 1, 2}), 1e-12);
    }

    /**
     * The probe's own Tribuo datasets give the same answer as the arrays they hold (the test of
     * accuracyCountsCorrectPredictions again), with labels matched by name: the test set's first label is "c".
     */
    @Test
    void tribuoDatasetsAreClassifiedAsTheirFeatureArrays() {
        MutableDataset<Label> train = dataset(TRAIN, new String[] {"a", "a", "b", "b", "c"});
        MutableDataset<Label> test = dataset(new float[][] {{1, 0.1f}, {1, 0}, {0, 1}}, new String[] {"c", "a", "b"});
        assertEquals(2.0 / 3, new KnnEvaluation(1, 0.07).accuracy(train, test), 1e-12,
                "the 'c' at (1, 0.1) is nearest an 'a'; the other two are right");
        MutableDataset<Label> ragged = dataset(new float[][] {{1, 0}}, new String[] {"a"});
        ragged.add(new ArrayExample<>(new Label("b"), new String[] {"f-0000"}, new double[] {1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KnnEvaluation(1, 0.07).accuracy(train, ragged));
        assertEquals("kNN needs dense features: example 1 of the test dataset has 1 features, expected 2",
                e.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> new KnnEvaluation().accuracy(dataset(new float[0][], new String[0]), test));
        assertEquals("the training dataset has no examples", empty.getMessage());
    }

    private static MutableDataset<Label> dataset(float[][] rows, String[] labels) {
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("knn test", new LabelFactory()),
                new LabelFactory());
        for (int i = 0; i < rows.length; i++) {
            double[] v = new double[rows[i].length];
            for (int j = 0; j < v.length; j++) {
                v[j] = rows[i][j];
            }
            d.add(new ArrayExample<>(new Label(labels[i]), new String[] {"f-0000", "f-0001"}, v));
        }
        return d;
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KnnEvaluation(0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new KnnEvaluation(5, 0));
        KnnEvaluation knn = new KnnEvaluation();
        assertThrows(IllegalArgumentException.class, () -> knn.predict(TRAIN, new int[] {0}, TRAIN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> knn.predict(TRAIN, LABELS, new float[][] {{1, 2, 3}}));
        assertEquals("row 0 has 3 features, expected 2", e.getMessage());
    }

    /**
     * Pixels as features: 1×1×2 images of the TRAIN rows; the test set lists its classes in another order, so
     * labels must be matched by name, not by position in {@code classNames()}.
     */
    @Test
    void pixelAccuracyMatchesClassesByName() {
        String[] names = {"a", "b", "c"};
        String[] trainLabels = new String[TRAIN.length];
        for (int i = 0; i < TRAIN.length; i++) {
            trainLabels[i] = names[LABELS[i]];
        }
        LabelledImageSource train = source(TRAIN, trainLabels, List.of("a", "b", "c"));
        LabelledImageSource test = source(new float[][] {{1, 0}, {0, 1}, {1, 0.1f}}, new String[] {"a", "b", "c"},
                List.of("c", "b", "a"));
        assertEquals(2.0 / 3, new KnnEvaluation(1, 0.07).pixelAccuracy(train, test), 1e-12,
                "as accuracyCountsCorrectPredictions: the third point is nearest an 'a'");
    }

    private static LabelledImageSource source(float[][] pixels, String[] labels, List<String> classes) {
        return new LabelledImageSource() {
            @Override
            public String label(int index) {
                return labels[index];
            }

            @Override
            public List<String> classNames() {
                return classes;
            }

            @Override
            public int size() {
                return pixels.length;
            }

            @Override
            public int channels() {
                return 1;
            }

            @Override
            public PixelImage image(int index) {
                return new PixelImage(1, 1, 2, pixels[index]);
            }

            @Override
            public String description() {
                return pixels.length + " two-pixel images";
            }
        };
    }
}
