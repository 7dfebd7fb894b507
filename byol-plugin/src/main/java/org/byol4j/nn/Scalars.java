package org.byol4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant that stays correct under autograd on DJL's PyTorch engine. DJL's own overloads
 * ({@code x.mul(2f)}, {@code x.div(t)}, {@code x.maximum(eps)}, DJL 0.36) turn the constant into an array over a Java
 * direct buffer and close that array before they return. Where autograd saved the constant for the backward pass (a
 * product saves its other factor, a quotient its divisor, a maximum both inputs), the buffer is freed by the next
 * garbage collection while the saved tensor still points at it, and the backward pass reads whatever that memory
 * holds by then: gradients of 1e30 from a finite loss, at random steps (bench/NOTES.md entry 18). The methods here make
 * the constant in the engine's own memory ({@code NDManager.full}), which the saved tensor keeps alive.
 *
 * <p>Use them wherever a recorded computation (a loss, a forward pass) meets a constant. Adding or subtracting a
 * constant saves nothing for the backward pass, and arithmetic outside a gradient collector records nothing: DJL's
 * overloads are safe there.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * @param x any array
     * @param factor the constant
     * @return {@code x × factor}, differentiable with respect to x
     */
    public static NDArray times(NDArray x, float factor) {
        try (NDArray c = constantLike(x, factor)) {
            return x.mul(c);
        }
    }

    /**
     * @param x any array
     * @param divisor the constant, not 0
     * @return {@code x / divisor}, differentiable with respect to x
     */
    public static NDArray dividedBy(NDArray x, float divisor) {
        try (NDArray c = constantLike(x, divisor)) {
            return x.div(c);
        }
    }

    /**
     * @param x any array
     * @param floor the constant
     * @return {@code max(x, floor)} element-wise, differentiable with respect to x (zero gradient where the floor wins)
     */
    public static NDArray atLeast(NDArray x, float floor) {
        try (NDArray c = constantLike(x, floor)) {
            return x.maximum(c);
        }
    }

    /** A scalar in the engine's own memory: closing this handle leaves any tensor autograd saved intact. */
    private static NDArray constantLike(NDArray x, float value) {
        return x.getManager().full(new Shape(), value, x.getDataType(), x.getDevice());
    }
}
