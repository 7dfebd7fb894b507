package org.byol4j.spark;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.byol4j.backbone.Backbone;

/**
 * Run by {@link PartitionResourcesTest} in a child JVM whose Java heap is fixed and pre-touched, so that resident
 * memory moves only with native allocations: embeds 500 images in 200 partitions per pass with Spark local[1], and
 * prints {@code sample <pass> <rssKiB> <liveArrays> <backboneLoads>} after each pass.
 */
public final class PartitionResourcesProbe {

    private PartitionResourcesProbe() {}

    /**
     * @param args the sample's IDX image file, the number of passes
     * @throws IOException when /proc cannot be read
     */
    public static void main(String[] args) throws IOException {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("byol4j partition probe")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            Dataset<Row> rows = IdxFrames.read(spark, Path.of(args[0]), null, 200).cache();
            rows.count();
            BackboneEmbedder embedder = new BackboneEmbedder().setBackbone(LocalSpark.ZOO).setBatchSize(8);
            NDManager root = null;
            for (int pass = 0; pass <= Integer.parseInt(args[1]); pass++) {
                long embedded = embedder.transform(rows).filter("embedding is not null").count();
                if (embedded != 500) {
                    throw new IllegalStateException("pass " + pass + " embedded " + embedded + " of 500 images");
                }
                if (root == null) {
                    try (BackboneRef.Opened o = new BackboneRef(LocalSpark.ZOO).open()) {
                        root = root(ExecutorBackbones.get(new BackboneRef(LocalSpark.ZOO), o.backbone().sha256()));
                    }
                }
                System.out.println("sample " + pass + " " + rssKiB() + " " + root.getManagedArrays().size() + " "
                        + ExecutorBackbones.loads());
            }
        } finally {
            spark.stop();
        }
    }

    private static NDManager root(Backbone b) {
        NDManager m = b.block().getParameters().valueAt(0).getArray().getManager();
        while (m.getParentManager() != null) {
            m = m.getParentManager();
        }
        return m;
    }

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
