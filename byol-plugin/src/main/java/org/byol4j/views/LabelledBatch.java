package org.byol4j.views;

/**
 * One augmented view of each of a batch of labelled images, as a flat (N, C, S, S) float array ready for an
 * NDArray, and their class ids.
 *
 * @param pixels the views, channel-major per image
 * @param labels the class id of each image, in the same order
 * @param size N
 * @param channels C
 * @param side S
 */
public record LabelledBatch(float[] pixels, int[] labels, int size, int channels, int side) {}
