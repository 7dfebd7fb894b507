package org.byol4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many small partitions: the backbone is loaded once for the JVM, every partition's arrays are closed with it (the
 * engine's live array count never moves), and resident memory stays flat, measured in a child JVM whose Java heap is
 * fixed and pre-touched ({@link PartitionResourcesProbe}) so that only native allocations can move it.
 */
@Tag("slow")
class PartitionResourcesTest {

    /** Passes of 200 partitions after the warm-up pass. */
    static final int PASSES = 24;

    /** The pass from which resident memory must be flat: before it, Spark and the JIT still grow (see below). */
    static final int SETTLED = 16;

    /**
     * Largest tolerated resident growth over the last eight passes (1,600 partitions, 4,000 forward passes of 8
     * images): one leaked input batch per forward pass (25 KiB) would grow it by about 98 MiB. Measured clean
     * (AMD EPYC, AVX-512, 2026-12-06): 1,504 MiB after the warm-up pass, then about 3 MiB a pass for 16 passes
     * (Spark's and the JIT's own warm-up: the engine's live array count never moved), then flat at 1,552–1,554 MiB.
     */
    static final long GROWTH_LIMIT_KIB = 16 * 1024;

    @Test
    void manySmallPartitionsLeaveNoArrayBehindAndLoadTheBackboneOnce(@TempDir Path dir) throws Exception {
        Path images = LocalSpark.sample(dir, "t10k-images-idx3-ubyte.gz");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PartitionResourcesProbe.class.getName(),
                images.toString(), Integer.toString(PASSES)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "probe timed out");
        assertEquals(0, p.exitValue(), out);
        List<long[]> samples = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("sample ")) {
                samples.add(Arrays.stream(line.trim().split(" ")).skip(1).mapToLong(Long::parseLong).toArray());
            }
        }
        assertEquals(PASSES + 1, samples.size(), out);
        String series = samples.stream().map(s -> s[1] / 1024 + " MiB/" + s[2] + " arrays").toList().toString();
        System.out.println("after each pass of 200 partitions: " + series);
        for (long[] s : samples) {
            assertEquals(samples.get(0)[2], s[2], "live arrays changed: " + series);
            assertEquals(1, s[3], "the backbone is loaded once for the JVM: " + series);
        }
        long grown = samples.get(PASSES)[1] - samples.get(SETTLED)[1];
        assertTrue(grown < GROWTH_LIMIT_KIB, "resident memory grew by " + grown / 1024 + " MiB: " + series);
    }
}
