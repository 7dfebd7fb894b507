package org.byol4j.spi;

import org.byol4j.backbone.Backbone;
import org.byol4j.data.ImageSource;
import org.byol4j.data.LabelledImageSource;

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

    /**
     * Pretrains a backbone jointly with a classifier on the labelled images (the trainer's {@code supervisedWeight}
     * option weighs the classifier's cross-entropy); the backbone comes back with its classifier head.
     *
     * @param images unlabelled images
     * @param labelled labelled images for the supervised term
     * @param listener progress receiver
     * @return the trained feature extractor with its classifier head; the caller closes it
     * @throws UnsupportedOperationException when this trainer cannot use labels (the default)
     */
    default Backbone train(ImageSource images, LabelledImageSource labelled, PretrainingListener listener) {
        throw new UnsupportedOperationException(name() + " does not train with labels");
    }
}
