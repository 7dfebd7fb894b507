package org.byol4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * Checks where blocked-layout (MKLDNN) arrays are offered, that a copy round-trips exactly, and that the in-place
 * residual sum of the inference form runs and is right wherever they are: on a machine that lists no CPU caches that
 * sum ended the JVM (SIGFPE in oneDNN), so this test could not finish there before {@link MkldnnTensors#isAvailable}
 * left such machines out.
 */
class MkldnnTensorsTest {

    @Test
    void notOfferedWhereTheMachineListsNoCachesOrOneDnnIsOff() {
        if (!ConvolutionGuard.cpuCachesListed() || ConvolutionGuard.isOneDnnOff()) {
            assertFalse(MkldnnTensors.isAvailable(Device.cpu()));
        }
    }

    @Test
    void aBlockedCopyRoundTripsExactlyWhereOffered() {
        if (!MkldnnTensors.isAvailable(Device.cpu())) {
            return;
        }
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray plain = m.create(new float[] {1, -2, 3.5f, 4, 5, 6, 7, 8}, new Shape(1, 2, 2, 2));
            NDArray blocked = MkldnnTensors.copyOf(plain, m);
            assertTrue(MkldnnTensors.isMkldnn(blocked));
            assertFalse(MkldnnTensors.isMkldnn(plain));
            assertEquals(plain.getShape(), blocked.getShape());
            assertArrayEquals(plain.toFloatArray(), blocked.toFloatArray());
        }
    }

    @Test
    void theInPlaceSumOfTwoBlockedArraysIsTheHandComputedSum() {
        if (!MkldnnTensors.isAvailable(Device.cpu())) {
            return; // ordinary arrays here: the sum runs on PyTorch's own kernels, covered by every embedding test
        }
        // 2 images, 16 channels (one oneDNN block), 3 x 3: residual-shaped, as the inference form adds them.
        int size = 2 * 16 * 3 * 3;
        float[] a = new float[size];
        float[] b = new float[size];
        float[] expected = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = i * 0.5f - 40;
            b[i] = 3 - i * 0.25f;
            expected[i] = a[i] + b[i]; // exact in float: quarters below 2^20
        }
        Shape shape = new Shape(2, 16, 3, 3);
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray x = MkldnnTensors.copyOf(m.create(a, shape), m);
            NDArray y = MkldnnTensors.copyOf(m.create(b, shape), m);
            NDArray sum = x.addi(y);
            assertTrue(MkldnnTensors.isMkldnn(sum));
            assertArrayEquals(expected, sum.toFloatArray());
        }
    }
}
