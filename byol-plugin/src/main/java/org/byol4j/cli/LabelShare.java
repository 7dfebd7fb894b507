package org.byol4j.cli;

import org.byol4j.data.LabelledImageSource;
import org.byol4j.data.Subset;
import picocli.CommandLine.Option;

/**
 * Which of the labelled images a command uses: all (the default), N of each class, or a share of each class, drawn
 * class-balanced with a recorded seed ({@link Subset}). An exclusive option group of {@code fine-tune} and
 * {@code pretrain --labels}.
 */
final class LabelShare {

    @Option(names = "--labels-per-class", description = "Use N labelled images of each class.")
    Integer perClass;

    @Option(names = "--label-fraction", description = "Use this share of each class's labelled images, e.g. 0.01.")
    Double fraction;

    /**
     * @param all every labelled image
     * @param perClass images of each class, or null
     * @param fraction share of each class, or null
     * @param seed the draw's seed
     * @return the images to use
     */
    static LabelledImageSource draw(LabelledImageSource all, Integer perClass, Double fraction, long seed) {
        return perClass != null ? Subset.balanced(all, perClass, seed)
                : fraction != null ? Subset.fraction(all, fraction, seed) : all;
    }
}
