package org.byol4j.data;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Some images of a labelled source, without copying them: the first {@code n}, or one side of a k-fold split.
 */
public final class Subset implements LabelledImageSource {

    private final LabelledImageSource source;
    private final int[] indices;
    private final String description;

    private Subset(LabelledImageSource source, int[] indices, String description) {
        this.source = source;
        this.indices = indices;
        this.description = description;
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
        int size = Math.min(n, source.size());
        return new Subset(source, IntStream.range(0, size).toArray(), "first " + size + " of " + source.description());
    }

    /**
     * One side of a k-fold split in which image i belongs to fold {@code i % folds}.
     *
     * @param source the full source
     * @param folds number of folds, ≥ 2
     * @param fold the fold, in [0, folds)
     * @param heldOut true for the fold's images (the test side), false for all the others (the training side)
     * @return those images, in source order
     */
    public static Subset fold(LabelledImageSource source, int folds, int fold, boolean heldOut) {
        if (folds < 2 || fold < 0 || fold >= folds) {
            throw new IllegalArgumentException("need folds >= 2 and 0 <= fold < folds, got fold " + fold + " of "
                    + folds);
        }
        int[] keep = IntStream.range(0, source.size()).filter(i -> (i % folds == fold) == heldOut).toArray();
        return new Subset(source, keep, (heldOut ? "fold " : "all but fold ") + fold + " of " + folds + " of "
                + source.description());
    }

    /** {@inheritDoc} */
    @Override
    public int size() {
        return indices.length;
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
        return description;
    }

    private int checked(int index) {
        if (index < 0 || index >= indices.length) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + indices.length + ")");
        }
        return indices[index];
    }
}
