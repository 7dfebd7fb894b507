package org.byol4j.spi;

import org.byol4j.backbone.Backbone;
import org.byol4j.data.ImageSource;

/**
 * A self-supervised method that turns unlabelled images into a trained {@link Backbone}. Implementations are
 * created by a {@link RepresentationTrainerProvider} found on the classpath; {@code byol} is byol4j's own.
 */
public interface RepresentationTrainer {

    /** @return the method name, e.g. {@code byol} */
    String name();

    /**
     * Pretrains a backbone.
     *
     * @param images unlabelled images (labels, if the source has them, are ignored)
     * @param listener progress receiver
     * @return the trained feature extractor; the caller closes it
     */
    Backbone train(ImageSource images, PretrainingListener listener);
}
