package org.byol4j.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.method.AbstractPretrainingMethod;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.method.StepPhases;
import org.byol4j.method.StepViews;
import org.byol4j.nn.FiniteCheck;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.views.ViewBatch;

/**
 * One optimiser step of any {@link PretrainingMethod} on one batch of views: upload, the method's forward
 * passes and loss, backward, an optimiser update of the method's trainable parameters (gradients zeroed after), then
 * the method's {@link PretrainingMethod#afterStep(long, PretrainingMethod.Forward)}. The step is accepted only when its
 * loss, every gradient and the backbone's BatchNorm running statistics (which the forward pass updates and the saved
 * backbone uses) are finite: otherwise it stops before any weight is updated ({@link DivergedException}), so no NaN or ∞ reaches the
 * trainable weights, and the caller goes back to a saved state (BatchNorm statistics included) or stops. A finite loss
 * does not imply finite gradients (a square root at 0, a division by a vanishing norm), hence the gradient check.
 *
 * <p>Every array of the step lives in a sub-manager closed before returning; the optimiser closes its own
 * temporaries, so off-heap memory stays flat however many steps run.
 */
public final class PretrainingStep {

    private final PretrainingMethod method;
    private final StatefulOptimizer optimiser;
    private final List<String> gradientNames;
    private final List<String> statisticNames = new ArrayList<>();
    private final List<Parameter> statistics = new ArrayList<>();

    /**
     * @param method the method whose step it is
     * @param optimiser the optimiser of its trainable parameters
     */
    public PretrainingStep(PretrainingMethod method, StatefulOptimizer optimiser) {
        this.method = method;
        this.optimiser = optimiser;
        this.gradientNames = method.trainableParameters().stream().map(method::parameterPath).toList();
        for (Pair<String, Parameter> p : method.backbone().getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                statisticNames.add("backbone " + p.getKey());
                statistics.add(p.getValue());
            }
        }
    }

    /**
     * The measured outcome of a step.
     *
     * @param loss the loss
     * @param metrics the method's metrics of the forward pass and of its after-step update
     */
    public record Result(double loss, Map<String, Double> metrics) {}

    /**
     * @param batch the views
     * @param step steps taken before this one
     * @param phases receives the time of each phase (started by the caller with {@link StepPhases#start()})
     * @return the step's loss and metrics
     * @throws DivergedException when the loss, a gradient or a running statistic of the backbone is not finite;
     *     no weight is updated then
     */
    public Result run(ViewBatch batch, long step, StepPhases phases) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        float loss;
        try (NDManager sm = method.manager().newSubManager()) {
            StepViews views = upload(sm, batch);
            phases.end(StepPhases.Phase.UPLOAD);
            PretrainingMethod.Forward f;
            try (GradientCollector gc = OfflineEngine.get().newGradientCollector()) {
                f = method.forward(new ParameterStore(sm, false), views, phases);
                loss = f.loss().getFloat();
                if (!Float.isFinite(loss)) {
                    throw DivergedException.diagnose(loss, step + 1, batch, method);
                }
                metrics.putAll(f.metrics());
                phases.end(StepPhases.Phase.FORWARD);
                gc.backward(f.loss());
                phases.end(StepPhases.Phase.BACKWARD);
            }
            List<Parameter> trainable = method.trainableParameters();
            NDList gradients = new NDList(trainable.size());
            for (Parameter p : trainable) {
                NDArray g = p.getArray().getGradient();
                g.attach(sm);
                gradients.add(g);
            }
            // A refused step leaves its gradients as they are: going back loads new arrays, with new gradients,
            // for every parameter (AbstractPretrainingMethod.load), and a run that cannot go back stops.
            List<String> bad = FiniteCheck.nonFinite(gradientNames, gradients);
            if (!bad.isEmpty()) {
                throw DivergedException.nonFinite(step + 1, loss, "gradients", bad, trainable.size());
            }
            bad = FiniteCheck.nonFinite(statisticNames, statistics.stream().map(Parameter::getArray).toList());
            if (!bad.isEmpty()) {
                throw DivergedException.nonFinite(step + 1, loss, "BatchNorm running statistics", bad,
                        statistics.size());
            }
            for (int i = 0; i < trainable.size(); i++) {
                Parameter p = trainable.get(i);
                NDArray g = gradients.get(i);
                optimiser.update(p.getId(), p.getArray(), g);
                g.muli(0f);
            }
            phases.end(StepPhases.Phase.OPTIMISER);
            metrics.putAll(method.afterStep(step + 1, f));
            phases.end(StepPhases.Phase.AFTER_STEP);
        }
        return new Result(loss, metrics);
    }

    /**
     * @param sm the manager the arrays belong to
     * @param batch the views
     * @return the batch's global and local views as arrays
     */
    static StepViews upload(NDManager sm, ViewBatch batch) {
        Shape global = new Shape(batch.size(), batch.channels(), batch.globalSide(), batch.globalSide());
        Shape local = new Shape(batch.size(), batch.channels(), batch.localSide(), batch.localSide());
        NDList g = new NDList(batch.global().size());
        for (float[] v : batch.global()) {
            g.add(sm.create(v, global));
        }
        NDList l = new NDList(batch.local().size());
        for (float[] v : batch.local()) {
            l.add(sm.create(v, local));
        }
        return new StepViews(g, l);
    }
}
