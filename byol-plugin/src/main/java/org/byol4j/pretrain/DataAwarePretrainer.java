package org.byol4j.pretrain;

import java.util.Map;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.ImageSource;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.RepresentationTrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link PretrainingProvider#create} returns when the options name no preset: a trainer that chooses the preset
 * from the images it is given ({@link PresetChoice}), logs the choice and why, and then trains a {@link Pretrainer}
 * built from that preset with the caller's options over it. The options were validated when it was created.
 */
final class DataAwarePretrainer implements RepresentationTrainer {

    private static final Logger logger = LoggerFactory.getLogger(DataAwarePretrainer.class);

    private final PretrainingProvider<?> provider;
    private final Map<String, String> options;

    /**
     * @param provider the method's provider
     * @param options the caller's options, without a preset
     */
    DataAwarePretrainer(PretrainingProvider<?> provider, Map<String, String> options) {
        this.provider = provider;
        this.options = Map.copyOf(options);
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return provider.name();
    }

    /**
     * @param images the images, which choose the preset
     * @return the trainer that {@link #train} runs for them
     */
    Pretrainer forImages(ImageSource images) {
        Map<String, String> chosen = options;
        PresetChoice choice = provider.presetFor(images).orElse(null);
        if (choice != null) {
            logger.info("{}: {}", provider.name(), choice.describe(options));
            chosen = choice.applyTo(options);
        }
        return provider.pretrainer(chosen);
    }

    /** {@inheritDoc} */
    @Override
    public Backbone train(ImageSource images, PretrainingListener listener) {
        return forImages(images).train(images, listener);
    }

    /** {@inheritDoc} */
    @Override
    public Backbone train(ImageSource images, LabelledImageSource labelled, PretrainingListener listener) {
        return forImages(images).train(images, labelled, listener);
    }
}
