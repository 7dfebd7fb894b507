package org.byol4j.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.HashProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.byol4j.backbone.Backbone;
import org.tribuo.OutputFactory;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.DataSourceProvenance;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.ModelProvenance;

/**
 * Provenance of an {@link EmbeddingDataSource}: which images, which backbone (architecture, zoo coordinates,
 * sha256 of its weights, input size, feature dimension) and how the backbone was pretrained (every recipe entry, under
 * {@code recipe.<key>}: method, epochs, batch, optimiser, τ_base, ...). Any Tribuo model trained on the
 * source carries this, so {@code model.getProvenance()} leads back to exactly how its features were made.
 * Marshals and unmarshals like Tribuo's own provenances.
 */
public final class EmbeddingDataSourceProvenance implements DataSourceProvenance {

    private static final long serialVersionUID = 1L;

    /** Key of the image source description. */
    public static final String IMAGES = "images";
    /** Key of the backbone architecture name. */
    public static final String BACKBONE = "backbone";
    /** Key of the sha256 of the backbone's parameter file. */
    public static final String BACKBONE_SHA256 = "backbone-sha256";
    /** Key of the zoo coordinates of the backbone, or {@value #LOCAL} for one not published in a zoo. */
    public static final String BACKBONE_ARTIFACT = "backbone-artifact";
    /** The {@link #BACKBONE_ARTIFACT} value of a backbone trained or saved locally. */
    public static final String LOCAL = "local";
    /** Prefix of the pretraining recipe keys. */
    public static final String RECIPE_PREFIX = "recipe.";

    private final Map<String, Provenance> values;

    <T extends org.tribuo.Output<T>> EmbeddingDataSourceProvenance(String images, Backbone backbone,
            OutputFactory<T> outputFactory) {
        Map<String, Provenance> m = new LinkedHashMap<>();
        m.put(IMAGES, new StringProvenance(IMAGES, images));
        m.put(BACKBONE, new StringProvenance(BACKBONE, backbone.architecture().name()));
        m.put(BACKBONE_ARTIFACT, new StringProvenance(BACKBONE_ARTIFACT,
                backbone.artifact() == null ? LOCAL : backbone.artifact()));
        m.put(BACKBONE_SHA256, new HashProvenance(ProvenanceUtil.HashType.SHA256, BACKBONE_SHA256, backbone.sha256()));
        m.put("backbone-input-channels", new IntProvenance("backbone-input-channels",
                backbone.architecture().inputChannels()));
        m.put("backbone-image-size", new IntProvenance("backbone-image-size", backbone.imageSize()));
        m.put("feature-dim", new IntProvenance("feature-dim", backbone.featureDim()));
        for (Map.Entry<String, String> e : backbone.recipe().entrySet()) {
            String key = RECIPE_PREFIX + e.getKey();
            m.put(key, new StringProvenance(key, e.getValue()));
        }
        m.put(OUTPUT_FACTORY, outputFactory.getProvenance());
        m.put(DATASOURCE_CREATION_TIME, new DateTimeProvenance(DATASOURCE_CREATION_TIME, OffsetDateTime.now()));
        this.values = Collections.unmodifiableMap(m);
    }

    /**
     * The unmarshalling constructor Tribuo's provenance system calls.
     *
     * @param map the marshalled values
     */
    public EmbeddingDataSourceProvenance(Map<String, Provenance> map) {
        for (String key : new String[] {IMAGES, BACKBONE, BACKBONE_SHA256}) {
            if (!map.containsKey(key)) {
                throw new com.oracle.labs.mlrg.olcut.provenance.ProvenanceException(
                        "EmbeddingDataSourceProvenance is missing the field " + key);
            }
        }
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /**
     * Finds the embedding provenance behind a Tribuo model, looking through the datasets that wrap the source
     * (a {@code TransformTrainer}, for one, trains on a transformed copy whose source is the original dataset).
     *
     * @param model a model's provenance, e.g. {@code model.getProvenance()}
     * @return the provenance of the embeddings the model was trained on, if it was trained on embeddings
     */
    public static Optional<EmbeddingDataSourceProvenance> of(ModelProvenance model) {
        DataProvenance p = model.getDatasetProvenance();
        while (p instanceof DatasetProvenance) {
            p = ((DatasetProvenance) p).getSourceProvenance();
        }
        return p instanceof EmbeddingDataSourceProvenance ? Optional.of((EmbeddingDataSourceProvenance) p)
                : Optional.empty();
    }

    /**
     * @param key a provenance key
     * @return its value as a string, or null when absent
     */
    public String get(String key) {
        Provenance p = values.get(key);
        return p == null ? null : p instanceof com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance
                ? String.valueOf(((com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance<?>) p).getValue())
                : p.toString();
    }

    /** {@inheritDoc} */
    @Override
    public String getClassName() {
        return EmbeddingDataSource.class.getName();
    }

    /** {@inheritDoc} */
    @Override
    public Iterator<Pair<String, Provenance>> iterator() {
        return values.entrySet().stream().map(e -> new Pair<>(e.getKey(), e.getValue())).iterator();
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddingDataSourceProvenance && ((EmbeddingDataSourceProvenance) o).values.equals(values);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return generateString("EmbeddingDataSource");
    }
}
