package org.byol4j.pretrain;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.backbone.Backbone;
import org.byol4j.backbone.ClassifierHead;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.method.StepPhases;
import org.byol4j.method.StepViews;
import org.byol4j.nn.LinearDefaultInitializer;
import org.byol4j.nn.Scalars;
import org.byol4j.nn.SoftmaxCrossEntropy;
import org.byol4j.views.LabelledBatch;
import org.byol4j.views.LabelledBatches;

/**
 * Joint training (the article's §8.3): any {@link PretrainingMethod} plus λ × the cross-entropy of a linear head on
 * the backbone's features of a labelled batch, in one loss, one backward pass and one optimiser step. The labelled
 * batch of step s is a function of (seed, s) ({@link LabelledBatches}: crop 0.5–1 and flip at the method's view
 * size), drawn beside the unlabelled view pairs of the same step; the step counter travels with the weights in
 * checkpoints, so a resumed run draws the same labelled batches. The head is trained with the backbone's optimiser
 * and learning rate, without LARS's trust ratio ({@link #parametersWithoutTrustRatio}), and is saved with the backbone
 * ({@link ClassifierHead}).
 */
final class JointTraining implements PretrainingMethod {

    /** Metric: the cross-entropy of the step's labelled batch. */
    static final String METRIC = "supervisedLoss";
    /** Mixed into the run's seed for the labelled stream, so its shuffles differ from the unlabelled one's. */
    static final long LABELLED_SEED_SALT = 0x5DEECE66DL;

    private final PretrainingMethod method;
    private final float weight;
    private final LabelledBatches batches;
    private final List<String> classes;
    private final Block head;
    private final List<Parameter> trainable;
    private long step;

    /**
     * @param method the self-supervised method
     * @param weight λ, &gt; 0
     * @param labelled the labelled images
     * @param viewSize the side of the method's views, which the labelled views share
     * @param channels the backbone's input channels
     * @param batchSize labelled images per step (at most the labelled set's size)
     * @param seed the run's seed
     * @param featureDim the backbone's feature dimension, the head's input
     */
    JointTraining(PretrainingMethod method, float weight, LabelledImageSource labelled, int viewSize, int channels,
            int batchSize, long seed, int featureDim) {
        this.method = method;
        this.weight = weight;
        this.classes = labelled.classNames();
        int[] ids = new int[labelled.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = classes.indexOf(labelled.label(i));
            if (ids[i] < 0) {
                throw new IllegalArgumentException(labelled.description() + ": image " + i + " has label '"
                        + labelled.label(i) + "', which is not one of its classes " + classes);
            }
        }
        ViewAugmentation augmentation = ViewAugmentation.cropAndFlip(viewSize, 0.5f, 0.5f);
        this.batches = new LabelledBatches(labelled, ids, augmentation, channels, Math.min(batchSize,
                labelled.size()), seed ^ LABELLED_SEED_SALT);
        this.head = Linear.builder().setUnits(classes.size()).build();
        head.setInitializer(new LinearDefaultInitializer(), Parameter.Type.WEIGHT);
        head.initialize(method.manager(), DataType.FLOAT32, new Shape(1, featureDim));
        List<Parameter> all = new ArrayList<>(method.trainableParameters());
        head.getParameters().values().forEach(all::add);
        this.trainable = List.copyOf(all);
    }

    @Override
    public NDManager manager() {
        return method.manager();
    }

    @Override
    public List<Parameter> trainableParameters() {
        return trainable;
    }

    @Override
    public String parameterPath(Parameter parameter) {
        return head.getParameters().values().contains(parameter) ? "classifier head " + parameter.getName()
                : method.parameterPath(parameter);
    }

    @Override
    public Map<String, Float> learningRateScales() {
        return method.learningRateScales();
    }

    @Override
    public Set<String> constantLearningRateParameters() {
        return method.constantLearningRateParameters();
    }

    /**
     * The head as plain SGD: under LARS its step is a fixed share of its norm whatever the gradient, so once the
     * labelled batches are separable its weights grow geometrically (measured: cross-entropy in the millions by
     * step 468 of a 6-minute run at 1 % labels); plus whatever the method itself excludes.
     */
    @Override
    public Set<String> parametersWithoutTrustRatio() {
        Set<String> out = new java.util.HashSet<>(method.parametersWithoutTrustRatio());
        head.getParameters().values().forEach(p -> out.add(p.getId()));
        return out;
    }

    /** The method's loss plus λ × the head's cross-entropy on this step's labelled batch. */
    @Override
    public Forward forward(ParameterStore ps, StepViews views, StepPhases phases) {
        Forward own = method.forward(ps, views, phases);
        LabelledBatch batch = batches.forStep(step);
        NDManager m = views.global(0).getManager();
        NDArray x = m.create(batch.pixels(), new Shape(batch.size(), batch.channels(), batch.side(), batch.side()));
        NDArray features = method.backbone().forward(ps, new NDList(x), true).singletonOrThrow();
        NDArray logits = head.forward(ps, new NDList(features), true).singletonOrThrow();
        NDArray crossEntropy = SoftmaxCrossEntropy.of(logits, m.create(batch.labels()));
        Map<String, Double> metrics = new LinkedHashMap<>(own.metrics());
        metrics.put(METRIC, (double) crossEntropy.getFloat());
        return new Forward(own.loss().add(Scalars.times(crossEntropy, weight)), metrics, own.outputs());
    }

    /** Moves to the next labelled batch; the method's own update sees its outputs. */
    @Override
    public Map<String, Double> afterStep(long step, Forward forward) {
        this.step = step;
        return method.afterStep(step, forward);
    }

    @Override
    public Block backbone() {
        return method.backbone();
    }

    /** @return the head as it is now, with its class names */
    ClassifierHead classifierHead() {
        return new ClassifierHead(classes, Backbone.parametersOf(head));
    }

    @Override
    public Map<String, String> derivedSettings() {
        Map<String, String> out = new LinkedHashMap<>(method.derivedSettings());
        out.put("labelledImages", batches.description());
        out.put("labelledBatchSize", Integer.toString(batches.batchSize()));
        out.put("supervisedHead", String.format(Locale.ROOT, "linear, %d classes, cross-entropy x %s", classes.size(),
                weight));
        return out;
    }

    /** The method's weights, the head's, then the step whose labelled batch comes next. */
    @Override
    public void save(DataOutputStream out) throws IOException {
        method.save(out);
        head.saveParameters(out);
        out.writeLong(step);
    }

    @Override
    public void load(DataInputStream in) throws IOException, MalformedModelException {
        method.load(in);
        List<NDArray> before = head.getParameters().values().stream().map(Parameter::getArray).toList();
        head.loadParameters(method.manager(), in);
        for (Parameter p : head.getParameters().values()) {
            p.getArray().setRequiresGradient(true);
        }
        List<NDArray> after = head.getParameters().values().stream().map(Parameter::getArray).toList();
        for (NDArray old : before) {
            if (!after.contains(old)) {
                old.close();
            }
        }
        step = in.readLong();
    }

    @Override
    public void close() {
        method.close();
    }
}
