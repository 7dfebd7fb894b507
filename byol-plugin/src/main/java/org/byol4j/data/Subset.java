package org.byol4j.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * Some images of a labelled source, without copying them: the first {@code n}, one side of a k-fold split, or a
 * class-balanced random draw of labelled images (the paper's 1 % and 10 % label subsets), recorded with its seed.
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

    /**
     * A class-balanced random draw: {@code perClass} images of every class, the same for a seed on every machine.
     *
     * @param source the full source
     * @param perClass images to draw of each class, ≥ 1
     * @param seed the draw's seed, recorded in the description
     * @return the drawn images, in source order
     * @throws IllegalArgumentException naming a class that has fewer images than asked for
     */
    public static Subset balanced(LabelledImageSource source, int perClass, long seed) {
        if (perClass < 1) {
            throw new IllegalArgumentException("labels per class must be >= 1, got " + perClass);
        }
        return draw(source, byClass(source), n -> perClass, perClass + " per class", seed);
    }

    /**
     * A class-balanced random draw of a fraction of each class (rounded; 1 % of Fashion-MNIST's 60,000 training
     * images is 60 of each of its 10 classes).
     *
     * @param source the full source
     * @param fraction the share of each class to draw, in (0, 1]
     * @param seed the draw's seed, recorded in the description
     * @return the drawn images, in source order
     * @throws IllegalArgumentException naming a class the fraction leaves without any image
     */
    public static Subset fraction(LabelledImageSource source, double fraction, long seed) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("label fraction must be in (0, 1], got " + fraction);
        }
        return draw(source, byClass(source), n -> (int) Math.round(fraction * n),
                String.format(java.util.Locale.ROOT, "%.4g of each class", fraction), seed);
    }

    private static Map<String, List<Integer>> byClass(LabelledImageSource source) {
        Map<String, List<Integer>> classes = new TreeMap<>();
        for (int i = 0; i < source.size(); i++) {
            classes.computeIfAbsent(source.label(i), k -> new ArrayList<>()).add(i);
        }
        return classes;
    }

    private static Subset draw(LabelledImageSource source, Map<String, List<Integer>> classes,
            IntUnaryOperator wanted, String how, long seed) {
        Random random = new Random(seed);
        List<Integer> keep = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> c : classes.entrySet()) {
            List<Integer> members = new ArrayList<>(c.getValue());
            int k = wanted.applyAsInt(members.size());
            if (k < 1 || k > members.size()) {
                throw new IllegalArgumentException(source.description() + ": class '" + c.getKey() + "' has "
                        + members.size() + " images; " + how + " asks for " + k);
            }
            Collections.shuffle(members, random);
            keep.addAll(members.subList(0, k));
        }
        return new Subset(source, keep.stream().mapToInt(Integer::intValue).sorted().toArray(), how + " ("
                + keep.size() + " images, seed " + seed + ") of " + source.description());
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

    /**
     * @param index in [0, size)
     * @return the index of that image in the full source
     */
    public int sourceIndex(int index) {
        return checked(index);
    }

    private int checked(int index) {
        if (index < 0 || index >= indices.length) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + indices.length + ")");
        }
        return indices[index];
    }
}
