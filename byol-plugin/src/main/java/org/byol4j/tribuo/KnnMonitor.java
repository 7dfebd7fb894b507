package org.byol4j.tribuo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.spi.PretrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PretrainingListener} that measures kNN accuracy of the online backbone every few epochs during
 * pretraining, on a labelled reference set and a labelled test set (keep them small: both are embedded each
 * time). Results are logged at INFO and kept in {@link #history()}.
 */
public final class KnnMonitor implements PretrainingListener {

    private static final Logger logger = LoggerFactory.getLogger(KnnMonitor.class);

    private final LabelledImageSource train;
    private final LabelledImageSource test;
    private final KnnEvaluation knn;
    private final int everyEpochs;
    private final List<Measurement> history = Collections.synchronizedList(new ArrayList<>());

    /** One kNN measurement: after which epoch (0-based), and the accuracy in [0, 1]. */
    public record Measurement(int epoch, double accuracy) {}

    /**
     * @param train labelled reference images
     * @param test labelled images to classify
     * @param knn the evaluation (k, temperature)
     * @param everyEpochs measure after every this many epochs, ≥ 1
     */
    public KnnMonitor(LabelledImageSource train, LabelledImageSource test, KnnEvaluation knn, int everyEpochs) {
        if (everyEpochs < 1) {
            throw new IllegalArgumentException("everyEpochs must be >= 1, got " + everyEpochs);
        }
        this.train = train;
        this.test = test;
        this.knn = knn;
        this.everyEpochs = everyEpochs;
    }

    /** {@inheritDoc} */
    @Override
    public boolean wantsBackbone(int epoch) {
        return (epoch + 1) % everyEpochs == 0;
    }

    /** {@inheritDoc} */
    @Override
    public void onBackbone(int epoch, Backbone online) {
        double accuracy = knn.accuracy(online, train, test);
        history.add(new Measurement(epoch, accuracy));
        logger.info(String.format(Locale.ROOT, "epoch %d: kNN accuracy %.2f %%", epoch + 1, 100 * accuracy));
    }

    /** @return the measurements so far, oldest first */
    public List<Measurement> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }
}
