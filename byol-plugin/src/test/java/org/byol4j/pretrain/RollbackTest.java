package org.byol4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.byol4j.backbone.Backbone;
import org.byol4j.byol.ByolConfig;
import org.byol4j.data.ImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.spi.PretrainingListener;
import org.junit.jupiter.api.Test;

/**
 * A diverged run goes back to its in-memory copy and repeats the steps: a divergence that does not repeat leaves
 * the run exactly as if it had not happened, and one that repeats, one too many or one on bad pixels stops it
 * with the cause.
 */
class RollbackTest {

    private static final int STEPS = 12;
    private static final ImageSource IMAGES = TinyRuns.squares(32, 12);

    private static Backbone train(PretrainingConfig config) {
        return new Pretrainer(config, null, Integer.MAX_VALUE, 1).train(IMAGES, PretrainingListener.NONE);
    }

    @Test
    void aDivergenceThatDoesNotRepeatLeavesTheRunAsIfItHadNotHappened() {
        ByolConfig clean = TinyRuns.tinyConfig().optTotalSteps(STEPS).build();
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
        ByolConfig config = TinyRuns.tinyConfig().optTotalSteps(STEPS).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Pretrainer(config, null, Integer.MAX_VALUE, 1).train(nanImage, PretrainingListener.NONE));
        assertTrue(e.getMessage().startsWith("byol diverged: loss NaN at step "), e.getMessage());
        assertTrue(e.getMessage().contains("non-finite pixel values"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; this step's update was not applied"), e.getMessage());
    }

    @Test
    void aRunGoesBackAtMostThreeTimes() {
        // steps 3, 4, 5 and 6 each fail once: forward passes 3, 3 + 4, 3 + 4 + 5 and 3 + 4 + 5 + 6
        assertEquals(3, Pretrainer.MAX_ROLLBACKS);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> train(FlakyByolConfig.of(STEPS, 3, 7, 12, 18)));
        assertTrue(e.getMessage().startsWith("byol diverged: loss NaN at step 6: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; it had gone back 3 times already (step 3 to 0, step 4 to 0, step 5 to"
                + " 0)"), e.getMessage());
    }

    @Test
    void threePassingDivergencesAreAllRecoveredFrom() {
        ByolConfig clean = TinyRuns.tinyConfig().optTotalSteps(STEPS).build();
        try (Backbone expected = train(clean); Backbone recovered = train(FlakyByolConfig.of(STEPS, 3, 7, 12))) {
            assertArrayEquals(expected.parameters(), recovered.parameters());
            assertEquals("step 3 to 0, step 4 to 0, step 5 to 0", recovered.recipe().get("divergenceRollbacks"));
        }
    }
}
