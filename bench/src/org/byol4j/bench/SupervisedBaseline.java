package org.byol4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.ParameterTracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.nn.Architecture;
import org.byol4j.nn.LinearDefaultInitializer;
import org.byol4j.optim.Lars;

/**
 * The supervised reference of the zoo table: the same backbone trained with labels (a linear classifier on its
 * pooled features, softmax cross-entropy) for the same wall-clock budget as the BYOL artefact. Recipe: the usual
 * CIFAR-style one, SGD with Nesterov-free momentum 0.9, weight decay 5e-4 (not on biases and BatchNorm), peak
 * learning rate 0.1 × batch / 128 after a 100-step linear warm-up, then cosine to 0 at the step count the measured
 * step time fits into the budget; augmentation random resized crop (0.35–1) and horizontal flip only.
 */
final class SupervisedBaseline {

    private static final int WARMUP_STEPS = 100;
    private static final int UNTIMED_STEPS = 5;

    private SupervisedBaseline() {}

    /** The trained backbone, with the classifier's own accuracy on a test set. */
    record Outcome(Backbone backbone, long steps, double seconds, double headTestAccuracy) {}

    /**
     * @param arch the architecture (the artefact's)
     * @param imageSize input side in pixels
     * @param train labelled training images
     * @param test labelled test images, for the classifier's own accuracy
     * @param budgetSeconds wall-clock budget of the training loop
     * @param batchSize images per step
     * @param seed initialisation and sampling seed
     * @return the backbone (caller closes it) and how the run went
     */
    static Outcome train(Architecture arch, int imageSize, LabelledImageSource train, LabelledImageSource test,
            double budgetSeconds, int batchSize, long seed) {
        int classes = train.classNames().size();
        int[] ids = QualityBench.ids(train);
        ViewAugmentation aug = ViewAugmentation.cropAndFlip(imageSize, 0.35f, 0.5f);
        float peak = 0.1f * batchSize / 128f;
        long started = System.nanoTime();
        OfflineEngine.seed((int) seed);
        try (NDManager manager = OfflineEngine.get().newBaseManager()) {
            Block backbone = arch.newBlock();
            Block head = Linear.builder().setUnits(classes).build();
            head.setInitializer(new LinearDefaultInitializer(), Parameter.Type.WEIGHT);
            SequentialBlock net = new SequentialBlock().add(backbone).add(head);
            int c = arch.inputChannels();
            net.initialize(manager, DataType.FLOAT32, new Shape(2, c, imageSize, imageSize));
            List<Parameter> params = new ArrayList<>();
            for (Parameter p : net.getParameters().values()) {
                if (p.requiresGradient()) { // not BatchNorm's running statistics
                    params.add(p);
                }
            }
            Schedule lr = new Schedule(peak);
            try (Lars sgd = Lars.sgdBuilder().setLearningRateTracker(lr).optMomentum(0.9f).optWeightDecays(5e-4f)
                    .build()) {
                SplittableRandom rng = new SplittableRandom(seed);
                int[] order = permutation(train.size(), rng);
                int cursor = 0;
                long timedFrom = 0;
                long step = 0;
                while (lr.total == 0 || step < lr.total) {
                    if (cursor + batchSize > order.length) {
                        order = permutation(train.size(), rng);
                        cursor = 0;
                    }
                    float[] x = new float[batchSize * c * imageSize * imageSize];
                    long[] y = new long[batchSize];
                    for (int i = 0; i < batchSize; i++) {
                        int idx = order[cursor++];
                        aug.apply(train.image(idx), rng.split()).copyTo(x, i * c * imageSize * imageSize);
                        y[i] = ids[idx];
                    }
                    lr.step = step;
                    try (NDManager sm = manager.newSubManager()) {
                        NDArray images = sm.create(x, new Shape(batchSize, c, imageSize, imageSize));
                        NDArray labels = sm.create(y);
                        ParameterStore ps = new ParameterStore(sm, false);
                        try (GradientCollector gc = OfflineEngine.get().newGradientCollector()) {
                            NDArray logits = net.forward(ps, new NDList(images), true).singletonOrThrow();
                            NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels),
                                    new NDList(logits));
                            gc.backward(loss);
                            if (step % 200 == 0) {
                                System.out.printf(Locale.ROOT, "  supervised step %d/%s loss %.4f lr %.4f%n", step,
                                        lr.total == 0 ? "?" : Long.toString(lr.total), loss.getFloat(),
                                        lr.getNewValue("", (int) step));
                            }
                        }
                        for (Parameter p : params) {
                            NDArray w = p.getArray();
                            try (NDArray g = w.getGradient()) {
                                sgd.update(p.getId(), w, g);
                                g.muli(0f);
                            }
                        }
                    }
                    step++;
                    if (step == UNTIMED_STEPS) {
                        timedFrom = System.nanoTime();
                    } else if (step == WARMUP_STEPS) {
                        double perStep = (System.nanoTime() - timedFrom) / 1e9 / (WARMUP_STEPS - UNTIMED_STEPS);
                        double left = budgetSeconds - (System.nanoTime() - started) / 1e9;
                        lr.total = Math.max(WARMUP_STEPS + 1, WARMUP_STEPS + (long) (left / perStep));
                        System.out.printf(Locale.ROOT, "  supervised: %.1f ms/step, K = %d steps%n", perStep * 1e3,
                                lr.total);
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double accuracy = accuracy(net, manager, test, arch, imageSize);
            Map<String, String> recipe = new LinkedHashMap<>();
            recipe.put("method", "supervised-cross-entropy");
            recipe.put("backbone", arch.name());
            recipe.put("totalSteps", Long.toString(lr.total));
            recipe.put("batchSize", Integer.toString(batchSize));
            recipe.put("optimiser", "sgd momentum 0.9, weight decay 5e-4, peak lr " + peak + ", warm-up "
                    + WARMUP_STEPS + ", cosine");
            recipe.put("augmentation", "random resized crop 0.35-1, flip");
            recipe.put("wallSeconds", String.format(Locale.ROOT, "%.0f", seconds));
            recipe.put("seed", Long.toString(seed));
            recipe.put("pretrainedOn", train.description());
            return new Outcome(Backbone.copyOf(arch, imageSize, backbone, recipe), lr.total, seconds, accuracy);
        }
    }

    private static double accuracy(Block net, NDManager manager, LabelledImageSource test, Architecture arch,
            int imageSize) {
        int[] ids = QualityBench.ids(test);
        int c = arch.inputChannels();
        int per = c * imageSize * imageSize;
        int correct = 0;
        for (int start = 0; start < test.size(); start += 500) {
            int n = Math.min(500, test.size() - start);
            float[] x = new float[n * per];
            for (int i = 0; i < n; i++) {
                PixelImage img = test.image(start + i);
                img.copyTo(x, i * per);
            }
            try (NDManager sm = manager.newSubManager()) {
                NDArray logits = net.forward(new ParameterStore(sm, false),
                        new NDList(sm.create(x, new Shape(n, c, imageSize, imageSize))), false).singletonOrThrow();
                long[] predicted = logits.argMax(1).toLongArray();
                for (int i = 0; i < n; i++) {
                    if (predicted[i] == ids[start + i]) {
                        correct++;
                    }
                }
            }
        }
        return correct / (double) test.size();
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Linear warm-up over the first steps, then cosine to 0 at {@code total} once it is known. */
    private static final class Schedule implements ParameterTracker {
        private final float peak;
        long step;
        long total;

        Schedule(float peak) {
            this.peak = peak;
        }

        @Override
        public float getNewValue(String parameterId, int numUpdate) {
            if (step < WARMUP_STEPS || total == 0) {
                return peak * (step + 1) / WARMUP_STEPS;
            }
            double progress = (step - WARMUP_STEPS) / (double) Math.max(1, total - WARMUP_STEPS);
            return (float) (peak * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
        }
    }
}
