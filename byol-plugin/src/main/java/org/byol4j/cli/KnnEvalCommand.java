package org.byol4j.cli;

import org.byol4j.backbone.Backbone;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.tribuo.KnnEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code byol knn-eval}: weighted k-nearest-neighbour accuracy (cosine similarity, temperature-weighted votes, as
 * Wu et al. 2018) on frozen embeddings, against raw pixels and the untrained network.
 */
@Command(name = "knn-eval", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "kNN evaluation: raw pixels, untrained and the given backbone, as a table.")
final class KnnEvalCommand extends Comparison {

    @Option(names = "--k", defaultValue = "20", description = "Neighbours.")
    int k;

    @Option(names = "--temperature", defaultValue = "0.07", description = "Vote temperature.")
    double temperature;

    @Override
    String metric() {
        return "kNN-" + k + " accuracy";
    }

    @Override
    double accuracy(Backbone features, LabelledImageSource train, LabelledImageSource test) {
        KnnEvaluation knn = new KnnEvaluation(k, temperature);
        if (features != null) {
            return knn.accuracy(features, train, test);
        }
        return knn.pixelAccuracy(train, test);
    }
}
