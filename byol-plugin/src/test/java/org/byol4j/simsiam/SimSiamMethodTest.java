package org.byol4j.simsiam;

import static org.byol4j.simsiam.SimSiamConfig.FIXED_PREDICTOR_LEARNING_RATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** SimSiam's networks and rates as the paper and its reference code have them (Chen &amp; He 2021, §4). */
class SimSiamMethodTest {

    private static SimSiamConfig tiny(boolean fixedPredictorRate) {
        return SimSiamConfig.builder().optOptions(Map.of("backbone", "resnet20-small-w0.25", "inputChannels", "1",
                "imageSize", "12", "projectorHidden", "16", "projectorOutput", "8", "predictorHidden", "4",
                "batchSize", "8", "epochs", "2")).set(FIXED_PREDICTOR_LEARNING_RATE, fixedPredictorRate).build();
    }

    /** The predictor keeps the peak rate ("fix lr for predictor"): its trainable weights exactly, by default. */
    @Test
    void thePredictorAndOnlyThePredictorKeepsThePeakRate() {
        try (SimSiamMethod method = new SimSiamMethod(tiny(true))) {
            Set<String> predictor = method.trainableParameters().stream()
                    .filter(p -> method.parameterPath(p).startsWith("predictor ")).map(Parameter::getId)
                    .collect(Collectors.toSet());
            assertEquals(6, predictor.size(), "two Linear weights and biases, one BatchNorm γ and β");
            assertEquals(predictor, method.constantLearningRateParameters());
        }
        try (SimSiamMethod method = new SimSiamMethod(tiny(false))) {
            assertEquals(Set.of(), method.constantLearningRateParameters());
        }
        assertTrue(new SimSiamConfig().get(FIXED_PREDICTOR_LEARNING_RATE), "the paper's setting is the default");
    }

    /**
     * The projector's output BatchNorm has no learnable γ/β ({@code BatchNorm1d(dim, affine=False)} in the paper's
     * code): the optimiser never sees them, while the hidden layer's BatchNorm keeps its own.
     */
    @Test
    void theProjectorsOutputBatchNormHasNoLearnableScaleOrShift() {
        try (SimSiamMethod method = new SimSiamMethod(tiny(true))) {
            Set<String> projector = method.trainableParameters().stream().map(method::parameterPath)
                    .filter(p -> p.startsWith("projector ")).collect(Collectors.toSet());
            assertEquals(Set.of("projector 01Linear_weight", "projector 01Linear_bias", "projector 02BatchNorm_gamma",
                    "projector 02BatchNorm_beta", "projector 04Linear_weight", "projector 04Linear_bias"), projector);
            assertFalse(tiny(true).projector().outputAffine());
        }
    }
}
