package org.byol4j.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps convolutions correct, and the process alive, on machines where libtorch's oneDNN kernels fail.
 *
 * <p>On some machines (seen on a 2-core AMD EPYC virtual machine whose CPUID reports no cache hierarchy), oneDNN
 * 3.7.1 in libtorch 2.7.1 returns garbage, often NaN, from the blocked convolution kernels whenever a channel count
 * is not a multiple of the kernels' 16-channel block: the input gradient of a 4-channel 3×3 convolution differs on
 * every call. Convolutions whose channels are all multiples of 16 (every preset architecture) are right there too.
 * On other machines every shape is right.
 *
 * <p>On the same machines oneDNN ends the process (SIGFPE in its blocking estimate, which divides by cache sizes,
 * while it plans the backward pass) for some 1×1, stride-2 convolutions between wide layers: 256 or 512 to 1,024
 * channels, 512 or 1,024 to 2,048, and 1,024 to 512 (in no byol4j architecture) crashed; 64 to 1,024, 768 to 1,024
 * and all up to 512 channels did not. ResNet-50 and ResNet-18 at width 2 have such shortcuts. No probe survives
 * that, so the guard goes by the machine: where Linux lists no CPU caches (it reads them from the same CPUID
 * leaves) and a network has a 1×1, stride-2 convolution to {@value #WIDE_SHORTCUT} or more channels, oneDNN is
 * switched off before it runs.
 *
 * <p>Every convolution byol4j builds is registered here before it first runs. When one has a channel count off
 * the block (or channel groups), a one-off probe compares oneDNN's input gradient of two such convolutions with
 * PyTorch's own im2col kernels; if they disagree, oneDNN (and NNPACK) are switched off for the whole process, with a
 * warning: correct, about 2× slower convolutions. The system property {@value #PROPERTY} overrides both checks:
 * {@code auto} (the default), {@code on} (never probe, keep oneDNN) or {@code off} (always PyTorch's own kernels).
 */
public final class ConvolutionGuard {

    /** System property choosing the policy: {@code auto}, {@code on} or {@code off}. */
    public static final String PROPERTY = "byol4j.onednn";

    /** oneDNN's channel block on AVX-512 machines; shapes that are multiples of it were right everywhere. */
    static final int CHANNEL_BLOCK = 16;

    /** The fewest output channels of a 1×1, stride-2 convolution that oneDNN may crash on without cache sizes. */
    static final int WIDE_SHORTCUT = 1024;

    private static final Path CPU_CACHES = Path.of("/sys/devices/system/cpu/cpu0/cache");
    private static final Logger LOGGER = LoggerFactory.getLogger(ConvolutionGuard.class);
    private static final int PROBE_REPEATS = 3;
    private static final int[][] PROBE_CHANNELS = {{4, 4}, {12, 24}};

    private static Boolean probedFaulty;
    private static boolean oneDnnOff;

    private ConvolutionGuard() {}

    /** The policies {@value #PROPERTY} names. */
    enum Policy {
        AUTO, ON, OFF;

        static Policy fromProperty() {
            String value = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
            for (Policy p : values()) {
                if (p.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("system property " + PROPERTY + " is '"
                    + System.getProperty(PROPERTY) + "': expected auto, on or off");
        }
    }

    /**
     * Registers a convolution before it first runs; switches oneDNN off when this machine needs it.
     *
     * @param outChannels the convolution's output channels
     * @param kernel its square kernel's side
     * @param stride its stride
     * @param groups its channel groups (1 for a dense convolution)
     * @throws IllegalArgumentException when {@value #PROPERTY} holds an unknown value
     * @throws IllegalStateException when oneDNN must be switched off and cannot be
     */
    public static synchronized void register(int outChannels, int kernel, int stride, int groups) {
        Policy policy = Policy.fromProperty();
        if (oneDnnOff || policy == Policy.ON) {
            return;
        }
        if (policy == Policy.OFF) {
            switchOneDnnOff(PROPERTY + "=off", "");
            return;
        }
        if (kernel == 1 && stride == 2 && outChannels >= WIDE_SHORTCUT && !cpuCachesListed()) {
            switchOneDnnOff("this machine reports no CPU caches, and there oneDNN ends the process while it plans the"
                    + " backward pass of a 1x1, stride-2 convolution to " + outChannels + " channels",
                    " (the process may then end in oneDNN)");
            return;
        }
        if (outChannels % CHANNEL_BLOCK == 0 && groups == 1) {
            return;
        }
        if (oneDnnIsWrongHere()) {
            switchOneDnnOff("oneDNN's convolution gradients are wrong on this machine for channel counts that are not"
                    + " a multiple of " + CHANNEL_BLOCK + " (this network has a " + outChannels + "-channel"
                    + (groups == 1 ? "" : ", " + groups + "-group") + " convolution)",
                    " (its results here are then wrong for such networks)");
        }
    }

    /**
     * @return false on an x86 Linux machine that lists no CPU caches under {@code /sys} (Linux reads them from the
     *     CPUID leaves oneDNN reads), true anywhere else
     */
    static boolean cpuCachesListed() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        return !(os.startsWith("linux") && x86) || Files.isDirectory(CPU_CACHES);
    }

    /** @return whether this process now runs convolutions on PyTorch's own kernels instead of oneDNN */
    public static synchronized boolean isOneDnnOff() {
        return oneDnnOff;
    }

    /**
     * @return whether oneDNN's input gradients of small off-block convolutions disagree with PyTorch's own
     *     kernels here (probed once per process)
     */
    static synchronized boolean oneDnnIsWrongHere() {
        if (probedFaulty == null) {
            probedFaulty = probe();
        }
        return probedFaulty;
    }

    private static boolean probe() {
        Context context = Context.open();
        Random random = new Random(20201);
        try (NDManager manager = OfflineEngine.get().newBaseManager()) {
            for (int[] channels : PROBE_CHANNELS) {
                NDArray x = normal(manager, random, new Shape(8, channels[0], 12, 12));
                NDArray w = normal(manager, random, new Shape(channels[1], channels[0], 3, 3));
                NDArray upstream = normal(manager, random, new Shape(8, channels[1], 12, 12));
                context.setOneDnn(false);
                context.setNnpack(false);
                float[] reference = inputGradient(x, w, upstream);
                context.setOneDnn(true);
                context.setNnpack(true);
                for (int r = 0; r < PROBE_REPEATS; r++) {
                    if (!close(inputGradient(x, w, upstream), reference)) {
                        return true;
                    }
                }
            }
            return false;
        } finally {
            // Back to the process's setting: a probe after the guard switched oneDNN off must leave it off.
            context.setOneDnn(!oneDnnOff);
            context.setNnpack(!oneDnnOff);
        }
    }

    private static NDArray normal(NDManager manager, Random random, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, shape);
    }

    private static float[] inputGradient(NDArray x, NDArray w, NDArray upstream) {
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray input = x.duplicate();
            input.attach(scope);
            input.setRequiresGradient(true);
            try (GradientCollector collector = OfflineEngine.get().newGradientCollector()) {
                NDArray y = Conv2d.conv2d(input, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                        .singletonOrThrow();
                collector.backward(y.mul(upstream).sum());
            }
            return input.getGradient().toFloatArray();
        }
    }

    private static boolean close(float[] got, float[] expected) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double tolerance = 1e-4 * scale + 1e-6;
        for (int i = 0; i < got.length; i++) {
            if (!(Math.abs(got[i] - expected[i]) <= tolerance)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param why the reason the warning gives
     * @param ifKept what {@value #PROPERTY}=on would cost here, for the warning; empty when the user chose off
     */
    private static void switchOneDnnOff(String why, String ifKept) {
        Context context = Context.open();
        context.setOneDnn(false);
        // Without oneDNN PyTorch tries NNPACK, which cannot start on such machines and then warns on every call.
        context.setNnpack(false);
        oneDnnOff = true;
        if (ifKept.isEmpty()) {
            LOGGER.warn("Convolutions run on PyTorch's own kernels in this process, about 2x slower: {}.", why);
        } else {
            LOGGER.warn("Convolutions run on PyTorch's own kernels in this process, about 2x slower: {}. Set -D{}=on"
                    + " to keep oneDNN{}.", why, PROPERTY, ifKept);
        }
    }

    /** PyTorch's global {@code at::Context}, reached through JNA: the switches DJL does not expose. */
    private static final class Context {
        private final NativeLibrary library;
        private final Pointer context;

        private Context(NativeLibrary library, Pointer context) {
            this.library = library;
            this.context = context;
        }

        static Context open() {
            Engine engine = OfflineEngine.get();
            try {
                NativeLibrary library = NativeLibrary.getInstance("torch_cpu");
                Pointer context = (Pointer) library.getFunction("_ZN2at13globalContextEv")
                        .invoke(Pointer.class, new Object[0]);
                return new Context(library, context);
            } catch (UnsatisfiedLinkError e) {
                throw new IllegalStateException("cannot reach libtorch's global context to check or switch its"
                        + " oneDNN convolutions (" + engine.getEngineName() + " " + engine.getVersion() + "): "
                        + e.getMessage() + "; set -D" + PROPERTY + "=on to skip the check", e);
            }
        }

        void setOneDnn(boolean enabled) {
            call("_ZN2at7Context20setUserEnabledMkldnnEb", enabled);
        }

        void setNnpack(boolean enabled) {
            call("_ZN2at7Context20setUserEnabledNNPACKEb", enabled);
        }

        private void call(String symbol, boolean value) {
            Function function = library.getFunction(symbol);
            function.invokeVoid(new Object[] {context, value});
        }
    }
}
