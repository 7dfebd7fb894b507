package org.byol4j.views;

import java.util.List;
import org.byol4j.augment.ViewAugmentation;

/**
 * The views a method trains on, per image: global views (BYOL's two, at the training view size) and, for multi-crop,
 * local views at their own smaller size (Caron et al. 2020, SwAV §3.2). Every global view has one size and every
 * local view another, so each group batches into one array.
 *
 * @param global the global views' augmentations, in order; at least two
 * @param local the local views' augmentations, in order; empty without multi-crop
 */
public record ViewPlan(List<ViewAugmentation> global, List<ViewAugmentation> local) {

    /**
     * Copies the lists and checks the sizes.
     *
     * @throws IllegalArgumentException with fewer than two global views, or views of one group that differ in size
     */
    public ViewPlan {
        global = List.copyOf(global);
        local = List.copyOf(local);
        if (global.size() < 2) {
            throw new IllegalArgumentException("a method needs at least two global views, got " + global.size());
        }
        requireOneSize("global", global);
        requireOneSize("local", local);
    }

    /**
     * @param view1 the first view's augmentation
     * @param view2 the second's (same size)
     * @return two global views and no local ones: the two-view methods' plan
     */
    public static ViewPlan pair(ViewAugmentation view1, ViewAugmentation view2) {
        return new ViewPlan(List.of(view1, view2), List.of());
    }

    private static void requireOneSize(String group, List<ViewAugmentation> views) {
        for (ViewAugmentation v : views) {
            if (v.outputSize() != views.get(0).outputSize()) {
                throw new IllegalArgumentException("every " + group + " view needs one output size, got "
                        + views.get(0).outputSize() + " and " + v.outputSize());
            }
        }
    }

    /** @return the side of the global views */
    public int globalSide() {
        return global.get(0).outputSize();
    }

    /** @return the side of the local views, or 0 when there are none */
    public int localSide() {
        return local.isEmpty() ? 0 : local.get(0).outputSize();
    }
}
