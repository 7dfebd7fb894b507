package org.byol4j.data;

import java.util.Arrays;

/**
 * An image as floats in [0, 1], channel-major (C, H, W), the layout the backbones take. Immutable: the
 * array handed in is copied, and {@link #pixels()} returns a copy.
 */
public final class PixelImage {

    private final int channels;
    private final int height;
    private final int width;
    private final float[] data;

    /**
     * @param channels C ≥ 1
     * @param height H ≥ 1
     * @param width W ≥ 1
     * @param data C·H·W values, channel-major
     * @throws IllegalArgumentException when the sizes disagree
     */
    public PixelImage(int channels, int height, int width, float[] data) {
        this(channels, height, width, data.clone(), true);
    }

    private PixelImage(int channels, int height, int width, float[] data, boolean check) {
        if (check && (channels < 1 || height < 1 || width < 1 || data.length != channels * height * width)) {
            throw new IllegalArgumentException("image of " + channels + "x" + height + "x" + width
                    + " needs " + ((long) channels * height * width) + " values, got " + data.length);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = data;
    }

    /**
     * Wraps an array the caller gives up (no copy); for the pipeline's own hot path.
     *
     * @param channels C
     * @param height H
     * @param width W
     * @param data C·H·W values, not used by the caller afterwards
     * @return the image
     */
    public static PixelImage wrap(int channels, int height, int width, float[] data) {
        if (data.length != channels * height * width) {
            throw new IllegalArgumentException("image of " + channels + "x" + height + "x" + width
                    + " needs " + (channels * height * width) + " values, got " + data.length);
        }
        return new PixelImage(channels, height, width, data, false);
    }

    /** @return C */
    public int channels() {
        return channels;
    }

    /** @return H */
    public int height() {
        return height;
    }

    /** @return W */
    public int width() {
        return width;
    }

    /**
     * @param c channel
     * @param y row
     * @param x column
     * @return the value at (c, y, x)
     */
    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** @return a copy of the values, channel-major */
    public float[] pixels() {
        return data.clone();
    }

    /**
     * Copies the values into {@code dest} at {@code offset} (for batching without an extra copy).
     *
     * @param dest destination
     * @param offset first index written
     */
    public void copyTo(float[] dest, int offset) {
        System.arraycopy(data, 0, dest, offset, data.length);
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof PixelImage && ((PixelImage) o).channels == channels
                && ((PixelImage) o).height == height && Arrays.equals(((PixelImage) o).data, data);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return 31 * (31 * channels + height) + Arrays.hashCode(data);
    }
}
