package org.byol4j.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * The views of one step as arrays on the step's manager, in the order of the config's
 * {@link org.byol4j.views.ViewPlan}: the global views, each (N, C, S, S), and the multi-crop local views, each
 * (N, C, s, s) with s &lt; S, the same N images in the same order in every array.
 *
 * @param global the global views, at least two
 * @param local the local views; empty without multi-crop
 */
public record StepViews(NDList global, NDList local) {

    /**
     * @param view1 first views
     * @param view2 second views of the same images
     * @return two global views and no local ones
     */
    public static StepViews pair(NDArray view1, NDArray view2) {
        return new StepViews(new NDList(view1, view2), new NDList());
    }

    /**
     * @param i the view's index among the global views
     * @return that view
     */
    public NDArray global(int i) {
        return global.get(i);
    }

    /** @return every local view concatenated along the batch axis, (k·N, C, s, s), or null without local views */
    public NDArray localsAsOneBatch() {
        return local.isEmpty() ? null : NDArrays.concat(local);
    }
}
