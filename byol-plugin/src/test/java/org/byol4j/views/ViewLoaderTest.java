package org.byol4j.views;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.data.ImageSource;
import org.byol4j.pretrain.TinyRuns;
import org.junit.jupiter.api.Test;

/** The N-view batching of multi-crop: shapes, per-sample seeds, worker independence and resume. */
class ViewLoaderTest {

    private static final ImageSource IMAGES = TinyRuns.squares(24, 16);
    private static final ViewAugmentation GLOBAL1 = ViewAugmentation.byolView1(12, 0.2f);
    private static final ViewAugmentation GLOBAL2 = ViewAugmentation.byolView2(12, 0.2f);
    private static final ViewAugmentation LOCAL = GLOBAL1.localView(6, 0.05f, 0.4f);
    private static final ViewPlan MULTI_CROP = new ViewPlan(List.of(GLOBAL1, GLOBAL2), List.of(LOCAL, LOCAL, LOCAL));

    private static List<ViewBatch> epoch(ViewPlan plan, int workers, int epoch, int firstBatch) {
        List<ViewBatch> out = new ArrayList<>();
        try (ViewLoader loader = new ViewLoader(IMAGES, plan, 1, 8, 5, workers)) {
            loader.epoch(epoch, firstBatch).forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void eachBatchHoldsEveryGlobalAndLocalViewAtItsOwnSize() {
        List<ViewBatch> batches = epoch(MULTI_CROP, 1, 0, 0);
        assertEquals(3, batches.size(), "24 images, batch 8");
        ViewBatch b = batches.get(0);
        assertEquals(2, b.global().size());
        assertEquals(3, b.local().size());
        assertEquals(12, b.globalSide());
        assertEquals(6, b.localSide());
        for (float[] v : b.global()) {
            assertEquals(8 * 12 * 12, v.length, "8 images of 1 × 12 × 12");
        }
        for (float[] v : b.local()) {
            assertEquals(8 * 6 * 6, v.length, "8 images of 1 × 6 × 6");
        }
        assertFalse(Arrays.equals(b.local().get(0), b.local().get(1)), "each local view is its own crop");
    }

    @Test
    void localViewsLeaveTheGlobalViewsAsTheyWereAndFollowTheSeedWhateverTheWorkers() {
        List<ViewBatch> pairOnly = epoch(ViewPlan.pair(GLOBAL1, GLOBAL2), 1, 1, 0);
        List<ViewBatch> oneWorker = epoch(MULTI_CROP, 1, 1, 0);
        List<ViewBatch> threeWorkers = epoch(MULTI_CROP, 3, 1, 0);
        for (int i = 0; i < oneWorker.size(); i++) {
            for (int v = 0; v < 2; v++) {
                assertArrayEquals(pairOnly.get(i).global().get(v), oneWorker.get(i).global().get(v),
                        "the global views are drawn first from each image's generator: batch " + i + " view " + v);
                assertArrayEquals(oneWorker.get(i).global().get(v), threeWorkers.get(i).global().get(v));
            }
            for (int v = 0; v < 3; v++) {
                assertArrayEquals(oneWorker.get(i).local().get(v), threeWorkers.get(i).local().get(v),
                        "batch " + i + " local view " + v);
            }
        }
        assertFalse(Arrays.equals(oneWorker.get(0).local().get(0), epoch(MULTI_CROP, 1, 2, 0).get(0).local().get(0)),
                "another epoch, other crops");
    }

    @Test
    void anEpochResumedAtABatchGivesTheSameViewsAsTheWholeEpoch() {
        List<ViewBatch> whole = epoch(MULTI_CROP, 2, 3, 0);
        Iterator<ViewBatch> resumed = epoch(MULTI_CROP, 2, 3, 1).iterator();
        for (int i = 1; i < whole.size(); i++) {
            ViewBatch r = resumed.next();
            assertArrayEquals(whole.get(i).global().get(1), r.global().get(1));
            assertArrayEquals(whole.get(i).local().get(2), r.local().get(2));
        }
        assertFalse(resumed.hasNext());
    }

    @Test
    void aPlanRefusesViewsOfOneGroupWithDifferentSizesAndFewerThanTwoGlobalViews() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ViewPlan(
                List.of(GLOBAL1, GLOBAL2), List.of(LOCAL, GLOBAL1.localView(8, 0.05f, 0.4f))));
        assertEquals("every local view needs one output size, got 6 and 8", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ViewPlan(List.of(GLOBAL1), List.of()));
    }

    @Test
    void aLocalViewScalesTheBlurWithItsSide() {
        // 12 px global view, blur kernel 3 (10 % of the side, odd, at least 3); the 6 px local view keeps 3 and halves σ.
        String global = GLOBAL1.toString();
        String local = LOCAL.toString();
        assertEquals("crop(6, scale=[0.05,0.4]", local.substring(0, local.indexOf(", ratio")));
        assertEquals(global.substring(global.indexOf("blur(p=") , global.indexOf("sigma=")),
                local.substring(local.indexOf("blur(p="), local.indexOf("sigma=")), "the same blur probability");
        assertEquals("sigma=[0.05,1.0]", local.substring(local.indexOf("sigma="), local.indexOf(", k=")),
                "σ in [0.1, 2.0] at 12 px is [0.05, 1.0] at 6 px");
    }
}
