package org.byol4j.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A training step's loss came out NaN or infinite. The step stops before its backward pass, so the trainable weights
 * stay as they were when the loss was computed (BatchNorm's running statistics have seen that forward pass), and the
 * message says where the non-finite value came from: the batch's pixels, weights an earlier update had already
 * broken (named), or, with both finite, the forward pass itself (with the largest weight magnitude, which tells
 * exploded-but-finite weights from ordinary ones).
 */
public final class DivergedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;
    private static final int NAMES_SHOWN = 3;

    private final long step;
    private final boolean inputFinite;

    private DivergedException(long step, boolean inputFinite, String message) {
        super(message);
        this.step = step;
        this.inputFinite = inputFinite;
    }

    /**
     * Looks at the step's inputs and weights and says which of them was not finite.
     *
     * @param loss the non-finite loss
     * @param step the step, counted from 1
     * @param batch the step's view pairs
     * @param method the method whose trainable parameters, as they were for the forward pass, are checked and named
     *     by their {@link PretrainingMethod#parameterPath path}
     * @return the exception to throw
     */
    public static DivergedException diagnose(double loss, long step, ViewBatch batch, PretrainingMethod method) {
        int badPixels = nonFinite(batch.view1()) + nonFinite(batch.view2());
        WeightScan weights = WeightScan.of(method);
        String cause;
        if (badPixels > 0) {
            cause = String.format(Locale.ROOT, "the batch holds %d non-finite pixel values", badPixels);
        } else if (!weights.broken().isEmpty()) {
            cause = String.format(Locale.ROOT, "%d of %d trainable weights held non-finite values before this step "
                    + "(first: %s): an earlier update broke them", weights.broken().size(), weights.count(),
                    String.join(", ", weights.broken().subList(0, Math.min(NAMES_SHOWN, weights.broken().size()))));
        } else {
            cause = String.format(Locale.ROOT, "the batch's pixels and all %d trainable weights were finite (largest"
                    + " |w| %s), so the forward pass itself overflowed (try a lower learning rate)", weights.count(),
                    weights.largest());
        }
        return new DivergedException(step, badPixels == 0, "loss " + loss + " at step " + step + ": " + cause
                + "; this step's update was not applied");
    }

    /**
     * @param method a method
     * @return its largest finite trainable weight magnitude and where, e.g. {@code 3.74, in online backbone ...}: what
     *     a run logs of the state it goes back to, to compare with the state that diverged
     */
    static String largestWeight(PretrainingMethod method) {
        return WeightScan.of(method).largest();
    }

    /** The trainable weights of a method, checked: which hold non-finite values, and the largest finite one. */
    private record WeightScan(int count, List<String> broken, float largestValue, String largestName) {
        static WeightScan of(PretrainingMethod method) {
            List<Parameter> weights = method.trainableParameters();
            List<String> broken = new ArrayList<>();
            float largest = 0f;
            String largestName = "";
            for (Parameter p : weights) {
                float m = maxAbs(p.getArray());
                if (!Float.isFinite(m)) {
                    broken.add(method.parameterPath(p));
                } else if (m >= largest) {
                    largest = m;
                    largestName = method.parameterPath(p);
                }
            }
            return new WeightScan(weights.size(), broken, largest, largestName);
        }

        String largest() {
            return String.format(Locale.ROOT, "%.3g, in %s", largestValue, largestName);
        }
    }

    /** @return the step whose loss was not finite, counted from 1 */
    public long step() {
        return step;
    }

    /**
     * @return whether the batch's pixels were all finite: then the training itself went wrong (weights, or a forward
     *     pass that overflowed), and going back to an earlier state can help; non-finite pixels are bad input
     */
    public boolean inputFinite() {
        return inputFinite;
    }

    private static int nonFinite(float[] values) {
        int n = 0;
        for (float v : values) {
            if (!Float.isFinite(v)) {
                n++;
            }
        }
        return n;
    }

    /** @return max |w|: NaN or infinite exactly when some element of w is */
    private static float maxAbs(NDArray w) {
        try (NDArray abs = w.abs(); NDArray max = abs.max()) {
            return max.getFloat();
        }
    }
}
