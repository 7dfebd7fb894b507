package org.byol4j.views;

import java.util.List;

/**
 * The augmented views of one batch of images, as flat channel-major float arrays ready for NDArrays: one
 * (N, C, S, S) array per global view and one (N, C, s, s) array per local view, images in the same order in each.
 *
 * @param global the global views, in the {@link ViewPlan}'s order
 * @param local the local views, in the plan's order; empty without multi-crop
 * @param size N
 * @param channels C
 * @param globalSide S
 * @param localSide s, or 0 without local views
 */
public record ViewBatch(List<float[]> global, List<float[]> local, int size, int channels, int globalSide,
        int localSide) {

    /** Copies the lists. */
    public ViewBatch {
        global = List.copyOf(global);
        local = List.copyOf(local);
    }

    /**
     * @param view1 first views
     * @param view2 second views, same images in the same order
     * @param size N
     * @param channels C
     * @param side S
     * @return a batch of two global views and no local ones
     */
    public static ViewBatch pair(float[] view1, float[] view2, int size, int channels, int side) {
        return new ViewBatch(List.of(view1, view2), List.of(), size, channels, side, 0);
    }
}
