package org.byol4j.tribuo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.byol4j.backbone.Backbone;
import org.byol4j.backbone.HasBackbone;
import org.byol4j.data.LabelledImageSource;
import org.tribuo.DataSource;
import org.tribuo.Example;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.provenance.DataSourceProvenance;

/**
 * Labelled images as Tribuo {@link Example}s of dense embedding features ({@code emb-0000} …) computed by a
 * frozen {@link Backbone}, in batches, at construction (so iterating is cheap and repeatable). Its
 * {@link EmbeddingDataSourceProvenance} names the backbone, its weights' sha256 and its pretraining recipe.
 *
 * @param <T> the output type, e.g. {@code Label} with a {@code LabelFactory}
 */
public final class EmbeddingDataSource<T extends Output<T>> implements DataSource<T> {

    /** Feature-name prefix of embedding dimensions. */
    public static final String FEATURE_PREFIX = "emb";

    private final List<Example<T>> examples;
    private final OutputFactory<T> outputFactory;
    private final EmbeddingDataSourceProvenance provenance;

    /**
     * @param images labelled images (class names become outputs through {@code outputFactory})
     * @param backbone the feature extractor (not closed here)
     * @param outputFactory e.g. {@code new LabelFactory()}
     * @param batchSize images per forward pass, ≥ 1
     */
    public EmbeddingDataSource(LabelledImageSource images, Backbone backbone, OutputFactory<T> outputFactory,
            int batchSize) {
        String[] names = DenseFeatures.names(FEATURE_PREFIX, backbone.featureDim());
        float[][] embeddings = backbone.embed(images, batchSize);
        List<Example<T>> out = new ArrayList<>(images.size());
        for (int i = 0; i < embeddings.length; i++) {
            out.add(DenseFeatures.example(outputFactory.generateOutput(images.label(i)), names, embeddings[i]));
        }
        this.examples = Collections.unmodifiableList(out);
        this.outputFactory = outputFactory;
        this.provenance = new EmbeddingDataSourceProvenance(images.description(), backbone, outputFactory);
    }

    /**
     * The same with a model loaded from the byol4j zoo ({@code Criteria.loadModel()}); provenance then names its
     * zoo coordinates and sha256.
     *
     * @param images labelled images
     * @param zooModel a byol4j zoo model (not closed here)
     * @param outputFactory e.g. {@code new LabelFactory()}
     * @param batchSize images per forward pass, ≥ 1
     * @throws IllegalArgumentException when the model is not a byol4j backbone
     */
    public EmbeddingDataSource(LabelledImageSource images, ai.djl.Model zooModel, OutputFactory<T> outputFactory,
            int batchSize) {
        this(images, HasBackbone.of(zooModel), outputFactory, batchSize);
    }

    /** @return the number of examples */
    public int size() {
        return examples.size();
    }

    /** {@inheritDoc} */
    @Override
    public OutputFactory<T> getOutputFactory() {
        return outputFactory;
    }

    /** {@inheritDoc} */
    @Override
    public DataSourceProvenance getProvenance() {
        return provenance;
    }

    /** {@inheritDoc} */
    @Override
    public Iterator<Example<T>> iterator() {
        return examples.iterator();
    }
}
