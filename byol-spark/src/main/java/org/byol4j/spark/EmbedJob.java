package org.byol4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.split;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code spark-submit} job: embeds an image collection with a byol4j backbone on the cluster and writes Parquet
 * ({@code id}, {@code path}, {@code label}, {@code embedding}, {@code embeddingError}); with a test collection it also
 * fits MLlib's linear evaluation on the training embeddings and prints accuracy and the confusion matrix.
 *
 * <pre>
 * spark-submit --master spark://127.0.0.1:7077 --class org.byol4j.spark.EmbedJob byol-spark-*-app.jar \
 *     --backbone org.byol4j:byol-resnet18-fmnist --images train-images-idx3-ubyte.gz \
 *     --labels train-labels-idx1-ubyte.gz --test-images t10k-images-idx3-ubyte.gz \
 *     --test-labels t10k-labels-idx1-ubyte.gz --out embeddings/
 * </pre>
 *
 * <p>A collection is an IDX image file (with {@code --labels}) or a folder of class folders of images (the label is
 * the folder's name; unreadable files follow {@code --on-bad-image}). The output folder is written whole or not at
 * all: Parquet goes to a temporary folder beside it, which is renamed when complete (on a local file system).
 */
@Command(name = "byol-spark-embed", mixinStandardHelpOptions = true,
        description = "Embed images with a byol4j backbone on Spark; write Parquet; optionally evaluate linearly.")
public final class EmbedJob implements Callable<Integer> {

    @Option(names = "--backbone", required = true, description = "Zoo coordinates (org.byol4j:byol-resnet18-fmnist)"
            + " or a backbone folder readable on every executor.")
    String backbone;

    @Option(names = "--images", required = true, description = "An IDX image file, or a folder of class folders.")
    Path images;

    @Option(names = "--labels", description = "The IDX label file of --images.")
    Path labels;

    @Option(names = "--test-images", description = "A test collection: fit a linear evaluation on --images, judge on"
            + " this.")
    Path testImages;

    @Option(names = "--test-labels", description = "The IDX label file of --test-images.")
    Path testLabels;

    @Option(names = "--out", required = true, description = "Output folder: Parquet under train/ (and test/).")
    Path out;

    @Option(names = "--batch", defaultValue = "64", description = "Images per forward pass.")
    int batch;

    @Option(names = "--partitions", defaultValue = "0", description = "Partitions (0: the cluster's default"
            + " parallelism).")
    int partitions;

    @Option(names = "--on-bad-image", defaultValue = "fail", description = "fail (the job fails naming the file) or"
            + " keep (the row stays with a null embedding and the reason).")
    String onBadImage;

    @Option(names = "--no-evaluation", description = "Embed --test-images too, but skip the linear evaluation.")
    boolean noEvaluation;

    @Option(names = "--master", description = "Spark master when not run by spark-submit (e.g. local[2]).")
    String master;

    /**
     * @param args the options; {@code --help} lists them
     */
    public static void main(String[] args) {
        int code = new CommandLine(new EmbedJob()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException {
        SparkSession.Builder builder = SparkSession.builder().appName("byol4j embed");
        if (master != null) {
            builder.master(master);
        }
        SparkSession spark = builder.getOrCreate();
        try {
            return run(spark);
        } finally {
            spark.stop();
        }
    }

    /**
     * Runs the job on a session the caller owns.
     *
     * @param spark the session
     * @return the exit code, 0
     * @throws IOException when the output folder cannot be put in place
     */
    int run(SparkSession spark) throws IOException {
        int parts = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
        BackboneEmbedder embedder = new BackboneEmbedder().setBackbone(backbone).setBatchSize(batch)
                .setOnBadImage(onBadImage);
        long t0 = System.nanoTime();
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp-" + System.currentTimeMillis());
        long[] counts = write(embed(embedder, collection(spark, images, labels, parts)), tmp.resolve("train"));
        if (testImages != null) {
            long[] test = write(embed(embedder, collection(spark, testImages, testLabels, parts)),
                    tmp.resolve("test"));
            counts = new long[] {counts[0] + test[0], counts[1] + test[1]};
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        replace(tmp, out);
        System.out.printf(Locale.ROOT, "embedded %d images in %.1f s (%.0f images/s) with %s on %d partitions;"
                + " %d without an embedding (bad images kept); Parquet in %s%n", counts[0], seconds,
                counts[0] / seconds, backbone, parts, counts[1], out);
        if (testImages != null && !noEvaluation) {
            Dataset<Row> train = spark.read().parquet(out.resolve("train").toString());
            Dataset<Row> test = spark.read().parquet(out.resolve("test").toString());
            System.out.print(new SparkLinearEvaluation().run(train, test).describe());
        }
        return 0;
    }

    /**
     * @param spark the session
     * @param images an IDX file or a folder of class folders
     * @param labels the IDX label file, or null
     * @param partitions partitions
     * @return rows with {@code id}, {@code path}, {@code label} and an image column ({@code image} or
     *     {@code content})
     */
    static Dataset<Row> collection(SparkSession spark, Path images, Path labels, int partitions) {
        if (Files.isRegularFile(images)) {
            return IdxFrames.read(spark, images, labels, partitions);
        }
        if (!Files.isDirectory(images)) {
            throw new IllegalArgumentException(images + " is neither an IDX image file nor a folder of images");
        }
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .option("pathGlobFilter", "*.{png,PNG,jpg,JPG,jpeg,JPEG,bmp,BMP,gif,GIF}")
                .load(images.toString());
        return files.orderBy("path").withColumn("id", monotonically_increasing_id())
                .withColumn("label", element_at(split(col("path"), "/"), -2))
                .select("id", "path", "label", "content").repartition(partitions);
    }

    private static Dataset<Row> embed(BackboneEmbedder embedder, Dataset<Row> rows) {
        boolean bytes = java.util.Arrays.asList(rows.columns()).contains("content");
        return embedder.setInputCol(bytes ? "content" : "image").transform(rows);
    }

    /** @return rows written and rows without an embedding, counted in one pass over what was written */
    private static long[] write(Dataset<Row> embedded, Path dir) {
        Dataset<Row> rows = embedded.drop("image", "content");
        rows.write().mode(SaveMode.ErrorIfExists).parquet(dir.toString());
        Row r = embedded.sparkSession().read().parquet(dir.toString())
                .agg(count(lit(1)), count(col("embeddingError"))).first();
        return new long[] {r.getLong(0), r.getLong(1)};
    }

    private static void replace(Path tmp, Path out) throws IOException {
        if (Files.exists(out)) {
            Path old = out.resolveSibling(out.getFileName() + ".old-" + System.currentTimeMillis());
            Files.move(out, old);
            Files.move(tmp, out);
            try (Stream<Path> walk = Files.walk(old)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        } else {
            Files.move(tmp, out);
        }
    }
}
