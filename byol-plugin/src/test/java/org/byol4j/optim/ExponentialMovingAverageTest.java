package org.byol4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import org.byol4j.engine.OfflineEngine;
import org.junit.jupiter.api.Test;

class ExponentialMovingAverageTest {

    private static List<Parameter> linear(NDManager m, int units, float value) {
        Block b = Linear.builder().setUnits(units).build();
        b.initialize(m, DataType.FLOAT32, new Shape(1, 2));
        List<Parameter> out = new ArrayList<>(b.getParameters().values());
        for (Parameter p : out) {
            p.getArray().muli(0).addi(value);
        }
        return out;
    }

    @Test
    void followsTheFormulaByHand() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            List<Parameter> xi = linear(m, 2, 1f);
            List<Parameter> theta = linear(m, 2, 3f);
            ExponentialMovingAverage ema = new ExponentialMovingAverage(xi, theta);
            ema.update(0.75); // 0.75 · 1 + 0.25 · 3 = 1.5
            assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f, 1.5f}, xi.get(0).getArray().toFloatArray(), 1e-6f);
            ema.update(0.5); // 0.5 · 1.5 + 0.5 · 3 = 2.25
            assertArrayEquals(new float[] {2.25f, 2.25f}, xi.get(1).getArray().toFloatArray(), 1e-6f);
            ema.update(1.0);
            assertArrayEquals(new float[] {2.25f, 2.25f}, xi.get(1).getArray().toFloatArray(), 0f, "τ = 1 keeps ξ");
            ema.update(0.0);
            assertArrayEquals(new float[] {3f, 3f}, xi.get(1).getArray().toFloatArray(), 0f, "τ = 0 copies θ");
        }
    }

    @Test
    void mismatchedParameterListsAndBadTauAreRefused() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            List<Parameter> two = linear(m, 2, 1f);
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> new ExponentialMovingAverage(two, linear(m, 3, 1f)));
            assertTrue(shape.getMessage().contains("differs"), shape.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(two, two.subList(0, 1)));
            ExponentialMovingAverage ema = new ExponentialMovingAverage(two, linear(m, 2, 2f));
            assertThrows(IllegalArgumentException.class, () -> ema.update(1.5));
        }
    }
}
