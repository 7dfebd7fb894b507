package org.byol4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxImageSourceTest {

    /** Writes an IDX image file with the given header and {@code bytes} pixel bytes. */
    static Path images(Path dir, String name, int magic, int count, int rows, int cols, int bytes, boolean gzip)
            throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(raw)) {
            out.writeInt(magic);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            for (int i = 0; i < bytes; i++) {
                out.writeByte(i % 256);
            }
        }
        return write(dir.resolve(name), raw.toByteArray(), gzip);
    }

    static Path labels(Path dir, String name, int count, byte[] ids) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(raw)) {
            out.writeInt(0x801);
            out.writeInt(count);
            out.write(ids);
        }
        return write(dir.resolve(name), raw.toByteArray(), false);
    }

    private static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }

    @Test
    void readsPlainAndGzippedFilesWithLabels(@TempDir Path dir) throws IOException {
        Path plain = images(dir, "a-idx3", 0x803, 2, 2, 3, 12, false);
        Path gz = images(dir, "b-idx3.gz", 0x803, 2, 2, 3, 12, true);
        Path lab = labels(dir, "l-idx1", 2, new byte[] {1, 0});
        IdxImageSource a = IdxImageSource.labelled(plain, lab);
        IdxImageSource b = IdxImageSource.labelled(gz, lab, List.of("zero", "one"), 0);
        assertEquals(2, a.size());
        assertEquals(1, a.channels());
        assertEquals(a.image(1), b.image(1));
        assertEquals(6 / 255f, a.image(1).get(0, 0, 0), 0f);
        assertEquals(11 / 255f, a.image(1).get(0, 1, 2), 0f);
        assertEquals("1", a.label(0));
        assertEquals("one", b.label(0));
        assertEquals(List.of("0", "1"), a.classNames());
    }

    private static String failure(Runnable r) {
        return assertThrows(ImageDataException.class, r::run).getMessage();
    }

    @Test
    void badFilesGetErrorsThatNameTheFileAndTheProblem(@TempDir Path dir) throws IOException {
        Path wrongMagic = images(dir, "magic", 0x801, 1, 2, 2, 4, false);
        assertTrue(failure(() -> IdxImageSource.unlabelled(wrongMagic)).matches(".*magic.*wrong magic number.*"));
        Path truncated = images(dir, "short", 0x803, 3, 2, 2, 10, false);
        String t = failure(() -> IdxImageSource.unlabelled(truncated));
        assertTrue(t.contains(truncated.toString()) && t.contains("truncated"), t);
        Path longer = images(dir, "long", 0x803, 1, 2, 2, 9, false);
        assertTrue(failure(() -> IdxImageSource.unlabelled(longer)).contains("longer than its header"));
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertTrue(failure(() -> IdxImageSource.unlabelled(empty)).contains("empty"));
        Path ok = images(dir, "ok", 0x803, 2, 2, 2, 8, false);
        Path fewLabels = labels(dir, "few", 1, new byte[] {0});
        String m = failure(() -> IdxImageSource.labelled(ok, fewLabels));
        assertTrue(m.contains(fewLabels.toString()) && m.contains("1 labels but"), m);
        Path badId = labels(dir, "bad-id", 2, new byte[] {0, 5});
        assertTrue(failure(() -> IdxImageSource.labelled(ok, badId, List.of("a", "b"), 0)).contains("label id 5"));
        assertTrue(failure(() -> IdxImageSource.unlabelled(dir.resolve("absent"))).contains("no such file"));
    }
}
