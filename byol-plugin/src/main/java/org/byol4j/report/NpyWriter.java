package org.byol4j.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.byol4j.io.AtomicFiles;

/**
 * Writes a float matrix as a NumPy {@code .npy} file (format version 1.0, dtype {@code <f4}, C order), readable
 * with {@code numpy.load}. Written atomically.
 */
public final class NpyWriter {

    private NpyWriter() {}

    /**
     * @param file target file
     * @param rows the matrix, all rows of one length
     * @throws IOException on write failure
     */
    public static void write(Path file, float[][] rows) throws IOException {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows.length + ", " + cols + "), }";
        // magic (6) + version (2) + header length (2) + dict + padding + newline: a multiple of 64 bytes
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(header.length() & 0xFF);
        out.write(header.length() >> 8);
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer data = ByteBuffer.allocate(rows.length * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] r : rows) {
            if (r.length != cols) {
                throw new IllegalArgumentException("rows differ in length: " + r.length + " and " + cols);
            }
            for (float v : r) {
                data.putFloat(v);
            }
        }
        out.write(data.array());
        AtomicFiles.write(file, out.toByteArray());
    }
}
