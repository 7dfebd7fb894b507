package org.byol4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("slow")
class ZooArchivesTest {

    @TempDir
    Path work;

    private Path cache() {
        return work.resolve("cache");
    }

    private List<Path> cacheEntries() throws IOException {
        if (!Files.exists(cache())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache())) {
            return s.toList();
        }
    }

    private Path archive(String name, Map<String, byte[]> extra) throws IOException {
        Path folder = work.resolve("src-" + name);
        ZooFixtures.export(folder);
        Path zip = work.resolve(name + ".zip");
        ZooFixtures.zip(folder, zip, extra);
        return zip;
    }

    @Test
    void anEntryThatEscapesIsRefusedAndNothingIsCached() throws Exception {
        Path zip = archive("slip", Map.of("../../evil.txt", "x".getBytes(StandardCharsets.UTF_8)));
        IOException e = assertThrows(IOException.class, () -> ZooArchives.unpack(zip.toUri().toURL(), cache()));
        assertTrue(e.getMessage().contains("'../../evil.txt' would be written outside"), e.getMessage());
        assertEquals(List.of(), cacheEntries(), "nothing extracted or cached");
        assertFalse(Files.exists(work.resolve("evil.txt")) || Files.exists(work.getParent().resolve("evil.txt")));
    }

    @Test
    void aTamperedArtefactInAnArchiveIsRefusedAndNothingIsCached() throws Exception {
        Path folder = work.resolve("src");
        Path artefact = ZooFixtures.export(folder);
        Path params = ZooFixtures.parameterFile(artefact);
        byte[] b = Files.readAllBytes(params);
        b[b.length / 2] ^= 1;
        Files.write(params, b);
        Path zip = work.resolve("tampered.zip");
        ZooFixtures.zip(folder, zip, Map.of());
        MalformedModelException e = assertThrows(MalformedModelException.class,
                () -> ZooArchives.unpack(zip.toUri().toURL(), cache()));
        assertTrue(e.getMessage().contains("tampered"), e.getMessage());
        assertEquals(List.of(), cacheEntries());
    }

    @Test
    void aChangedArchiveIsNeverServedFromTheOldEntry() throws Exception {
        Path zip = archive("v1", Map.of());
        Path first = ZooArchives.unpack(zip.toUri().toURL(), cache());
        assertEquals(first, ZooArchives.unpack(zip.toUri().toURL(), cache()), "same archive, same entry");
        ZooFixtures.zip(work.resolve("src-v1"), zip, Map.of("NOTES.txt", "v2".getBytes(StandardCharsets.UTF_8)));
        Path second = ZooArchives.unpack(zip.toUri().toURL(), cache());
        assertFalse(first.equals(second), "a changed archive gets its own entry");
        assertTrue(Files.isRegularFile(second.resolve("NOTES.txt")));
    }

    /** Two JVMs unpack the same archive into an empty cache at the same moment: both succeed, on one entry. */
    @Test
    void twoProcessesUnpackingAtOnceBothSucceed() throws Exception {
        Path zip = archive("shared", Map.of());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    UnpackProbe.class.getName(), zip.toUri().toString(), cache().toString());
            pb.redirectErrorStream(true);
            processes.add(pb.start());
        }
        List<String> outputs = new ArrayList<>();
        for (Process p : processes) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "unpacking timed out");
            assertEquals(0, p.exitValue(), out);
            outputs.add(out.lines().filter(l -> l.startsWith("unpacked ")).findFirst().orElse(out));
        }
        assertEquals(outputs.get(0), outputs.get(1));
        assertEquals(1, cacheEntries().size(), "one entry, no leftovers: " + cacheEntries());
    }

    /**
     * A zip bomb: one entry of 1.5 GiB of zeros (about 1.5 MB compressed), past the 1 GiB an archive may unpack to,
     * served through the documented repositories property to a JVM with a 64 MB heap that lists the zoo. Before the
     * streaming unpack, the whole entry was inflated into memory first and the JVM died of an OutOfMemoryError; now
     * the archive is refused with the entry named, the zoo lists its shipped artefacts, and nothing is left in the
     * cache (no entry, no temporary folder or copy).
     */
    @Test
    void aZipBombIsRefusedInASmallHeapAndLeavesNothingCached() throws Exception {
        Path zip = work.resolve("bomb.zip");
        byte[] zeros = new byte[1 << 20];
        long size = ZooArchives.MAX_BYTES + (ZooArchives.MAX_BYTES >> 1);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.setLevel(Deflater.BEST_SPEED);
            z.putNextEntry(new ZipEntry("zeros.bin"));
            for (long written = 0; written < size; written += zeros.length) {
                z.write(zeros);
            }
            z.closeEntry();
        }
        assertTrue(Files.size(zip) < 16L << 20, "a small archive: " + Files.size(zip));
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-DDJL_CACHE_DIR=" + work.resolve("djl"),
                "-Dai.djl.offline=true", "-D" + ByolModelZoo.REPOSITORIES_PROPERTY + "=" + zip,
                "-cp", System.getProperty("java.class.path"), ZooListProbe.class.getName());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "listing timed out");
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("OutOfMemoryError"), out);
        assertTrue(out.contains("unpacks to more than " + ZooArchives.MAX_BYTES + " bytes (entry 'zeros.bin' passed"
                + " the limit); the archive is refused"), out);
        assertTrue(out.contains("listed [byol-resnet18-fmnist"), "the shipped artefacts are still listed: " + out);
        Path cache = work.resolve("djl").resolve("byol4j-zoo");
        try (Stream<Path> left = Files.exists(cache) ? Files.list(cache) : Stream.empty()) {
            assertEquals(List.of(), left.toList(), "nothing cached");
        }
    }
}
