package org.byol4j.tribuo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.byol4j.backbone.Backbone;
import org.tribuo.DataSource;
import org.tribuo.Example;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.provenance.DataSourceProvenance;

/**
 * Embeddings computed elsewhere (on a Spark cluster, say) as a Tribuo {@link DataSource}: the same feature names as
 * {@link EmbeddingDataSource} ({@value EmbeddingDataSource#FEATURE_PREFIX}-0000, ...), so a model trained on either
 * applies to the other, and the same provenance ({@link EmbeddingDataSourceProvenance}: the backbone, the sha256 of its
 * weights, its pretraining recipe, where the images came from).
 *
 * @param <T> the output type
 */
public final class PrecomputedEmbeddingSource<T extends Output<T>> implements DataSource<T> {

    private final List<Example<T>> examples;
    private final OutputFactory<T> outputFactory;
    private final EmbeddingDataSourceProvenance provenance;

    /**
     * @param images where the embeddings and their images came from, e.g. a Parquet folder
     * @param backbone the backbone that computed them (its weights' sha256 and recipe go into the provenance)
     * @param vectors one embedding per example, each of the backbone's feature dimension
     * @param labels one label per example
     * @param outputFactory parses the labels
     * @throws IllegalArgumentException when the counts differ or a vector has the wrong length, naming the row
     */
    public PrecomputedEmbeddingSource(String images, Backbone backbone, List<float[]> vectors, List<String> labels,
            OutputFactory<T> outputFactory) {
        if (vectors.size() != labels.size()) {
            throw new IllegalArgumentException(images + ": " + vectors.size() + " embeddings but " + labels.size()
                    + " labels");
        }
        String[] names = DenseFeatures.names(EmbeddingDataSource.FEATURE_PREFIX, backbone.featureDim());
        List<Example<T>> out = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            float[] v = vectors.get(i);
            if (v == null || v.length != backbone.featureDim()) {
                throw new IllegalArgumentException(images + ": row " + i + " has " + (v == null ? "no embedding"
                        : v.length + " values") + ", expected " + backbone.featureDim() + " from the backbone");
            }
            out.add(DenseFeatures.example(outputFactory.generateOutput(labels.get(i)), names, v));
        }
        this.examples = Collections.unmodifiableList(out);
        this.outputFactory = outputFactory;
        this.provenance = new EmbeddingDataSourceProvenance(images, backbone, outputFactory);
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
