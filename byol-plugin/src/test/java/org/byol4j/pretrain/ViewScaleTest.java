package org.byol4j.pretrain;

import static org.byol4j.method.PretrainingConfig.EPOCHS;
import static org.byol4j.method.PretrainingConfig.IMAGE_SIZE;
import static org.byol4j.method.PretrainingConfig.VIEW_SCALE;
import static org.byol4j.pretrain.RunSettings.WORKERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.byol4j.backbone.Backbone;
import org.byol4j.byol.ByolConfig;
import org.byol4j.data.ImageSource;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.views.ViewBatch;
import org.byol4j.views.ViewLoader;
import org.junit.jupiter.api.Test;

/** Training views smaller than the images: the network trains on them, and the backbone embeds full-size images. */
class ViewScaleTest {

    /** viewScale × imageSize, rounded, never under 8 px unless the image is smaller. Worked by hand. */
    @Test
    void theViewSideIsTheScaledImageSideRoundedAndAtLeastEight() {
        assertEquals(20, TinyRuns.tinyConfig().set(IMAGE_SIZE, 28).set(VIEW_SCALE, 0.72f).build().viewSize(), "20.16");
        assertEquals(23, TinyRuns.tinyConfig().set(IMAGE_SIZE, 32).set(VIEW_SCALE, 0.72f).build().viewSize(), "23.04");
        assertEquals(16, TinyRuns.tinyConfig().set(IMAGE_SIZE, 28).set(VIEW_SCALE, 0.58f).build().viewSize(), "16.24");
        assertEquals(161, TinyRuns.tinyConfig().set(IMAGE_SIZE, 224).set(VIEW_SCALE, 0.72f).build().viewSize(),
                "161.28");
        assertEquals(8, TinyRuns.tinyConfig().set(IMAGE_SIZE, 14).set(VIEW_SCALE, 0.1f).build().viewSize(),
                "1.4: floor 8");
        assertEquals(8, TinyRuns.tinyConfig().set(IMAGE_SIZE, 8).set(VIEW_SCALE, 0.72f).build().viewSize(),
                "5.76: floor 8");
        assertEquals(14, TinyRuns.tinyConfig().set(IMAGE_SIZE, 14).build().viewSize(), "scale 1 by default");
    }

    @Test
    void theViewsAreMadeAtTheViewSize() {
        ByolConfig config = TinyRuns.tinyConfig().set(IMAGE_SIZE, 16).set(VIEW_SCALE, 0.5f).build();
        assertEquals(8, config.view1().outputSize());
        assertEquals(8, config.view2().outputSize());
        try (ViewLoader loader = new ViewLoader(TinyRuns.squares(32, 16), config.views(), 1,
                8, 7, 1)) {
            ViewBatch batch = loader.epoch(0, 0).next();
            assertEquals(8, batch.globalSide());
            assertEquals(8 * 8 * 8, batch.global().get(0).length, "8 views of 1 × 8 × 8");
            assertEquals(8 * 8 * 8, batch.global().get(1).length);
        }
    }

    @Test
    void aRunOnSmallViewsReturnsABackboneThatEmbedsAtTheImageSize() {
        ImageSource images = TinyRuns.squares(32, 16);
        ByolConfig config = TinyRuns.tinyConfig().set(IMAGE_SIZE, 16).set(VIEW_SCALE, 0.5f).set(EPOCHS, 1).build();
        try (Backbone b = new Pretrainer(config, RunSettings.defaults().with(WORKERS, 1)).train(images,
                PretrainingListener.NONE)) {
            assertEquals(16, b.imageSize());
            assertEquals("0.5", b.recipe().get("viewScale"));
            assertEquals("16", b.recipe().get("imageSize"));
            float[][] features = b.embed(images, 8);
            assertEquals(32, features.length);
            for (float[] f : features) {
                assertEquals(b.featureDim(), f.length);
                for (float v : f) {
                    assertTrue(Float.isFinite(v));
                }
            }
        }
    }

    @Test
    void aViewScaleOutsideZeroToOneIsNamed() {
        for (float bad : new float[] {0f, -0.5f, 1.5f, Float.NaN}) {
            PropertyException e = assertThrows(PropertyException.class,
                    () -> TinyRuns.tinyConfig().set(VIEW_SCALE, bad).build());
            assertTrue(e.getMessage().contains("viewScale") && e.getMessage().contains("(0, 1]")
                    && e.getMessage().contains("got " + bad), e.getMessage());
        }
    }
}
