package org.byol4j.pretrain;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.method.StepPhases;
import org.byol4j.method.StepViews;

/** A method that hands everything to another; tests override the part they change (the forward pass, afterStep). */
abstract class DelegatingMethod implements PretrainingMethod {

    /** The method delegated to. */
    protected final PretrainingMethod method;

    /** @param method the method delegated to (closed with this one) */
    DelegatingMethod(PretrainingMethod method) {
        this.method = method;
    }

    @Override
    public Forward forward(ParameterStore ps, StepViews views, StepPhases phases) {
        return method.forward(ps, views, phases);
    }

    @Override
    public NDManager manager() {
        return method.manager();
    }

    @Override
    public List<Parameter> trainableParameters() {
        return method.trainableParameters();
    }

    @Override
    public String parameterPath(Parameter parameter) {
        return method.parameterPath(parameter);
    }

    @Override
    public Map<String, Float> learningRateScales() {
        return method.learningRateScales();
    }

    @Override
    public Map<String, Double> afterStep(long step, Forward forward) {
        return method.afterStep(step, forward);
    }

    @Override
    public Block backbone() {
        return method.backbone();
    }

    @Override
    public Map<String, String> derivedSettings() {
        return method.derivedSettings();
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        method.save(out);
    }

    @Override
    public void load(DataInputStream in) throws IOException, MalformedModelException {
        method.load(in);
    }

    @Override
    public void close() {
        method.close();
    }
}
