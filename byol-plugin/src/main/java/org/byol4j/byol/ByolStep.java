package org.byol4j.byol;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.byol4j.data.ViewBatch;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.optim.StatefulOptimizer;

/**
 * One BYOL optimiser step on one batch of view pairs: target projections of both views (no gradient), online
 * predictions of both views, the symmetric {@link ByolLoss}, backward, and an optimiser update of the online
 * network's trainable parameters only. The target update is the caller's next move (it needs τ_k).
 *
 * <p>Every array of the step lives in a sub-manager closed before returning; the optimiser closes its own
 * temporaries, so off-heap memory stays flat however many steps run.
 */
final class ByolStep {

    private final ByolNetworks nets;
    private final StatefulOptimizer optimiser;
    private final boolean joint;

    ByolStep(ByolNetworks nets, StatefulOptimizer optimiser, boolean jointViewForward) {
        this.nets = nets;
        this.optimiser = optimiser;
        this.joint = jointViewForward;
    }

    /** The measured outcome of a step. */
    record Result(double loss, double collapseStd) {}

    /**
     * @param batch the view pairs
     * @param phases receives the time of each phase (the caller started it)
     * @return the step's loss and collapse monitor
     */
    Result run(ViewBatch batch, StepPhases phases) {
        try (NDManager sm = nets.manager.newSubManager()) {
            Shape shape = new Shape(batch.size(), batch.channels(), batch.side(), batch.side());
            NDArray v1 = sm.create(batch.view1(), shape);
            NDArray v2 = sm.create(batch.view2(), shape);
            phases.end(StepPhases.Phase.UPLOAD);
            ParameterStore ps = new ParameterStore(sm, false);
            NDList targets = joint ? nets.target.forward(ps, v1.concat(v2)).split(2)
                    : new NDList(nets.target.forward(ps, v1), nets.target.forward(ps, v2));
            phases.end(StepPhases.Phase.TARGET_FORWARD);
            float loss;
            float collapse;
            try (GradientCollector gc = OfflineEngine.get().newGradientCollector()) {
                NDArray p1;
                NDArray p2;
                NDArray z1;
                if (joint) {
                    OnlineNetwork.Output o = nets.online.forward(ps, v1.concat(v2));
                    NDList p = o.prediction.split(2);
                    p1 = p.get(0);
                    p2 = p.get(1);
                    z1 = o.projection.split(2).get(0);
                } else {
                    OnlineNetwork.Output o1 = nets.online.forward(ps, v1);
                    OnlineNetwork.Output o2 = nets.online.forward(ps, v2);
                    p1 = o1.prediction;
                    p2 = o2.prediction;
                    z1 = o1.projection;
                }
                NDArray l = ByolLoss.symmetric(p1, p2, targets.get(0), targets.get(1));
                loss = l.getFloat();
                phases.end(StepPhases.Phase.ONLINE_FORWARD);
                gc.backward(l);
                phases.end(StepPhases.Phase.BACKWARD);
                collapse = CollapseMonitor.normalisedStd(z1);
            }
            for (Parameter p : nets.trainable) {
                NDArray w = p.getArray();
                try (NDArray g = w.getGradient()) {
                    optimiser.update(p.getId(), w, g);
                    g.muli(0f);
                }
            }
            phases.end(StepPhases.Phase.OPTIMISER);
            return new Result(loss, collapse);
        }
    }
}
