package org.byol4j.pretrain;

import static org.byol4j.method.PretrainingConfig.TOTAL_STEPS;
import static org.byol4j.pretrain.RunSettings.CHECKPOINT_EVERY;
import static org.byol4j.pretrain.RunSettings.WORKERS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.byol4j.backbone.Backbone;
import org.byol4j.byol.ByolConfig;
import org.byol4j.checkpoint.Checkpoint;
import org.byol4j.data.ImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A diverged run goes back to its in-memory copy and repeats the steps: a divergence that does not repeat leaves
 * the run exactly as if it had not happened, and one that repeats, one too many or one on bad pixels stops it
 * with the cause.
 */
class RollbackTest {

    private static final int STEPS = 12;
    private static final ImageSource IMAGES = TinyRuns.squares(32, 12);

    private static Backbone train(PretrainingConfig config) {
        return new Pretrainer(config, RunSettings.defaults().with(WORKERS, 1)).train(IMAGES, PretrainingListener.NONE);
    }

    @Test
    void aDivergenceThatDoesNotRepeatLeavesTheRunAsIfItHadNotHappened() {
        ByolConfig clean = TinyRuns.tinyConfig().set(TOTAL_STEPS, STEPS).build();
        try (Backbone expected = train(clean); Backbone recovered = train(FlakyByolConfig.of(STEPS, 7))) {
            assertArrayEquals(expected.parameters(), recovered.parameters(),
                    "the repeated steps must give the weights of a run that never failed");
            assertEquals("step 7 to 0", recovered.recipe().get("divergenceRollbacks"));
            assertFalse(expected.recipe().containsKey("divergenceRollbacks"), expected.recipe().toString());
            assertEquals(Integer.toString(STEPS), recovered.recipe().get("totalSteps"));
        }
    }

    @Test
    void aDivergenceThatRepeatsStopsTheRun() {
        // forward passes 3 and 6 are both step 3: the second time, after going back to step 0, it fails again
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> train(FlakyByolConfig.of(STEPS, 3, 6)));
        assertInstanceOf(DivergedException.class, e.getCause());
        assertTrue(e.getMessage().startsWith("byol diverged: loss NaN at step 3: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; it diverged again after going back to step 0, so the divergence"
                + " repeats: lower the learning rate"), e.getMessage());
    }

    @Test
    void nonFinitePixelsStopTheRunWithoutGoingBack() {
        ImageSource nanImage = new ImageSource() {
            @Override
            public int size() {
                return IMAGES.size();
            }

            @Override
            public int channels() {
                return IMAGES.channels();
            }

            @Override
            public PixelImage image(int index) {
                PixelImage image = IMAGES.image(index);
                if (index != 5) {
                    return image;
                }
                float[] nan = new float[image.pixels().length];
                Arrays.fill(nan, Float.NaN);
                return new PixelImage(image.channels(), image.height(), image.width(), nan);
            }

            @Override
            public String description() {
                return "squares, one of them NaN";
            }
        };
        ByolConfig config = TinyRuns.tinyConfig().set(TOTAL_STEPS, STEPS).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Pretrainer(config, RunSettings.defaults().with(WORKERS, 1)).train(nanImage,
                        PretrainingListener.NONE));
        assertTrue(e.getMessage().startsWith("byol diverged: loss NaN at step "), e.getMessage());
        assertTrue(e.getMessage().contains("non-finite pixel values"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; this step's update was not applied"), e.getMessage());
    }

    @Test
    void aRunGoesBackAtMostThreeTimes() {
        // steps 3, 4, 5 and 6 each fail once: forward passes 3, 3 + 4, 3 + 4 + 5 and 3 + 4 + 5 + 6
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> train(FlakyByolConfig.of(STEPS, 3, 7, 12, 18)));
        assertTrue(e.getMessage().startsWith("byol diverged: loss NaN at step 6: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; it had gone back 3 times already (step 3 to 0, step 4 to 0, step 5 to"
                + " 0)"), e.getMessage());
    }

    @Test
    void threePassingDivergencesAreAllRecoveredFrom() {
        ByolConfig clean = TinyRuns.tinyConfig().set(TOTAL_STEPS, STEPS).build();
        try (Backbone expected = train(clean); Backbone recovered = train(FlakyByolConfig.of(STEPS, 3, 7, 12))) {
            assertArrayEquals(expected.parameters(), recovered.parameters());
            assertEquals("step 3 to 0, step 4 to 0, step 5 to 0", recovered.recipe().get("divergenceRollbacks"));
        }
    }

    /**
     * A finite loss with non-finite gradients, or a forward pass that leaves a BatchNorm running statistic NaN, on the
     * run's very last step: before the checks, the broken weights or statistics became the returned backbone without
     * an error. Now the step is refused, the run goes back and repeats, and the backbone is the clean run's.
     */
    @ParameterizedTest
    @EnumSource(value = FlakyByolConfig.Failure.class, names = {"GRADIENT", "RUNNING_STATISTIC"})
    void aNonFiniteGradientOrStatisticOnTheLastStepNeverReachesTheBackbone(FlakyByolConfig.Failure failure) {
        ByolConfig clean = TinyRuns.tinyConfig().set(TOTAL_STEPS, STEPS).build();
        try (Backbone expected = train(clean); Backbone recovered = train(FlakyByolConfig.of(failure, STEPS, STEPS))) {
            assertArrayEquals(expected.parameters(), recovered.parameters(), failure + ": the clean run's weights");
            assertEquals("step 12 to 0", recovered.recipe().get("divergenceRollbacks"));
        }
    }

    /** A non-finite gradient that repeats stops the run with the gradients named, and nothing is returned. */
    @Test
    void aRepeatedNonFiniteGradientStopsTheRunNamingTheWeight() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> train(FlakyByolConfig.of(FlakyByolConfig.Failure.GRADIENT, STEPS, 3, 6)));
        assertInstanceOf(DivergedException.class, e.getCause());
        assertTrue(e.getMessage().startsWith("byol diverged: non-finite gradients at step 3 with a finite loss "),
                e.getMessage());
        assertTrue(e.getMessage().contains("(first: online backbone "), e.getMessage());
    }

    /**
     * Checkpoints written on the way to a divergence must not outlive the rollback: steps 1–6 checkpoint at 2, 4 and
     * 6, step 7 diverges and the run goes back to step 0, and a kill right after (before the next save) must leave a
     * directory that resumes on the rolled-back state, not at step 6 on the diverging trajectory.
     */
    @Test
    void aKillRightAfterARollbackResumesOnTheRolledBackState(@TempDir Path dir) throws IOException {
        PretrainingListener killedAfterTheRollback = new PretrainingListener() {
            private long last;

            @Override
            public void onStep(TrainingProgress p) {
                if (p.step() <= last) {
                    throw new IllegalStateException("killed at step " + p.step() + " after going back");
                }
                last = p.step();
            }
        };
        FlakyByolConfig flaky = FlakyByolConfig.of(STEPS, 7);
        IllegalStateException killed = assertThrows(IllegalStateException.class,
                () -> new Pretrainer(flaky, RunSettings.defaults().withCheckpointDir(dir).with(CHECKPOINT_EVERY, 2)
                .with(WORKERS, 1)).train(IMAGES, killedAfterTheRollback));
        assertEquals("killed at step 1 after going back", killed.getMessage());
        List<Path> left = Checkpoint.newestFirst(dir);
        assertEquals(List.of(dir.resolve(Checkpoint.fileName(0))), left, "only the rolled-back state's checkpoint");
        ByolConfig clean = TinyRuns.tinyConfig().set(TOTAL_STEPS, STEPS).build();
        try (Backbone expected = train(clean);
                Backbone resumed = new Pretrainer(FlakyByolConfig.of(STEPS), RunSettings.defaults()
                        .withCheckpointDir(dir).with(CHECKPOINT_EVERY, 2)
                .with(WORKERS, 1)).train(IMAGES,
                        PretrainingListener.NONE)) {
            assertArrayEquals(expected.parameters(), resumed.parameters(), "resumed from step 0, as a clean run");
        }
    }
}
