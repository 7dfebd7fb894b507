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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
