package org.byol4j.tribuo;

import java.util.ArrayList;
import java.util.Arrays;
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

    private final PrecomputedEmbeddingSource<T> embedded;

    /**
     * @param images labelled images (class names become outputs through {@code outputFactory})
     * @param backbone the feature extractor (not closed here)
     * @param outputFactory e.g. {@code new LabelFactory()}
     * @param batchSize images per forward pass, ≥ 1
     */
    public EmbeddingDataSource(LabelledImageSource images, Backbone backbone, OutputFactory<T> outputFactory,
            int batchSize) {
        float[][] embeddings = backbone.embed(images, batchSize);
        List<String> labels = new ArrayList<>(images.size());
        for (int i = 0; i < embeddings.length; i++) {
            labels.add(images.label(i));
        }
        this.embedded = new PrecomputedEmbeddingSource<>(images.description(), backbone, Arrays.asList(embeddings),
                labels, outputFactory);
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
        return embedded.size();
    }

    /** {@inheritDoc} */
    @Override
    public OutputFactory<T> getOutputFactory() {
        return embedded.getOutputFactory();
    }

    /** {@inheritDoc} */
    @Override
    public DataSourceProvenance getProvenance() {
        return embedded.getProvenance();
    }

    /** {@inheritDoc} */
    @Override
    public Iterator<Example<T>> iterator() {
        return embedded.iterator();
    }
}
