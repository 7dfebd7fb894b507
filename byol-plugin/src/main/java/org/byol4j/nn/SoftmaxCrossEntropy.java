package org.byol4j.nn;

import ai.djl.ndarray.NDArray;

/**
 * The classification loss of fine-tuning and of joint training: the mean over the batch of
 * {@code −log softmax(logits)[label]}, computed as a log-softmax so that large logits do not overflow.
 */
public final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {}

    /**
     * @param logits (N, K) scores, one row per sample
     * @param labels (N) class ids in [0, K), any integer or float type
     * @return the scalar mean loss, differentiable with respect to {@code logits}
     */
    public static NDArray of(NDArray logits, NDArray labels) {
        long classes = logits.getShape().get(1);
        NDArray oneHot = labels.toType(ai.djl.ndarray.types.DataType.INT32, false).oneHot((int) classes);
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
    }
}
