package org.byol4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.byol4j.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real Spark standalone cluster on 127.0.0.1 (bin/spark-cluster: a master and two workers, each its own JVM, their
 * executors more JVMs), byol4j's job submitted to it with Spark's own {@code SparkSubmit} and the shaded app jar: the
 * embeddings equal single-JVM {@code byol embed} output and local[2] output row for row, and a job whose executor is
 * killed with SIGKILL midway still finishes with every row once and the same embeddings. Run by failsafe after the
 * app jar is packaged; bounded in time; the cluster is stopped by its pids.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SCRIPT = ROOT.resolve("bin/spark-cluster");
    private static final String SAMPLE = "byol-plugin/src/main/resources/org/byol4j/sample/fashion-mnist/";
    private static Path dir;
    private static Map<String, String> env;
    private static Map<Long, Vector> clusterEmbeddings;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String script(int timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/spark-cluster " + String.join(" ", args) + " timed out:\n" + out);
        }
        assertEquals(0, p.exitValue(), "bin/spark-cluster " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    private static List<String> job(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("submit", "--backbone", LocalSpark.ZOO,
                "--images", ROOT.resolve(SAMPLE + "train-images-idx3-ubyte.gz").toString(),
                "--labels", ROOT.resolve(SAMPLE + "train-labels-idx1-ubyte.gz").toString(),
                "--out", out.toString()));
        args.addAll(List.of(more));
        return args;
    }

    private static Map<Long, Vector> read(Path parquet) {
        Map<Long, Vector> out = new HashMap<>();
        for (Row r : LocalSpark.session().read().parquet(parquet.toString()).select("id", "embedding")
                .collectAsList()) {
            assertTrue(out.put(r.getLong(0), (Vector) r.get(1)) == null, "row " + r.getLong(0) + " twice");
        }
        return out;
    }

    private static double maxAbsDiff(Map<Long, Vector> a, Map<Long, Vector> b) {
        assertEquals(a.keySet(), b.keySet(), "the same rows");
        double worst = 0;
        for (Map.Entry<Long, Vector> e : a.entrySet()) {
            double[] x = e.getValue().toArray();
            double[] y = b.get(e.getKey()).toArray();
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }

    @BeforeAll
    static void startCluster() throws Exception {
        dir = Files.createTempDirectory("byol4j-spark-cluster");
        env = Map.of("BYOL4J_SPARK_DIR", dir.toString(), "SPARK_MASTER_PORT", Integer.toString(freePort()),
                "SPARK_MASTER_WEBUI_PORT", Integer.toString(freePort()), "BYOL4J_SPARK_TIMEOUT", "120");
        System.out.print(script(600, "start", "2"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        List<Long> pids = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                pids.add(Long.parseLong(Files.readString(f).trim()));
            }
        }
        System.out.print(script(120, "stop"));
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "pid " + pid + " still runs");
        }
        try (var walk = Files.walk(dir)) { // executors' work folders hold a copy of the 135 MB app jar each
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    @Order(1)
    void theClusterEmbedsAsOneJvmAndAsLocalModeDo() throws Exception {
        Path out = dir.resolve("cluster");
        String printed = script(600, job(out, "--partitions", "8").toArray(String[]::new));
        assertTrue(printed.contains("embedded 2000 images"), printed);
        clusterEmbeddings = read(out.resolve("train"));
        assertEquals(2000, clusterEmbeddings.size());

        Path csv = dir.resolve("single-jvm.csv");
        assertEquals(0, Main.run(new String[] {"embed", "--zoo", "byol-resnet18-fmnist", "--data",
            ROOT.resolve(SAMPLE + "train-images-idx3-ubyte.gz").toString(), "--out", csv.toString()}));
        Map<Long, Vector> single = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(csv)) {
            long dims = java.util.Arrays.stream(r.readLine().split(",")).filter(h -> h.matches("f\\d+")).count();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split(",");
                double[] v = new double[(int) dims];
                for (int i = 0; i < dims; i++) {
                    v[i] = Double.parseDouble(f[f.length - (int) dims + i]);
                }
                single.put(Long.parseLong(f[0]), org.apache.spark.ml.linalg.Vectors.dense(v));
            }
        }
        double vsSingle = maxAbsDiff(clusterEmbeddings, single);
        assertTrue(vsSingle <= 1e-5, "cluster against byol embed: " + vsSingle);

        EmbedJob local = new EmbedJob();
        Path localOut = dir.resolve("local");
        List<String> localArgs = job(localOut, "--partitions", "2");
        new picocli.CommandLine(local).parseArgs(localArgs.subList(1, localArgs.size())
                .toArray(String[]::new));
        assertEquals(0, local.run(LocalSpark.session()));
        double vsLocal = maxAbsDiff(clusterEmbeddings, read(localOut.resolve("train")));
        assertTrue(vsLocal <= 1e-5, "cluster against local[2]: " + vsLocal);
        System.out.printf("max abs difference: cluster vs byol embed %.2e, cluster vs local[2] %.2e%n", vsSingle,
                vsLocal);
    }

    @Test
    @Order(2)
    void aJobWhoseExecutorIsKilledMidwayFinishesWithEveryRowOnce() throws Exception {
        Path out = dir.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
        cmd.addAll(job(out, "--partitions", "40", "--batch", "8"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process job = pb.start();
        AtomicInteger finished = new AtomicInteger();
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(job.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    if (line.contains("Finished task") && line.contains("stage")) {
                        finished.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (finished.get() < 10 && System.nanoTime() < deadline && job.isAlive()) {
            Thread.sleep(100);
        }
        assertTrue(job.isAlive(), "the job ended before an executor could be killed:\n" + log);
        String[] executors = script(30, "executors").trim().split("\\s+");
        assertTrue(executors.length >= 1 && !executors[0].isEmpty(), "no executor found");
        long victim = Long.parseLong(executors[0]);
        new ProcessBuilder("kill", "-9", Long.toString(victim)).start().waitFor();
        System.out.println("killed executor pid " + victim + " after " + finished.get() + " finished tasks");
        assertTrue(job.waitFor(10, TimeUnit.MINUTES), "the job did not finish after the kill:\n" + log);
        reader.join();
        assertEquals(0, job.exitValue(), log.toString());
        synchronized (log) {
            assertTrue(log.toString().contains("embedded 2000 images"), log.toString());
            assertTrue(log.toString().contains("Lost executor") || log.toString().contains("lost executor")
                    || log.toString().contains("ExecutorLostFailure") || log.toString().contains("Removed executor"),
                    "the driver saw the executor go");
        }
        Map<Long, Vector> afterKill = read(out.resolve("train"));
        assertEquals(2000, afterKill.size(), "every row exactly once");
        double diff = maxAbsDiff(clusterEmbeddings, afterKill);
        assertTrue(diff <= 1e-5, "the same embeddings after the kill: " + diff);
    }
}
