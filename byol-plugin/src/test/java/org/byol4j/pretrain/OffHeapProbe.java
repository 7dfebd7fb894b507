package org.byol4j.pretrain;

import static org.byol4j.method.PretrainingConfig.BACKBONE;
import static org.byol4j.method.PretrainingConfig.BASE_LEARNING_RATE;
import static org.byol4j.method.PretrainingConfig.BATCH_SIZE;
import static org.byol4j.method.PretrainingConfig.EPOCHS;
import static org.byol4j.method.PretrainingConfig.IMAGE_SIZE;
import static org.byol4j.method.PretrainingConfig.INPUT_CHANNELS;
import static org.byol4j.method.PretrainingConfig.OPTIMISER;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_HIDDEN;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_OUTPUT;
import static org.byol4j.method.PretrainingConfig.SEED;
import static org.byol4j.method.PretrainingConfig.WARMUP_EPOCHS;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.byol4j.byol.ByolConfig;
import org.byol4j.engine.LiveArrays;
import org.byol4j.method.OptimiserKind;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.method.RunLength;
import org.byol4j.method.StepPhases;
import org.byol4j.optim.Lars;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.views.ViewBatch;

/**
 * Runs full BYOL steps (forward, backward, LARS, EMA) in a JVM of its own and prints, every few steps, the
 * process's resident memory and the number of live NDArrays in the whole engine. {@link MemoryLeakTest}
 * starts it as a child process so that no other test, and no growth of the Java heap (fixed and pre-touched
 * by the parent's command line), can move the numbers.
 *
 * <p>Arguments: {@code mode warmupSteps measuredSteps sampleEvery}. Modes: {@code clean} (the real step),
 * {@code leak-attached} (also leaks one array per step that stays registered with the networks' manager) and
 * {@code leak-detached} (also keeps one array per step, the size of the stem's activation, that no manager
 * tracks), the last two
 * proving that the check catches a leak. Output lines: {@code sample <step> <rssKiB> <liveArrays>}.
 */
final class OffHeapProbe {

    /**
     * Zero: the weights stay at their initial values, so the same batch gives the same finite step every time. This
     * probe measures memory, not training, and the operations per step (forward, backward, the optimiser's update,
     * the moving average) and so the memory are the same at any rate. At 0.01 one run in three diverged (a β at 2e26
     * at step 1,060); at 0.001 two runs of 2026-12-06 went non-finite at steps 3 and 5 and stayed so
     * (bench/NOTES.md entry 14).
     */
    private static final float LEARNING_RATE = 0f;

    /** The arrays leaked on purpose in {@code leak-detached} mode. */
    private static final List<NDArray> HELD = new ArrayList<>();

    private OffHeapProbe() {}

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        int warmup = Integer.parseInt(args[1]);
        int measured = Integer.parseInt(args[2]);
        int every = Integer.parseInt(args[3]);
        ByolConfig config = ByolConfig.builder()
                .set(BACKBONE, "resnet20-small-w0.25").set(INPUT_CHANNELS, 1).set(IMAGE_SIZE, 16)
                .set(PROJECTOR_HIDDEN, 64).set(PROJECTOR_OUTPUT, 16)
                .set(BATCH_SIZE, 32).set(EPOCHS, 2)
                .set(OPTIMISER, OptimiserKind.LARS).set(BASE_LEARNING_RATE, 0.2f)
                .set(WARMUP_EPOCHS, 0f).set(SEED, 7L)
                .build();
        try (PretrainingMethod nets = config.newMethod(new RunLength(warmup + measured, 0, warmup + measured));
                StatefulOptimizer opt = Lars.builder().setLearningRateTracker((id, n) -> LEARNING_RATE).build()) {
            PretrainingStep step = new PretrainingStep(nets, opt);
            ViewBatch batch = TinyRuns.randomBatch(config, 3);
            StepPhases phases = new StepPhases();
            NDManager root = LiveArrays.root(nets.manager());
            for (int k = 0; k < warmup + measured; k++) {
                step.run(batch, k, phases);
                leak(mode, nets.manager(), batch);
                if (k + 1 >= warmup && (k + 1 - warmup) % every == 0) {
                    System.out.printf(Locale.ROOT, "sample %d %d %d%n", k + 1 - warmup, rssKiB(),
                            root.getManagedArrays().size());
                }
            }
        }
    }

    private static void leak(String mode, NDManager manager, ViewBatch batch) {
        switch (mode) {
            case "clean":
                break;
            case "leak-attached":
                manager.create(1f);
                break;
            case "leak-detached":
                // Allocated by libtorch itself and kept reachable, as a growing cache would: an unreachable
                // detached array is freed by the garbage collector and is not a leak.
                NDArray a = manager.ones(new Shape(batch.size(), 16, batch.globalSide(), batch.globalSide()));
                a.detach();
                HELD.add(a);
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + mode);
        }
    }


    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
