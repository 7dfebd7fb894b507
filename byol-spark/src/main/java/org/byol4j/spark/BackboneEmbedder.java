package org.byol4j.spark;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.byol4j.backbone.Backbone;

/**
 * A Spark ML stage that embeds images with a byol4j backbone: the input column holds Spark's {@code image} data source
 * structs or encoded image bytes ({@code binaryFile}'s {@code content}); the output column gets an {@code ml.linalg}
 * dense vector per row, and an error column says why a row has none. Use it as any {@link Transformer}, alone or as
 * the first stage of a {@code Pipeline} (embedder → {@code StandardScaler} → {@code LogisticRegression}); it saves and
 * loads with the pipeline ({@link DefaultParamsWritable}, {@link #read()}).
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("image").load("photos/");
 * Dataset<Row> embedded = new BackboneEmbedder().setBackbone("org.byol4j:byol-resnet18-fmnist").transform(images);
 * }</pre>
 *
 * <p>On each executor the backbone is loaded once and shared by its tasks ({@link ExecutorBackbones}); within a
 * partition images go through the network {@code batchSize} at a time. A bad image (corrupt, truncated, not an
 * image) fails the task naming the file ({@code onBadImage = fail}, the default) or keeps its row with a null
 * embedding and the reason in the error column ({@code keep}). The output column's metadata names the backbone and
 * the sha256 of its weights, so that Parquet files written from it say what made them.
 */
public final class BackboneEmbedder extends Transformer implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    /** Metadata key of the output column: the backbone as given. */
    public static final String METADATA_BACKBONE = "byol4j.backbone";
    /** Metadata key of the output column: the sha256 of the backbone's weights. */
    public static final String METADATA_SHA256 = "byol4j.backboneSha256";

    private final String uid;
    private final Param<String> backbone;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> errorCol;
    private final Param<String> pathCol;
    private final IntParam batchSize;
    private final Param<String> onBadImage;

    /** A stage with a fresh uid. */
    public BackboneEmbedder() {
        this(Identifiable.randomUID("backboneEmbedder"));
    }

    /**
     * For Spark's copy and load, which construct stages by uid.
     *
     * @param uid the stage's uid
     */
    public BackboneEmbedder(String uid) {
        this.uid = uid;
        backbone = new Param<>(this, "backbone", "zoo coordinates (org.byol4j:byol-resnet18-fmnist) or a backbone"
                + " folder (path or file: URL) readable on every executor");
        inputCol = new Param<>(this, "inputCol", "column of image structs (image data source) or image bytes"
                + " (binaryFile content)");
        outputCol = new Param<>(this, "outputCol", "column of embeddings (ml.linalg dense vectors)");
        errorCol = new Param<>(this, "errorCol", "column saying why a row has no embedding (null when it has one)");
        pathCol = new Param<>(this, "pathCol", "column naming each row's file, for errors about image bytes");
        batchSize = new IntParam(this, "batchSize", "images per forward pass (>= 1)", ParamValidators.gtEq(1));
        onBadImage = new Param<>(this, "onBadImage", "fail: a bad image fails the job naming the file; keep: its row"
                + " stays with a null embedding and the reason in errorCol", ParamValidators.inArray(
                        new String[] {"fail", "keep"}));
        setDefault(inputCol, "image");
        setDefault(outputCol, "embedding");
        setDefault(errorCol, "embeddingError");
        setDefault(pathCol, "path");
        setDefault(batchSize, 64);
        setDefault(onBadImage, "fail");
    }

    /** {@inheritDoc} */
    @Override
    public String uid() {
        return uid;
    }

    /** @return the backbone parameter */
    public Param<String> backbone() {
        return backbone;
    }

    /** @return the input column parameter */
    public Param<String> inputCol() {
        return inputCol;
    }

    /** @return the output column parameter */
    public Param<String> outputCol() {
        return outputCol;
    }

    /** @return the error column parameter */
    public Param<String> errorCol() {
        return errorCol;
    }

    /** @return the path column parameter */
    public Param<String> pathCol() {
        return pathCol;
    }

    /** @return the batch size parameter */
    public IntParam batchSize() {
        return batchSize;
    }

    /** @return the bad-image policy parameter */
    public Param<String> onBadImage() {
        return onBadImage;
    }

    /**
     * @param value zoo coordinates or a backbone folder
     * @return this stage
     */
    public BackboneEmbedder setBackbone(String value) {
        set(backbone, value);
        return this;
    }

    /**
     * @param value the input column
     * @return this stage
     */
    public BackboneEmbedder setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    /**
     * @param value the output column
     * @return this stage
     */
    public BackboneEmbedder setOutputCol(String value) {
        set(outputCol, value);
        return this;
    }

    /**
     * @param value the error column
     * @return this stage
     */
    public BackboneEmbedder setErrorCol(String value) {
        set(errorCol, value);
        return this;
    }

    /**
     * @param value the column naming each row's file
     * @return this stage
     */
    public BackboneEmbedder setPathCol(String value) {
        set(pathCol, value);
        return this;
    }

    /**
     * @param value images per forward pass
     * @return this stage
     */
    public BackboneEmbedder setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /**
     * @param value {@code fail} or {@code keep}
     * @return this stage
     */
    public BackboneEmbedder setOnBadImage(String value) {
        set(onBadImage, value.toLowerCase(Locale.ROOT));
        return this;
    }

    /** {@inheritDoc} */
    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(backbone)) {
            throw new IllegalArgumentException("BackboneEmbedder: set the backbone (zoo coordinates such as"
                    + " org.byol4j:byol-resnet18-fmnist, or a backbone folder)");
        }
        String in = $(inputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(in)) {
            throw new IllegalArgumentException("input column " + in + " is not in the data; its columns are "
                    + String.join(", ", schema.fieldNames()));
        }
        SparkImages.kindOf(in, schema.apply(in).dataType());
        for (String out : List.of($(outputCol), $(errorCol))) {
            if (Arrays.asList(schema.fieldNames()).contains(out)) {
                throw new IllegalArgumentException("output column " + out + " already exists in the data");
            }
        }
        return schema.add(new StructField($(outputCol), SQLDataTypes.VectorType(), true, Metadata.empty()))
                .add(new StructField($(errorCol), DataTypes.StringType, true, Metadata.empty()));
    }

    /** {@inheritDoc} */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        Dataset<Row> df = dataset.toDF();
        StructType in = df.schema();
        BackboneRef ref = new BackboneRef($(backbone));
        String sha256;
        int dim;
        try (BackboneRef.Opened opened = ref.open()) {
            Backbone b = opened.backbone();
            sha256 = b.sha256();
            dim = b.featureDim();
        }
        int input = in.fieldIndex($(inputCol));
        SparkImages.Kind kind = SparkImages.kindOf($(inputCol), in.apply($(inputCol)).dataType());
        int origin = Arrays.asList(in.fieldNames()).contains($(pathCol)) ? in.fieldIndex($(pathCol)) : -1;
        Dataset<Row> embedded = df.mapPartitions(new EmbedPartition(ref, sha256, input, kind, origin,
                (Integer) $(batchSize), "keep".equals($(onBadImage))), Encoders.row(out));
        Metadata meta = new MetadataBuilder().withMetadata(new AttributeGroup($(outputCol), dim).toMetadata())
                .putString(METADATA_BACKBONE, ref.spec()).putString(METADATA_SHA256, sha256).build();
        return embedded.withMetadata($(outputCol), meta);
    }

    /** {@inheritDoc} */
    @Override
    public BackboneEmbedder copy(ParamMap extra) {
        return (BackboneEmbedder) defaultCopy(extra);
    }

    /** @return the reader {@code PipelineModel.load} and {@link #load} use */
    public static MLReader<BackboneEmbedder> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * @param path where a stage was saved
     * @return the stage
     */
    public static BackboneEmbedder load(String path) {
        return read().load(path);
    }
}
