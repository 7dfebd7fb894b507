package org.byol4j.tribuo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.engine.OfflineEngine;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.classification.Label;

/**
 * Weighted k-nearest-neighbour classification on frozen features, the monitor of solo-learn and lightly (after
 * Wu et al. 2018): features are L2-normalised, the k training features with the highest cosine similarity s
 * to a test feature each vote for their class with weight exp(s / T), and the class with the largest total
 * wins. No training, so it is cheap enough to run during pretraining ({@link KnnMonitor}).
 */
public final class KnnEvaluation {

    private static final int CHUNK = 256;

    private final int k;
    private final double temperature;

    /**
     * @param k neighbours (solo-learn: 20; lightly and InstDisc: 200)
     * @param temperature T &gt; 0 of the vote weights (solo-learn: 0.07; lightly: 0.1)
     */
    public KnnEvaluation(int k, double temperature) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        this.k = k;
        this.temperature = temperature;
    }

    /** k = 20, T = 0.07, solo-learn's defaults. */
    public KnnEvaluation() {
        this(20, 0.07);
    }

    /**
     * Embeds both sources with {@code backbone} and classifies the test images.
     *
     * @param backbone the frozen feature extractor
     * @param train labelled reference images
     * @param test labelled images to classify
     * @return test accuracy in [0, 1]
     */
    public double accuracy(Backbone backbone, LabelledImageSource train, LabelledImageSource test) {
        Map<String, Integer> ids = new HashMap<>();
        return accuracy(backbone.embed(train, CHUNK), classIds(train, ids), backbone.embed(test, CHUNK),
                classIds(test, ids));
    }

    /**
     * The raw-pixel baseline: classifies the test images by their pixels, flattened, with the same vote.
     *
     * @param train labelled reference images (all of one size)
     * @param test labelled images to classify (that size too)
     * @return test accuracy in [0, 1]
     */
    public double pixelAccuracy(LabelledImageSource train, LabelledImageSource test) {
        Map<String, Integer> ids = new HashMap<>();
        return accuracy(pixels(train), classIds(train, ids), pixels(test), classIds(test, ids));
    }

    /**
     * Classifies a Tribuo dataset of dense features by another, without computing the features again: for the
     * datasets a linear probe was trained and tested on, e.g. built from {@link EmbeddingDataSource}s. Each
     * example's feature values, in the dataset's (index) order, are its vector; labels are matched by name.
     *
     * @param train labelled reference examples, all with the same number of features
     * @param test labelled examples to classify, with that number of features too
     * @return test accuracy in [0, 1]
     * @throws IllegalArgumentException naming the dataset and example when an example's feature count differs
     */
    public double accuracy(Dataset<Label> train, Dataset<Label> test) {
        Map<String, Integer> ids = new HashMap<>();
        float[][] reference = features(train, "training", -1);
        int[] referenceLabels = classIds(train, ids);
        return accuracy(reference, referenceLabels, features(test, "test", reference[0].length), classIds(test, ids));
    }

    private static float[][] features(Dataset<Label> data, String role, int expected) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("the " + role + " dataset has no examples");
        }
        float[][] out = new float[data.size()][];
        int d = expected;
        for (int i = 0; i < out.length; i++) {
            Example<Label> e = data.getExample(i);
            if (d < 0) {
                d = e.size();
            }
            if (e.size() != d) {
                throw new IllegalArgumentException("kNN needs dense features: example " + i + " of the " + role
                        + " dataset has " + e.size() + " features, expected " + d);
            }
            float[] row = new float[d];
            int j = 0;
            for (Feature f : e) {
                row[j++] = (float) f.getValue();
            }
            out[i] = row;
        }
        return out;
    }

    private static int[] classIds(Dataset<Label> data, Map<String, Integer> ids) {
        int[] out = new int[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.computeIfAbsent(data.getExample(i).getOutput().getLabel(), key -> ids.size());
        }
        return out;
    }

    private static float[][] pixels(LabelledImageSource images) {
        float[][] out = new float[images.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = images.image(i).pixels();
        }
        return out;
    }

    /**
     * @param train reference features, one row per example
     * @param trainLabels their class ids
     * @param test features to classify
     * @param testLabels their true class ids
     * @return the fraction of {@code test} rows whose predicted class is right
     */
    public double accuracy(float[][] train, int[] trainLabels, float[][] test, int[] testLabels) {
        int[] predicted = predict(train, trainLabels, test);
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == testLabels[i] ? 1 : 0;
        }
        return predicted.length == 0 ? 0 : (double) right / predicted.length;
    }

    /**
     * @param train reference features, one row per example (all rows the same length)
     * @param trainLabels their class ids (≥ 0)
     * @param test features to classify
     * @return the predicted class id of each test row
     */
    public int[] predict(float[][] train, int[] trainLabels, float[][] test) {
        if (train.length != trainLabels.length || train.length == 0) {
            throw new IllegalArgumentException("need one label per training row and at least one row, got "
                    + train.length + " rows and " + trainLabels.length + " labels");
        }
        int d = train[0].length;
        int classes = 0;
        for (int label : trainLabels) {
            classes = Math.max(classes, label + 1);
        }
        int[] out = new int[test.length];
        try (NDManager m = OfflineEngine.get().newBaseManager();
                NDArray reference = normalised(m, train, 0, train.length, d);
                NDArray referenceT = reference.transpose()) {
            for (int start = 0; start < test.length; start += CHUNK) {
                int end = Math.min(test.length, start + CHUNK);
                float[] sims;
                try (NDManager chunk = m.newSubManager()) {
                    sims = normalised(chunk, test, start, end, d).matMul(referenceT).toFloatArray();
                }
                for (int i = start; i < end; i++) {
                    out[i] = vote(sims, (i - start) * train.length, train.length, trainLabels, classes);
                }
            }
        }
        return out;
    }

    private int vote(float[] sims, int offset, int n, int[] labels, int classes) {
        PriorityQueue<Integer> nearest = new PriorityQueue<>(k + 1,
                (a, b) -> Float.compare(sims[offset + a], sims[offset + b]));
        for (int j = 0; j < n; j++) {
            nearest.add(j);
            if (nearest.size() > k) {
                nearest.poll();
            }
        }
        double[] score = new double[classes];
        for (int j : nearest) {
            score[labels[j]] += Math.exp(sims[offset + j] / temperature);
        }
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (score[c] > score[best]) {
                best = c;
            }
        }
        return best;
    }

    private static NDArray normalised(NDManager m, float[][] rows, int from, int to, int d) {
        float[] flat = new float[(to - from) * d];
        for (int i = from; i < to; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " features, expected " + d);
            }
            System.arraycopy(rows[i], 0, flat, (i - from) * d, d);
        }
        NDArray x = m.create(flat, new Shape(to - from, d));
        NDArray norm = x.norm(new int[] {1}, true).maximum(1e-12f);
        return x.div(norm);
    }

    private static int[] classIds(LabelledImageSource source, Map<String, Integer> ids) {
        int[] out = new int[source.size()];
        List<String> names = source.classNames();
        for (String name : names) {
            ids.putIfAbsent(name, ids.size());
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.computeIfAbsent(source.label(i), key -> ids.size());
        }
        return out;
    }
}
