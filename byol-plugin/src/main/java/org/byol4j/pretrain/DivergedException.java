package org.byol4j.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.views.ViewBatch;

/**
 * A training step went non-finite: its loss came out NaN or infinite, or, with a finite loss, one of its gradients or
 * of the backbone's BatchNorm running statistics did ({@link #nonFinite}). The step stops before any weight is updated,
 * so the trainable weights stay as they were for the forward pass (BatchNorm's running statistics have seen it), and
 * the message says where the non-finite value came from: the batch's pixels, weights an earlier update had already
 * broken (named), the forward pass itself (with the largest weight magnitude, which tells exploded-but-finite weights
 * from ordinary ones), or the gradients and statistics it names.
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
     * @param batch the step's views
     * @param method the method whose trainable parameters, as they were for the forward pass, are checked and named
     *     by their {@link PretrainingMethod#parameterPath path}
     * @return the exception to throw
     */
    public static DivergedException diagnose(double loss, long step, ViewBatch batch, PretrainingMethod method) {
        int badPixels = 0;
        for (float[] view : batch.global()) {
            badPixels += nonFinite(view);
        }
        for (float[] view : batch.local()) {
            badPixels += nonFinite(view);
        }
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
     * A step whose loss was finite but whose gradients or BatchNorm running statistics were not.
     *
     * @param step the step, counted from 1
     * @param loss its finite loss
     * @param what what was checked, e.g. {@code gradients}
     * @param broken the names of the arrays holding non-finite values
     * @param count how many arrays were checked
     * @return the exception to throw; the pixels were finite (the loss was), so going back may help
     */
    public static DivergedException nonFinite(long step, double loss, String what, List<String> broken, int count) {
        return new DivergedException(step, true, String.format(Locale.ROOT, "non-finite %s at step %d with a finite"
                + " loss %s: %d of %d held NaN or infinite values (first: %s); this step's update was not applied",
                what, step, loss, broken.size(), count, String.join(", ", broken.subList(0, Math.min(NAMES_SHOWN,
                broken.size())))));
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
