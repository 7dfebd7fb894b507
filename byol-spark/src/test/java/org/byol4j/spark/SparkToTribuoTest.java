package org.byol4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.byol4j.tribuo.EmbeddingDataSourceProvenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import picocli.CommandLine;

/** The spark-submit job end to end in local mode, and its Parquet back into Tribuo with the backbone named. */
class SparkToTribuoTest {

    @Test
    void theJobWritesParquetEvaluatesLinearlyAndTribuoReadsItBack(@TempDir Path dir) throws IOException {
        SparkSession spark = LocalSpark.session();
        Path out = dir.resolve("embeddings");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream before = System.out;
        int code;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            EmbedJob job = new EmbedJob();
            new CommandLine(job).parseArgs("--backbone", LocalSpark.ZOO,
                    "--images", LocalSpark.sample(dir, "train-images-idx3-ubyte.gz").toString(),
                    "--labels", LocalSpark.sample(dir, "train-labels-idx1-ubyte.gz").toString(),
                    "--test-images", LocalSpark.sample(dir, "t10k-images-idx3-ubyte.gz").toString(),
                    "--test-labels", LocalSpark.sample(dir, "t10k-labels-idx1-ubyte.gz").toString(),
                    "--out", out.toString(), "--partitions", "3");
            code = job.run(spark);
        } finally {
            System.setOut(before);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(0, code, text);
        assertTrue(text.contains("embedded 2500 images") && text.contains("0 without an embedding"), text);
        assertTrue(text.contains("accuracy") && text.contains("true\\predicted"), text);
        assertTrue(Files.isDirectory(out.resolve("train")) && Files.isDirectory(out.resolve("test")));
        try (var siblings = Files.list(dir)) {
            assertEquals(0, siblings.filter(p -> p.getFileName().toString().contains(".tmp-")).count(),
                    "the temporary folder was renamed");
        }

        MutableDataset<Label> tribuo = ParquetEmbeddings.toTribuo(spark, out.resolve("test").toString());
        assertEquals(500, tribuo.size());
        EmbeddingDataSourceProvenance p = (EmbeddingDataSourceProvenance) tribuo.getProvenance()
                .getSourceProvenance();
        assertTrue(p.get(EmbeddingDataSourceProvenance.BACKBONE_ARTIFACT).startsWith("org.byol4j:byol-resnet18-fmnist:"),
                p.toString());
        assertEquals(spark.read().parquet(out.resolve("test").toString()).schema().apply("embedding").metadata()
                .getString(BackboneEmbedder.METADATA_SHA256), p.get(EmbeddingDataSourceProvenance.BACKBONE_SHA256));
        assertTrue(p.get("recipe.method") != null, "the backbone's recipe: " + p);

        String plain = dir.resolve("plain").toString();
        spark.read().parquet(out.resolve("test").toString()).select("label", "embedding")
                .withMetadata("embedding", org.apache.spark.sql.types.Metadata.empty()).write().parquet(plain);
        IllegalArgumentException unnamed = assertThrows(IllegalArgumentException.class,
                () -> ParquetEmbeddings.toTribuo(spark, plain));
        assertTrue(unnamed.getMessage().contains("does not name its backbone"), unnamed.getMessage());
    }
}
