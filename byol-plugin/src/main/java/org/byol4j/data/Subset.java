package org.byol4j.data;

import java.util.List;

/** The first {@code n} images of a labelled source, without copying them. */
public final class Subset implements LabelledImageSource {

    private final LabelledImageSource source;
    private final int size;

    private Subset(LabelledImageSource source, int size) {
        this.source = source;
        this.size = size;
    }

    /**
     * @param source the full source
     * @param n how many to keep (capped at the source size)
     * @return the first n images
     */
    public static Subset first(LabelledImageSource source, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("subset size must be >= 0, got " + n);
        }
        return new Subset(source, Math.min(n, source.size()));
    }

    /** {@inheritDoc} */
    @Override
    public int size() {
        return size;
    }

    /** {@inheritDoc} */
    @Override
    public int channels() {
        return source.channels();
    }

    /** {@inheritDoc} */
    @Override
    public PixelImage image(int index) {
        return source.image(checked(index));
    }

    /** {@inheritDoc} */
    @Override
    public String label(int index) {
        return source.label(checked(index));
    }

    /** {@inheritDoc} */
    @Override
    public List<String> classNames() {
        return source.classNames();
    }

    /** {@inheritDoc} */
    @Override
    public String description() {
        return "first " + size + " of " + source.description();
    }

    private int checked(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + size + ")");
        }
        return index;
    }
}
