package org.byol4j.cli;

import org.byol4j.backbone.Backbone;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.tribuo.EmbeddingDataSource;
import org.byol4j.tribuo.LinearEvaluation;
import org.byol4j.tribuo.LinearProbe;
import org.byol4j.tribuo.PixelDataSource;
import org.tribuo.classification.LabelFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code byol linear-eval}: a Tribuo linear classifier on frozen embeddings, against raw pixels and the untrained
 * network. The default probe is the paper's protocol, a converged L2-regularised logistic regression (LibLinear,
 * C = 1, standardised features).
 */
@Command(name = "linear-eval", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Linear evaluation: raw pixels, untrained and the given backbone, as a table.")
final class LinearEvalCommand extends Comparison {

    @Option(names = "--probe", defaultValue = "LIBLINEAR", description = "Linear classifier: ${COMPLETION-CANDIDATES}.")
    LinearProbe probe;

    @Option(names = "--epochs", defaultValue = "20", description = "Epochs of the SGD probes.")
    int epochs;

    @Override
    String metric() {
        return "linear accuracy (" + probe.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Override
    double accuracy(Backbone features, LabelledImageSource train, LabelledImageSource test) {
        LabelFactory labels = new LabelFactory();
        LinearEvaluation eval = new LinearEvaluation(probe, epochs);
        return features == null
                ? eval.run(new PixelDataSource<>(train, labels), new PixelDataSource<>(test, labels)).accuracy()
                : eval.run(new EmbeddingDataSource<>(train, features, labels, 500),
                        new EmbeddingDataSource<>(test, features, labels, 500)).accuracy();
    }
}
