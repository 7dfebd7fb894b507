package org.byol4j.pretrain;

import static org.byol4j.method.PretrainingConfig.BACKBONE;
import static org.byol4j.method.PretrainingConfig.BASE_LEARNING_RATE;
import static org.byol4j.method.PretrainingConfig.BATCH_SIZE;
import static org.byol4j.method.PretrainingConfig.EPOCHS;
import static org.byol4j.method.PretrainingConfig.OPTIMISER;
import static org.byol4j.method.PretrainingConfig.SEED;
import static org.byol4j.method.PretrainingConfig.WARMUP_EPOCHS;
import static org.byol4j.pretrain.RunSettings.CHECKPOINT_EVERY;
import static org.byol4j.pretrain.RunSettings.WORKERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.byol4j.backbone.Backbone;
import org.byol4j.byol.ByolConfig;
import org.byol4j.checkpoint.Checkpoint;
import org.byol4j.data.ImageSource;
import org.byol4j.method.OptimiserKind;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;
import org.byol4j.spi.TrainingStoppedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Determinism of whole runs, and exact resume from a checkpoint after a crash. */
class ResumeTest {

    private static final ImageSource IMAGES = TinyRuns.squares(48, 14);

    /** 48 images, batch 8: 6 steps per epoch, 18 in all. */
    private static ByolConfig config(long seed) {
        return config("resnet20-small-w0.25", seed);
    }

    private static ByolConfig config(String backbone, long seed) {
        return TinyRuns.tinyConfig().set(BACKBONE, backbone).set(BATCH_SIZE, 8).set(EPOCHS, 3)
                .set(OPTIMISER, OptimiserKind.LARS).set(BASE_LEARNING_RATE, 0.2f).set(WARMUP_EPOCHS, 1f).set(SEED, seed)
                .build();
    }

    private static String train(ByolConfig c, Path dir, int workers, PretrainingListener listener) {
        try (Backbone b = new Pretrainer(c, RunSettings.defaults().withCheckpointDir(dir).with(CHECKPOINT_EVERY, 4)
                .with(WORKERS, workers)).train(IMAGES, listener)) {
            return b.sha256();
        }
    }

    /** Stands for a crash or a kill: thrown from inside the training loop. */
    private static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    @Test
    void aRunIsDeterministicForASeedWhateverTheWorkerCount() {
        String a = train(config(1), null, 1, PretrainingListener.NONE);
        assertEquals(a, train(config(1), null, 3, PretrainingListener.NONE));
        assertNotEquals(a, train(config(2), null, 1, PretrainingListener.NONE));
    }

    @Test
    void aCrashedRunResumesToExactlyTheUninterruptedWeights(@TempDir Path dir) throws IOException {
        String straight = train(config(5), null, 2, PretrainingListener.NONE);
        List<Long> checkpoints = new ArrayList<>();
        PretrainingListener crashAtTen = new PretrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                if (p.step() == 10) {
                    throw new Crash();
                }
            }

            @Override
            public void onCheckpoint(Path path, long step) {
                checkpoints.add(step);
            }
        };
        assertThrows(Crash.class, () -> train(config(5), dir, 2, crashAtTen));
        assertEquals(List.of(4L, 6L, 8L), checkpoints, "every 4 steps and at the end of epoch 1");
        assertEquals(List.of(dir.resolve(Checkpoint.fileName(8)), dir.resolve(Checkpoint.fileName(6))),
                Checkpoint.newestFirst(dir), "the newest two are kept");
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file is left behind");
        }

        List<Long> resumedSteps = new ArrayList<>();
        assertEquals(straight, train(config(5), dir, 2, recordSteps(resumedSteps)));
        assertEquals(9L, resumedSteps.get(0), "resumes after the step-8 checkpoint");
        assertEquals(10, resumedSteps.size());
    }

    /**
     * The same for a network that holds its activations channels-last where oneDNN runs (stages of 8, 16 and 32
     * channels; the quarter-width one the other tests train keeps the plain layout, ResNet.CHANNELS_LAST_BLOCK).
     */
    @Test
    void aChannelsLastNetworkResumesToExactlyTheUninterruptedWeightsToo(@TempDir Path dir) {
        ByolConfig c = config("resnet20-small-w0.5", 5);
        String straight = train(c, null, 1, PretrainingListener.NONE);
        assertThrows(Crash.class, () -> train(c, dir, 1, crashAt(10)));
        List<Long> resumed = new ArrayList<>();
        assertEquals(straight, train(c, dir, 1, recordSteps(resumed)));
        assertEquals(9L, resumed.get(0), "resumes after the step-8 checkpoint");
    }

    @Test
    void aCheckpointOfAnotherRecipeIsRefusedWithTheFileNamed(@TempDir Path dir) {
        train(config(5), dir, 1, PretrainingListener.NONE);
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> train(config(6), dir, 1, PretrainingListener.NONE));
        assertTrue(e.getMessage().contains(Checkpoint.fileName(18))
                && e.getMessage().contains("different configuration"), e.getMessage());
    }

    /** The same options on more images make a longer run (3 epochs of 7 steps, not 6): its schedules differ. */
    @Test
    void aCheckpointOfAnotherRunLengthIsRefusedWithTheFileNamed(@TempDir Path dir) {
        train(config(5), dir, 1, PretrainingListener.NONE);
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> new Pretrainer(config(5), RunSettings.defaults().withCheckpointDir(dir).with(CHECKPOINT_EVERY, 4)
                .with(WORKERS, 1)).train(TinyRuns.squares(56, 14), PretrainingListener.NONE)
                        .close());
        assertTrue(e.getMessage().contains(Checkpoint.fileName(18))
                && e.getMessage().contains("was written for a run of 18 steps, this run has 21 steps"), e.getMessage());
    }

    @Test
    void aTruncatedNewestCheckpointFallsBackToThePreviousOneAndStillEndsExact(@TempDir Path dir) throws IOException {
        String straight = train(config(5), null, 1, PretrainingListener.NONE);
        assertThrows(Crash.class, () -> train(config(5), dir, 1, crashAt(10)));
        truncate(dir.resolve(Checkpoint.fileName(8)));
        List<Long> resumed = new ArrayList<>();
        assertEquals(straight, train(config(5), dir, 1, recordSteps(resumed)));
        assertEquals(7L, resumed.get(0), "resumes after the step-6 checkpoint");
    }

    @Test
    void theTemporaryFileOfAWriteCutByAKillIsRemovedByTheNextCheckpoint(@TempDir Path dir) throws IOException {
        String straight = train(config(5), null, 1, PretrainingListener.NONE);
        assertThrows(Crash.class, () -> train(config(5), dir, 1, crashAt(10)));
        Path cut = dir.resolve(Checkpoint.fileName(12) + ".tmp");
        Files.write(cut, new byte[] {1, 2, 3});
        assertEquals(straight, train(config(5), dir, 1, PretrainingListener.NONE));
        assertTrue(!Files.exists(cut), "the stale temporary file is gone");
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void whenEveryCheckpointIsDamagedTheRunIsRefusedWithEachFileNamed(@TempDir Path dir) throws IOException {
        assertThrows(Crash.class, () -> train(config(5), dir, 1, crashAt(10)));
        for (Path p : Checkpoint.newestFirst(dir)) {
            truncate(p);
        }
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> train(config(5), dir, 1, PretrainingListener.NONE));
        for (long step : List.of(6L, 8L)) {
            String file = dir.resolve(Checkpoint.fileName(step)).toString();
            assertTrue(e.getMessage().contains(file) && e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void aStopRequestEndsTheRunAfterTheStepWithACheckpointToResumeFrom(@TempDir Path dir) {
        String straight = train(config(5), null, 1, PretrainingListener.NONE);
        PretrainingListener stopAtFive = new PretrainingListener() {
            private long step;

            @Override
            public void onStep(TrainingProgress p) {
                step = p.step();
            }

            @Override
            public boolean stopRequested() {
                return step == 5;
            }
        };
        TrainingStoppedException e = assertThrows(TrainingStoppedException.class,
                () -> train(config(5), dir, 1, stopAtFive));
        assertEquals(5, e.step());
        assertEquals(18, e.totalSteps());
        assertEquals(dir.resolve(Checkpoint.fileName(5)), e.checkpoint().orElseThrow());
        assertEquals(straight, train(config(5), dir, 1, PretrainingListener.NONE));
    }

    @Test
    void aListenerCanAskForACheckpointAfterAnyStep(@TempDir Path dir) {
        List<Long> written = new ArrayList<>();
        PretrainingListener atThree = new PretrainingListener() {
            @Override
            public boolean wantsCheckpoint(TrainingProgress p) {
                return p.step() == 3;
            }

            @Override
            public void onCheckpoint(Path path, long step) {
                written.add(step);
            }
        };
        train(config(5), dir, 1, atThree);
        assertEquals(List.of(3L, 4L, 6L, 8L, 12L, 16L, 18L), written);
    }

    private static PretrainingListener crashAt(long step) {
        return new PretrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                if (p.step() == step) {
                    throw new Crash();
                }
            }
        };
    }

    /** @return a listener that appends each step's number to {@code steps} */
    private static PretrainingListener recordSteps(List<Long> steps) {
        return new PretrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                steps.add(p.step());
            }
        };
    }

    private static void truncate(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    }
}
