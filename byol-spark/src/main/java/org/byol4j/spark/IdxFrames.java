package org.byol4j.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.byol4j.data.IdxImageSource;

/**
 * IDX files (MNIST, Fashion-MNIST; gzipped or not) as a DataFrame, so that they go through the same stages as any
 * image collection: columns {@code id} (the image's index in the file), {@code path} ({@code <file>#<index>}),
 * {@code label} (the label number as text, as {@code byol embed} writes it; null without a label file) and {@code image} (a struct of Spark's image data source, 8-bit greyscale). The files are read on the
 * driver and checked there (wrong magic number, truncated, labels not matching images: refused naming the file);
 * 70,000 Fashion-MNIST images take about 60 MB of driver memory.
 */
public final class IdxFrames {

    /** The schema of {@link #read}. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("path", DataTypes.StringType, false),
        DataTypes.createStructField("label", DataTypes.StringType, true),
        DataTypes.createStructField("image", ImageSchema.columnSchema(), false)});

    private IdxFrames() {}

    /**
     * @param spark the session
     * @param images an IDX image file
     * @param labels its IDX label file, or null
     * @param partitions partitions of the result (≥ 1)
     * @return one row per image, in file order: contiguous runs of ids in each partition
     */
    public static Dataset<Row> read(SparkSession spark, Path images, Path labels, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        IdxImageSource source = labels == null ? IdxImageSource.unlabelled(images)
                : IdxImageSource.labelled(images, labels);
        List<Row> rows = new ArrayList<>(source.size());
        for (int i = 0; i < source.size(); i++) {
            String path = images + "#" + i;
            rows.add(RowFactory.create((long) i, path, labels == null ? null : source.label(i),
                    SparkImages.toStruct(source.image(i), path)));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(rows, partitions), SCHEMA);
    }
}
