package org.byol4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Crash-safe file output and checksums: everything byol4j writes for a user (backbones, checkpoints,
 * metrics) goes through {@link #write(Path, byte[])}, so a crash or Ctrl-C leaves the previous version
 * readable, never half a file.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * Writes to a sibling temporary file, forces it to disk, then renames it over {@code file} atomically.
     *
     * @param file the target
     * @param content the bytes
     * @throws IOException on failure (the target is untouched)
     */
    public static void write(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * @param bytes content
     * @return lower-case hex sha256
     */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    /**
     * @return a fresh SHA-256 digest, for content that arrives as a stream; {@code HexFormat.of().formatHex} of its
     *     result is what {@link #sha256(byte[])} returns for the same bytes
     */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
