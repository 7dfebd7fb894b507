package org.byol4j.views;

/**
 * Two augmented views of the same images, as flat (N, C, S, S) float arrays ready for an NDArray.
 *
 * @param view1 first views, channel-major per image
 * @param view2 second views, in the same image order
 * @param size N
 * @param channels C
 * @param side S
 */
public record ViewBatch(float[] view1, float[] view2, int size, int channels, int side) {}
