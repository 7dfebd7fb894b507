package org.byol4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;
import org.byol4j.backbone.Backbone;
import org.byol4j.tribuo.PrecomputedEmbeddingSource;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

/**
 * Embeddings written by {@link EmbedJob} (or any {@link BackboneEmbedder} output saved as Parquet) back into a Tribuo
 * dataset, for users who train Tribuo models on the result: the same feature names and provenance as embedding with
 * byol4j in one JVM, the provenance naming the backbone from the Parquet column's metadata (coordinates or folder,
 * sha256 of the weights, its pretraining recipe). The backbone is loaded to read its recipe and checked against the
 * recorded sha256. Rows without an embedding (bad images kept) are left out. The rows are collected to the driver.
 */
public final class ParquetEmbeddings {

    private ParquetEmbeddings() {}

    /**
     * @param spark the session
     * @param parquet a folder of embeddings with {@code label} and {@code embedding} columns
     * @return a Tribuo dataset of labelled embeddings
     * @throws IllegalArgumentException when the folder's embedding column does not name its backbone, or the
     *     backbone found has other weights
     */
    public static MutableDataset<Label> toTribuo(SparkSession spark, String parquet) {
        Dataset<Row> rows = spark.read().parquet(parquet);
        Metadata meta = rows.schema().apply("embedding").metadata();
        if (!meta.contains(BackboneEmbedder.METADATA_BACKBONE) || !meta.contains(BackboneEmbedder.METADATA_SHA256)) {
            throw new IllegalArgumentException(parquet + ": the embedding column's metadata does not name its backbone"
                    + " (" + BackboneEmbedder.METADATA_BACKBONE + ", " + BackboneEmbedder.METADATA_SHA256 + "); was it"
                    + " written by byol4j's BackboneEmbedder?");
        }
        BackboneRef ref = new BackboneRef(meta.getString(BackboneEmbedder.METADATA_BACKBONE));
        String sha256 = meta.getString(BackboneEmbedder.METADATA_SHA256);
        List<float[]> vectors = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Row r : rows.filter(rows.col("embedding").isNotNull()).orderBy("id").select("label", "embedding")
                .collectAsList()) {
            if (r.isNullAt(0)) {
                throw new IllegalArgumentException(parquet + ": a row has no label; a Tribuo dataset needs one per"
                        + " example");
            }
            double[] d = ((Vector) r.get(1)).toArray();
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            labels.add(r.getString(0));
            vectors.add(f);
        }
        try (BackboneRef.Opened opened = ref.open()) {
            Backbone b = opened.backbone();
            if (!b.sha256().equals(sha256)) {
                throw new IllegalArgumentException(parquet + " was embedded by " + ref.spec() + " with sha256 " + sha256
                        + ", but that backbone now has " + b.sha256());
            }
            return new MutableDataset<>(new PrecomputedEmbeddingSource<>(parquet, b, vectors, labels,
                    new LabelFactory()));
        }
    }
}
