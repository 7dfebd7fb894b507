package org.byol4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.byol4j.backbone.Backbone;
import org.byol4j.byol.ByolConfig;
import org.byol4j.data.ImageSource;
import org.byol4j.spi.PretrainingListener;
import org.junit.jupiter.api.Test;

/** Training views smaller than the images: the network trains on them, and the backbone embeds full-size images. */
class ViewSizeTest {

    @Test
    void theViewsAreMadeAtTheViewSize() {
        ByolConfig config = TinyRuns.tinyConfig().optImageSize(16).optViewSize(8).build();
        assertEquals(8, config.view1().outputSize());
        assertEquals(8, config.view2().outputSize());
        try (ViewPairLoader loader = new ViewPairLoader(TinyRuns.squares(32, 16), config.view1(), config.view2(), 1,
                8, 7, 1)) {
            ViewBatch batch = loader.epoch(0, 0).next();
            assertEquals(8, batch.side());
            assertEquals(8 * 8 * 8, batch.view1().length, "8 views of 1 × 8 × 8");
            assertEquals(8 * 8 * 8, batch.view2().length);
        }
    }

    @Test
    void aRunOnSmallViewsReturnsABackboneThatEmbedsAtTheImageSize() {
        ImageSource images = TinyRuns.squares(32, 16);
        ByolConfig config = TinyRuns.tinyConfig().optImageSize(16).optViewSize(8).optEpochs(1).build();
        try (Backbone b = new Pretrainer(config, null, Integer.MAX_VALUE, 1).train(images, PretrainingListener.NONE)) {
            assertEquals(16, b.imageSize());
            assertEquals("8", b.recipe().get("viewSize"));
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
    void withoutAViewSizeTheViewsAreImageSized() {
        ByolConfig config = TinyRuns.tinyConfig().optImageSize(16).build();
        assertEquals(16, config.viewSize());
        assertEquals(16, config.view1().outputSize());
        assertEquals("0", config.recipe().get("viewSize"));
    }

    @Test
    void aViewSizeOutsideEightToTheImageSizeIsNamed() {
        PropertyException e = assertThrows(PropertyException.class,
                () -> TinyRuns.tinyConfig().optImageSize(16).optViewSize(20).build());
        assertTrue(e.getMessage().contains("viewSize") && e.getMessage().contains("[8, imageSize = 16]")
                && e.getMessage().contains("20"), e.getMessage());
        e = assertThrows(PropertyException.class, () -> TinyRuns.tinyConfig().optImageSize(16).optViewSize(4).build());
        assertTrue(e.getMessage().contains("viewSize") && e.getMessage().contains("got 4"), e.getMessage());
        e = assertThrows(PropertyException.class, () -> TinyRuns.tinyConfig().optViewSize(-1).build());
        assertTrue(e.getMessage().contains("viewSize"), e.getMessage());
    }
}
