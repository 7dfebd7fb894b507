package org.byol4j.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Locale;
import org.byol4j.backbone.BackbonePreprocessor;
import org.byol4j.data.ImageSource;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.nn.Scalars;
import org.byol4j.nn.SoftmaxCrossEntropy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the head where a linear probe ends ("LP-FT", Kumar et al. 2022, <i>Fine-Tuning can Distort Pretrained
 * Features</i>): an L2-regularised multinomial logistic regression on the backbone's frozen features of the
 * labelled images (inference mode, no augmentation), fitted on standardised features with full-batch Adam and folded
 * back into the head's weights and bias. Fine-tuning from a random head sends large, noisy gradients through the
 * pretrained backbone in its first steps; from the probe's head it starts at the probe's accuracy.
 */
final class ProbeHeadStart {

    /** Full-batch iterations of the fit. */
    static final int ITERATIONS = 400;
    private static final int BATCH = 256;
    private static final Logger logger = LoggerFactory.getLogger(ProbeHeadStart.class);

    private ProbeHeadStart() {}

    /**
     * @param network the backbone with its head, whose head this sets
     * @param images the labelled images
     * @param labels their class ids
     * @param imageSize the backbone's input side
     * @param channels the backbone's input channels
     */
    static void fit(FineTuneNetwork network, ImageSource images, int[] labels, int imageSize, int channels) {
        long t0 = System.nanoTime();
        int n = images.size();
        BackbonePreprocessor preprocessor = new BackbonePreprocessor(channels, imageSize);
        int per = channels * imageSize * imageSize;
        try (NDManager m = network.manager().newSubManager()) {
            float[] all = null;
            int dim = 0;
            for (int start = 0; start < n; start += BATCH) {
                int count = Math.min(BATCH, n - start);
                float[] x = new float[count * per];
                for (int i = 0; i < count; i++) {
                    preprocessor.apply(images.image(start + i)).copyTo(x, i * per);
                }
                // One scope per batch: the backbone's weights record gradients, so each output holds its graph
                // (every activation) until closed; kept for all 60,000 images they filled 24 GB.
                try (NDManager b = m.newSubManager()) {
                    NDArray batch = b.create(x, new Shape(count, channels, imageSize, imageSize));
                    float[] f = network.backbone().forward(new ParameterStore(b, false), new NDList(batch), false)
                            .singletonOrThrow().toFloatArray();
                    if (all == null) {
                        dim = f.length / count;
                        all = new float[n * dim];
                    }
                    System.arraycopy(f, 0, all, start * dim, f.length);
                }
            }
            NDArray features = m.create(all, new Shape(n, dim));
            NDArray mean = features.mean(new int[] {0});
            NDArray std = features.sub(mean).square().mean(new int[] {0}).sqrt().maximum(1e-6f);
            NDArray z = features.sub(mean).div(std);
            NDArray y = m.create(labels);
            Parameter weightParameter = network.head().getParameters().get("weight");
            Parameter biasParameter = network.head().getParameters().get("bias");
            long classes = weightParameter.getArray().getShape().get(0);
            NDArray w = m.zeros(new Shape(dim, classes));
            NDArray b = m.zeros(new Shape(classes));
            Adam adam = new Adam(m, w, b);
            float lambda = 1f / n; // LibLinear's C = 1: ½‖W‖² + Σ loss, divided by n
            float loss = Float.NaN;
            for (int it = 1; it <= ITERATIONS; it++) {
                // Every array an iteration makes (its graph too) is attached to the manager of its first operand;
                // lending the operands to a scope of the iteration frees them all when it closes.
                try (NDManager scope = m.newSubManager()) {
                    for (NDArray a : new NDArray[] {z, y, w, b}) {
                        a.tempAttach(scope);
                    }
                    adam.lendTo(scope);
                    w.setRequiresGradient(true);
                    b.setRequiresGradient(true);
                    try (GradientCollector gc = OfflineEngine.get().newGradientCollector()) {
                        NDArray l = SoftmaxCrossEntropy.of(z.matMul(w).add(b), y)
                                .add(Scalars.times(w.square().sum(), lambda / 2));
                        loss = l.getFloat();
                        gc.backward(l);
                    }
                    adam.step(it, w.getGradient(), b.getGradient());
                }
            }
            // logits = ((f − μ)/σ)·W + b = f·(W/σ) − (μ/σ)·W + b; the head computes f·Wᵀ + bias.
            NDArray scaled = w.div(std.reshape(dim, 1));
            NDArray bias = b.sub(mean.div(std).reshape(1, dim).matMul(w).reshape(classes));
            weightParameter.getArray().set(scaled.transpose().toFloatArray());
            biasParameter.getArray().set(bias.toFloatArray());
            logger.info(String.format(Locale.ROOT, "head started from a linear probe on %d frozen feature vectors"
                    + " (L2 logistic regression, loss %.4f after %d iterations, %.1f s)", n, loss, ITERATIONS,
                    (System.nanoTime() - t0) / 1e9));
        }
    }

    /** Adam (β 0.9 / 0.999, learning rate 0.05) on the probe's two arrays. */
    private static final class Adam {
        private static final float RATE = 0.05f;
        private final NDArray[] weights;
        private final NDArray[] first;
        private final NDArray[] second;

        Adam(NDManager m, NDArray w, NDArray b) {
            weights = new NDArray[] {w, b};
            first = new NDArray[] {m.zeros(w.getShape()), m.zeros(b.getShape())};
            second = new NDArray[] {m.zeros(w.getShape()), m.zeros(b.getShape())};
        }

        /** @param scope a scope of one iteration, to which the buffers are lent until it closes */
        void lendTo(NDManager scope) {
            for (int i = 0; i < 2; i++) {
                first[i].tempAttach(scope);
                second[i].tempAttach(scope);
            }
        }

        void step(int t, NDArray gw, NDArray gb) {
            NDArray[] grads = {gw, gb};
            float c1 = 1f - (float) Math.pow(0.9, t);
            float c2 = 1f - (float) Math.pow(0.999, t);
            for (int i = 0; i < 2; i++) {
                first[i].muli(0.9f).addi(grads[i].mul(0.1f));
                second[i].muli(0.999f).addi(grads[i].square().mul(0.001f));
                NDArray update = first[i].div(c1).div(second[i].div(c2).sqrt().add(1e-8f)).mul(RATE);
                weights[i].setRequiresGradient(false);
                weights[i].subi(update);
                grads[i].muli(0f); // the engine accumulates gradients: clear them for the next iteration
            }
        }
    }
}
