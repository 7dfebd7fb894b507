package org.byol4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("slow")
class OfflineEngineTest {

    /**
     * A fresh JVM with an empty DJL cache, no offline setting of its own and every HTTP(S) request sent to a
     * closed local port: the engine must still start, extracting libtorch from the jar on the classpath.
     */
    @Test
    void startsWithEmptyCacheAndNoNetwork(@TempDir Path cache) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=9", "-Dhttps.proxyHost=127.0.0.1",
                "-Dhttps.proxyPort=9", EngineProbe.class.getName());
        pb.environment().put("DJL_CACHE_DIR", cache.toString());
        pb.environment().remove("DJL_OFFLINE");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "engine start timed out");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("engine=PyTorch"), out);
        assertTrue(out.contains("offline=true"), out);
        assertTrue(out.contains("sum=2.0"), out);
        try (Stream<Path> files = Files.walk(cache)) {
            List<Path> libs = files.filter(f -> f.getFileName().toString().startsWith("libtorch")).toList();
            assertTrue(!libs.isEmpty(), "libtorch was not extracted into the empty cache " + cache);
        }
    }

    @Test
    void keepsAnExplicitUserSetting() {
        String before = System.getProperty("ai.djl.offline");
        try {
            System.setProperty("ai.djl.offline", "true");
            OfflineEngine.get();
            assertEquals("true", System.getProperty("ai.djl.offline"));
        } finally {
            if (before == null) {
                System.clearProperty("ai.djl.offline");
            } else {
                System.setProperty("ai.djl.offline", before);
            }
        }
    }
}
