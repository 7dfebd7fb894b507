package org.byol4j.pretrain;

import static org.byol4j.method.PretrainingConfig.BATCH_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.byol4j.byol.ByolConfig;
import org.byol4j.byol.ByolPreset;
import org.byol4j.data.ImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.options.OptionValues;
import org.byol4j.spi.RepresentationTrainer;
import org.byol4j.spi.RepresentationTrainers;
import org.junit.jupiter.api.Test;

/** A run that names no preset gets the small preset that fits its images, and says which and why. */
class PresetChoiceTest {

    private static ImageSource blank(int n, int channels, int height, int width) {
        return TinyRuns.source(n, channels, n + " blank images",
                i -> new PixelImage(channels, height, width, new float[channels * height * width]));
    }

    private static PretrainingProvider<?> byol() {
        return (PretrainingProvider<?>) RepresentationTrainers.load().provider("byol");
    }

    @Test
    void greyscaleAndColourImagesGetTheirSmallPresetAtTheirOwnSide() {
        PresetChoice fashion = byol().presetFor(blank(100, 1, 28, 28)).orElseThrow();
        assertEquals(new PresetChoice("small_greyscale", 0, 1, 28, 28), fashion, "the preset's own 28 px");
        assertEquals("1-channel images of 28 px: preset small_greyscale, the recipe measured for small images on a"
                + " CPU (--preset or the option preset chooses another)", fashion.describe(Map.of()));
        assertEquals(new PresetChoice("small_colour", 0, 3, 32, 32), byol().presetFor(blank(10, 3, 32, 40))
                .orElseThrow(), "the shorter side");
        PresetChoice photos = byol().presetFor(blank(10, 3, 96, 128)).orElseThrow();
        assertEquals(64, photos.imageSize(), "larger images at 64 px");
        assertTrue(photos.describe(Map.of()).endsWith("preset small_colour at 64 px instead of its 32, the recipe"
                + " measured for small images on a CPU (--preset or the option preset chooses another)"));
        assertEquals(16, byol().presetFor(blank(10, 1, 8, 8)).orElseThrow().imageSize(), "8 px images at 16 px");
        assertEquals(Map.of("preset", "small_colour", "imageSize", "64", "batchSize", "32"),
                photos.applyTo(Map.of("batchSize", "32")));
        assertEquals(Map.of("preset", "small_colour", "imageSize", "48"), photos.applyTo(Map.of("imageSize", "48")),
                "the user's imageSize wins");
        assertTrue(photos.describe(Map.of("imageSize", "48")).contains("preset small_colour, the recipe"));
    }

    @Test
    void aMethodWithoutAFittingPresetGetsNoChoice() {
        assertTrue(PresetChoice.of(blank(10, 1, 28, 28), List.of("paper_imagenet"),
                n -> OptionValues.empty()).isEmpty());
        assertTrue(byol().presetFor(blank(0, 1, 28, 28)).isEmpty(), "no images, nothing to look at");
    }

    /**
     * Through the SPI without a preset, the trainer waits for the images: on 28 px greyscale images it trains
     * BYOL's small_greyscale recipe (not the paper's ResNet-50 at batch 4096) with the caller's options over it.
     */
    @Test
    void theLibraryWithoutAPresetChoosesOnceItSeesTheImages() {
        RepresentationTrainer trainer = RepresentationTrainers.get("byol", Map.of("batchSize", "64"));
        DataAwarePretrainer aware = assertInstanceOf(DataAwarePretrainer.class, trainer);
        PretrainingConfig chosen = aware.forImages(blank(100, 1, 28, 28)).config();
        ByolConfig expected = ByolConfig.builder(ByolPreset.SMALL_GREYSCALE).set(BATCH_SIZE, 64).build();
        assertEquals(expected.recipe(), chosen.recipe());
        assertThrows(IllegalArgumentException.class, () -> RepresentationTrainers.get("byol",
                Map.of("batchSise", "64")), "options are still checked when the trainer is made");
    }
}
