package org.byol4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** One local[2] Spark session for the module's tests, on loopback, without the web UI; and the jar's sample. */
final class LocalSpark {

    /** The zoo artefact the tests embed with. */
    static final String ZOO = "org.byol4j:byol-resnet18-fmnist";

    private static SparkSession session;

    private LocalSpark() {}

    /** @return the shared session, started on first use (stopped when the test JVM exits) */
    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("byol4j tests")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
        }
        return session;
    }

    /**
     * @param dir where to copy the files
     * @param name a file of the Fashion-MNIST sample in the byol-plugin jar, e.g. {@code t10k-images-idx3-ubyte.gz}
     * @return the copy
     */
    static Path sample(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            try (InputStream in = LocalSpark.class.getResourceAsStream("/org/byol4j/sample/fashion-mnist/" + name)) {
                Files.copy(in, file);
            }
        }
        return file;
    }
}
