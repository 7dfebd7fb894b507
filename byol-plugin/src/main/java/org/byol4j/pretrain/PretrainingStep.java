package org.byol4j.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.optim.StatefulOptimizer;

/**
 * One optimiser step of any {@link PretrainingMethod} on one batch of view pairs: upload, the method's forward
 * passes and loss, backward, an optimiser update of the method's trainable parameters (gradients zeroed after), then
 * the method's {@link PretrainingMethod#afterStep(long)}. A non-finite loss stops the step before its backward pass
 * ({@link DivergedException}), so no NaN reaches the trainable weights.
 *
 * <p>Every array of the step lives in a sub-manager closed before returning; the optimiser closes its own
 * temporaries, so off-heap memory stays flat however many steps run.
 */
public final class PretrainingStep {

    private final PretrainingMethod method;
    private final StatefulOptimizer optimiser;

    /**
     * @param method the method whose step it is
     * @param optimiser the optimiser of its trainable parameters
     */
    public PretrainingStep(PretrainingMethod method, StatefulOptimizer optimiser) {
        this.method = method;
        this.optimiser = optimiser;
    }

    /**
     * The measured outcome of a step.
     *
     * @param loss the loss
     * @param metrics the method's metrics of the forward pass and of its after-step update
     */
    public record Result(double loss, Map<String, Double> metrics) {}

    /**
     * @param batch the view pairs
     * @param step steps taken before this one
     * @param phases receives the time of each phase (started by the caller with {@link StepPhases#start()})
     * @return the step's loss and metrics
     * @throws DivergedException when the loss is not finite; nothing is updated then
     */
    public Result run(ViewBatch batch, long step, StepPhases phases) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        float loss;
        try (NDManager sm = method.manager().newSubManager()) {
            Shape shape = new Shape(batch.size(), batch.channels(), batch.side(), batch.side());
            NDArray v1 = sm.create(batch.view1(), shape);
            NDArray v2 = sm.create(batch.view2(), shape);
            phases.end(StepPhases.Phase.UPLOAD);
            try (GradientCollector gc = OfflineEngine.get().newGradientCollector()) {
                PretrainingMethod.Forward f = method.forward(new ParameterStore(sm, false), v1, v2, phases);
                loss = f.loss().getFloat();
                if (!Float.isFinite(loss)) {
                    throw DivergedException.diagnose(loss, step + 1, batch, method);
                }
                metrics.putAll(f.metrics());
                phases.end(StepPhases.Phase.FORWARD);
                gc.backward(f.loss());
                phases.end(StepPhases.Phase.BACKWARD);
            }
            for (Parameter p : method.trainableParameters()) {
                NDArray w = p.getArray();
                try (NDArray g = w.getGradient()) {
                    optimiser.update(p.getId(), w, g);
                    g.muli(0f);
                }
            }
            phases.end(StepPhases.Phase.OPTIMISER);
        }
        metrics.putAll(method.afterStep(step + 1));
        phases.end(StepPhases.Phase.AFTER_STEP);
        return new Result(loss, metrics);
    }
}
