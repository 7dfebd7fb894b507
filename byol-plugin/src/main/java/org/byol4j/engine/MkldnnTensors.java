package org.byol4j.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtDeviceType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Arrays in oneDNN's own blocked layout (libtorch's MKLDNN tensors), for inference: a convolutional network whose
 * input and weights are in it stays in it from layer to layer, where on ordinary arrays every convolution converts
 * its input, output and weights (bench/NOTES.md entry 16: ResNet-18 at width 0.25 embeds about 1.2× faster).
 *
 * <p>DJL creates such arrays only under the system property {@code ai.djl.pytorch.use_mkldnn}, which applies to
 * every array the process creates from then on, where most operators (sum, permute, ...) refuse them. This class
 * makes one array at a time instead, through the same native call DJL's array creation uses
 * ({@code PyTorchLibrary.torchFromBlob} with libtorch's MKLDNN layout), reached by reflection because DJL keeps it
 * package-private. Where that call is not there (another DJL version, another engine), on a GPU, with oneDNN
 * switched off ({@link ConvolutionGuard}), or on an x86 Linux machine that lists no CPU caches, {@link #isAvailable}
 * is false and callers keep ordinary arrays. On the last (a 2-core AMD EPYC virtual machine with AVX-512 whose
 * CPUID reports no cache hierarchy) oneDNN 3.7.1 ends the process with SIGFPE, an integer division by zero, as soon
 * as it plans the sum of two blocked arrays ({@code simple_sum_t::pd_t::init} sizes its blocks by the cache size),
 * so a residual network could not even be loaded there; ordinary arrays never reach that kernel. The system
 * property {@value #PROPERTY} set to {@code false} switches it off everywhere.
 */
public final class MkldnnTensors {

    /** System property that switches blocked-layout inference off when set to {@code false}. */
    public static final String PROPERTY = "byol4j.mkldnnInference";

    private static final Logger LOGGER = LoggerFactory.getLogger(MkldnnTensors.class);
    /** libtorch's {@code c10::Layout::Mkldnn}, as DJL's JNI numbers layouts. */
    private static final int MKLDNN_LAYOUT = 2;
    private static final MethodHandle FROM_BLOB;
    private static final MethodHandle LAYOUT;

    static {
        MethodHandle fromBlob = null;
        MethodHandle layout = null;
        try {
            Class<?> library = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            Field lib = library.getDeclaredField("LIB");
            lib.setAccessible(true);
            Method blob = library.getDeclaredMethod("torchFromBlob", ByteBuffer.class, long[].class, int.class,
                    int.class, int[].class, boolean.class);
            Method layoutOf = library.getDeclaredMethod("torchLayout", long.class);
            blob.setAccessible(true);
            layoutOf.setAccessible(true);
            Object instance = lib.get(null);
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            fromBlob = lookup.unreflect(blob).bindTo(instance);
            layout = lookup.unreflect(layoutOf).bindTo(instance)
                    .asType(MethodType.methodType(int.class, long.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOGGER.info("blocked-layout (MKLDNN) inference unavailable with this DJL: {}", e.toString());
        }
        FROM_BLOB = fromBlob;
        LAYOUT = layout;
    }

    private MkldnnTensors() {}

    /**
     * @param device where the arrays would live
     * @return whether arrays for {@code device} can be made in oneDNN's layout here
     */
    public static boolean isAvailable(Device device) {
        return FROM_BLOB != null && Device.Type.CPU.equals(device.getDeviceType()) && !ConvolutionGuard.isOneDnnOff()
                && ConvolutionGuard.cpuCachesListed()
                && !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /**
     * @param x an ordinary float32 CPU array
     * @param manager the manager the copy belongs to
     * @return a copy of {@code x} in oneDNN's layout (read it back with {@code toDense()} or {@code toFloatArray()})
     * @throws IllegalStateException when {@link #isAvailable} is false or x is not float32
     */
    public static NDArray copyOf(NDArray x, NDManager manager) {
        if (!isAvailable(x.getDevice()) || x.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException("no blocked-layout copy of a " + x.getDataType() + " array on "
                    + x.getDevice() + " here (" + PROPERTY + "=" + System.getProperty(PROPERTY, "true") + ")");
        }
        ByteBuffer data = x.toByteBuffer(true); // x's own memory, contiguous; the native call copies it
        Device cpu = x.getDevice();
        int[] where = {PtDeviceType.toDeviceType(cpu), cpu.getDeviceId()};
        try {
            long handle = (long) FROM_BLOB.invoke(data, x.getShape().getShape(), DataType.FLOAT32.ordinal(),
                    MKLDNN_LAYOUT, where, false);
            return new PtNDArray((PtNDManager) manager, handle);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("blocked-layout copy failed: " + e, e);
        }
    }

    /**
     * @param x any array
     * @return whether x is in oneDNN's layout (DJL reports such arrays as dense)
     */
    public static boolean isMkldnn(NDArray x) {
        if (LAYOUT == null || !(x instanceof PtNDArray)) {
            return false;
        }
        try {
            return (int) LAYOUT.invokeExact((long) ((PtNDArray) x).getHandle()) == MKLDNN_LAYOUT;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
