package org.byol4j.byol;

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
import org.byol4j.data.ImageSource;
import org.byol4j.nn.Backbone;
import org.byol4j.spi.TrainingListener;
import org.byol4j.spi.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Determinism of whole runs, and exact resume from a checkpoint after a crash. */
class ResumeTest {

    private static final ImageSource IMAGES = TinyRuns.squares(48, 14);

    /** 48 images, batch 8: 6 steps per epoch, 18 in all. */
    private static ByolConfig config(long seed) {
        return TinyRuns.tinyConfig().optSchedule(8, 3).optOptimiser(OptimiserKind.LARS, 0.2f, 1f).optSeed(seed)
                .build();
    }

    private static String train(ByolConfig c, Path dir, int workers, TrainingListener listener) {
        try (Backbone b = new ByolTrainer(c, dir, 4, workers).train(IMAGES, listener)) {
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
        String a = train(config(1), null, 1, TrainingListener.NONE);
        assertEquals(a, train(config(1), null, 3, TrainingListener.NONE));
        assertNotEquals(a, train(config(2), null, 1, TrainingListener.NONE));
    }

    @Test
    void aCrashedRunResumesToExactlyTheUninterruptedWeights(@TempDir Path dir) throws IOException {
        String straight = train(config(5), null, 2, TrainingListener.NONE);
        List<Long> checkpoints = new ArrayList<>();
        TrainingListener crashAtTen = new TrainingListener() {
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
        assertTrue(Files.isRegularFile(dir.resolve(Checkpoint.FILE)));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }

        List<Long> resumedSteps = new ArrayList<>();
        TrainingListener record = new TrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                resumedSteps.add(p.step());
            }
        };
        assertEquals(straight, train(config(5), dir, 2, record));
        assertEquals(9L, resumedSteps.get(0), "resumes after the step-8 checkpoint");
        assertEquals(10, resumedSteps.size());
    }

    @Test
    void aCheckpointOfAnotherRecipeIsRefusedWithTheFileNamed(@TempDir Path dir) {
        train(config(5), dir, 1, TrainingListener.NONE);
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> train(config(6), dir, 1, TrainingListener.NONE));
        assertTrue(e.getMessage().contains(Checkpoint.FILE) && e.getMessage().contains("different configuration"),
                e.getMessage());
    }

    @Test
    void aTruncatedCheckpointIsRefusedWithTheFileNamed(@TempDir Path dir) throws IOException {
        train(config(5), dir, 1, TrainingListener.NONE);
        Path file = dir.resolve(Checkpoint.FILE);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> train(config(5), dir, 1, TrainingListener.NONE));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }
}
