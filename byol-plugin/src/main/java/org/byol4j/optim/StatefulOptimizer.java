package org.byol4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DJL {@link Optimizer} whose per-parameter buffers (momentum, Adam moments) and update counts can be saved
 * and restored, so a checkpointed run resumes exactly, learning-rate schedule included. DJL's own optimisers
 * keep that state private; for the same reason this class counts updates itself (from 1, per parameter) and
 * ignores DJL's {@code optBeginNumUpdate}.
 *
 * <p>Buffers live in the parameter's own NDManager, like the parameter; {@link #close()} frees them.
 * Subclasses implement {@link #apply(String, NDArray, NDArray, NDArray[], int, float)} and say how many buffers they
 * keep; they ask their learning-rate tracker for the parameter's own rate ({@code getNewValue(parameterId, n)}), so a
 * tracker may give some parameters a rate of their own (SimSiam's fixed predictor rate).
 */
public abstract class StatefulOptimizer extends Optimizer implements AutoCloseable {

    private final Map<String, NDArray[]> state = new HashMap<>();
    private final Map<String, Integer> updates = new HashMap<>();
    private final int buffersPerParameter;
    private Map<String, Float> learningRateScales = Map.of();
    private Set<String> withoutTrustRatio = Set.of();

    /**
     * @param builder DJL's optimiser builder (rescale, clip, weight decay, first update number)
     * @param buffersPerParameter how many state arrays each parameter gets
     */
    protected StatefulOptimizer(OptimizerBuilder<?> builder, int buffersPerParameter) {
        super(builder);
        this.buffersPerParameter = buffersPerParameter;
    }

    /**
     * Gives some parameters a learning rate that is a multiple of the schedule's (BYOL's faster predictor, Grill et
     * al. 2020 appendix, table 21); every other parameter keeps the schedule's rate.
     *
     * @param scales the multiple per parameter id, each finite and &gt; 0
     * @throws IllegalArgumentException naming the parameter id whose multiple is out of range
     */
    public void setLearningRateScales(Map<String, Float> scales) {
        for (Map.Entry<String, Float> e : scales.entrySet()) {
            float s = e.getValue();
            if (!(s > 0f && Float.isFinite(s))) {
                throw new IllegalArgumentException("learning-rate scale of parameter " + e.getKey()
                        + " must be finite and > 0, got " + s);
            }
        }
        this.learningRateScales = Map.copyOf(scales);
    }

    /**
     * Names parameters that a layer-wise adaptive optimiser updates as plain SGD: no trust ratio (a classifier head
     * trained beside a self-supervised loss, whose LARS trust ratio keeps its step at a fixed share of its norm, so
     * that once its labelled batches are separable its weights grow geometrically).
     *
     * @param parameterIds the parameters' ids
     */
    public void setWithoutTrustRatio(Set<String> parameterIds) {
        this.withoutTrustRatio = Set.copyOf(parameterIds);
    }

    /**
     * @param parameterId a parameter's id
     * @return whether {@link #setWithoutTrustRatio} named it
     */
    protected boolean withoutTrustRatio(String parameterId) {
        return withoutTrustRatio.contains(parameterId);
    }

    /** {@inheritDoc} */
    @Override
    public final void update(String parameterId, NDArray weight, NDArray grad) {
        int numUpdate = updates.merge(parameterId, 1, Integer::sum);
        NDArray[] buffers = state.computeIfAbsent(parameterId, k -> newBuffers(weight));
        apply(parameterId, weight, grad, buffers, numUpdate, learningRateScales.getOrDefault(parameterId, 1f));
    }

    /**
     * Updates one parameter in place.
     *
     * @param parameterId the parameter's id, for the learning-rate tracker
     * @param weight the parameter, changed in place
     * @param grad its gradient, which the update may overwrite as scratch space (callers zero it after the update,
     *     as the next backward pass accumulates into it)
     * @param buffers this parameter's state, changed in place
     * @param numUpdate the update number, from 1
     * @param learningRateScale the multiple of the scheduled learning rate this parameter gets (1 for most)
     */
    protected abstract void apply(String parameterId, NDArray weight, NDArray grad, NDArray[] buffers, int numUpdate,
            float learningRateScale);

    /**
     * Writes the update counts and buffers of the given parameters, in that order (parameters never updated write
     * zeros).
     *
     * @param out the stream
     * @param parameterIds ids in a stable order (the model's parameter order)
     * @param weights the parameters themselves, for the shape of buffers not yet created
     * @throws IOException on write failure
     */
    public void saveState(DataOutputStream out, List<String> parameterIds, List<NDArray> weights) throws IOException {
        out.writeInt(buffersPerParameter);
        out.writeInt(parameterIds.size());
        for (int i = 0; i < parameterIds.size(); i++) {
            out.writeInt(updates.getOrDefault(parameterIds.get(i), 0));
            NDArray[] buffers = state.get(parameterIds.get(i));
            for (int b = 0; b < buffersPerParameter; b++) {
                byte[] bytes;
                if (buffers == null) {
                    try (NDArray zeros = weights.get(i).zerosLike()) {
                        bytes = zeros.encode();
                    }
                } else {
                    bytes = buffers[b].encode();
                }
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /**
     * Restores buffers written by {@link #saveState}.
     *
     * @param in the stream
     * @param parameterIds ids of this run's parameters, in the order they were saved
     * @param manager the manager that owns the model's parameters
     * @throws IOException on read failure or a state that does not fit this optimiser or model
     */
    public void loadState(DataInputStream in, List<String> parameterIds, NDManager manager) throws IOException {
        int buffers = in.readInt();
        int count = in.readInt();
        if (buffers != buffersPerParameter || count != parameterIds.size()) {
            throw new IOException("optimiser state holds " + count + " parameters x " + buffers
                    + " buffers, this model needs " + parameterIds.size() + " x " + buffersPerParameter);
        }
        close();
        for (String id : parameterIds) {
            int updateCount = in.readInt();
            if (updateCount > 0) {
                updates.put(id, updateCount);
            }
            NDArray[] arrays = new NDArray[buffersPerParameter];
            for (int b = 0; b < buffersPerParameter; b++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                arrays[b] = manager.decode(bytes);
            }
            state.put(id, arrays);
        }
    }

    /** Frees every buffer; the optimiser starts from zero state afterwards. */
    @Override
    public void close() {
        for (NDArray[] arrays : state.values()) {
            for (NDArray a : arrays) {
                a.close();
            }
        }
        state.clear();
        updates.clear();
    }

    private NDArray[] newBuffers(NDArray weight) {
        NDArray[] arrays = new NDArray[buffersPerParameter];
        for (int b = 0; b < buffersPerParameter; b++) {
            arrays[b] = weight.zerosLike();
        }
        return arrays;
    }

    /**
     * The parameters LARS (and weight decay generally) leaves alone: biases and BatchNorm γ/β, recognised as
     * tensors of rank ≤ 1, as in the BYOL reference implementation and solo-learn.
     *
     * @param weight a parameter
     * @return whether it is excluded from decay and trust-ratio adaptation
     */
    public static boolean isBiasOrNorm(NDArray weight) {
        return weight.getShape().dimension() <= 1;
    }
}
