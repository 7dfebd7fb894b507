package org.byol4j.zoo;

import ai.djl.MalformedModelException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.byol4j.io.AtomicFiles;

/**
 * Unpacks a zip archive of artefacts (a user's repository shipped as one file, from a path or a URL) into a cache
 * directory, safely:
 *
 * <ul>
 *   <li>the cache entry is named by the archive's sha256, so a changed archive is never served from a stale entry;
 *   <li>an entry whose name would land outside the target (absolute, {@code ..}) is refused;
 *   <li>nothing is held in memory whole: the archive is streamed to a temporary file (hashed on the way, refused past
 *       {@value #MAX_BYTES} bytes) and each entry is inflated through a small buffer with a running count of what the
 *       archive has unpacked to, refused the moment the count passes {@value #MAX_BYTES} bytes (an entry's declared
 *       size is not trusted, only counted bytes are), so a zip bomb ends in an error, not an {@link OutOfMemoryError}
 *       or a full disk;
 *   <li>every artefact in it is verified (metadata and parameter checksum) before the entry becomes visible: it is
 *       unpacked into a private temporary folder and renamed into place in one atomic step, so a refused archive
 *       leaves nothing in the cache, and two processes unpacking the same archive at once both end with the same
 *       complete entry (the second rename finds it there and discards its own copy).
 * </ul>
 */
final class ZooArchives {

    /** The most an archive may be, and the most it may unpack to. */
    static final long MAX_BYTES = 1L << 30;

    private static final int BUFFER = 1 << 16;

    private ZooArchives() {}

    /**
     * @param archive the zip file's URL ({@code file:}, {@code jar:}, or any URL the JVM can open)
     * @param cacheRoot the folder that holds unpacked archives
     * @return the folder holding the archive's artefact directories
     * @throws IOException when the archive cannot be read or is unsafe (too large, an entry escaping its folder)
     * @throws MalformedModelException when an artefact in it is invalid (named, with the field or file)
     */
    static Path unpack(URL archive, Path cacheRoot) throws IOException, MalformedModelException {
        Files.createDirectories(cacheRoot);
        Path download = cacheRoot.resolve(".archive-" + UUID.randomUUID() + ".zip");
        try {
            String sha = copy(archive, download);
            Path target = cacheRoot.resolve(sha);
            if (Files.isDirectory(target)) {
                return target;
            }
            Path tmp = cacheRoot.resolve(".unpacking-" + UUID.randomUUID());
            try {
                extract(download, archive.toString(), tmp);
                for (ArtifactLocation location : ByolModelZoo.directoryArtifacts(tmp)) {
                    BackboneModelLoader.verify(location);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileSystemException e) {
                    if (Files.isDirectory(target)) {
                        return target; // another process unpacked the same archive first; its copy is identical
                    }
                    throw e;
                }
                return target;
            } finally {
                deleteTree(tmp);
            }
        } finally {
            Files.deleteIfExists(download);
        }
    }

    /** Streams the archive to {@code file}, refusing it past {@link #MAX_BYTES}; returns its sha256. */
    private static String copy(URL archive, Path file) throws IOException {
        MessageDigest sha = AtomicFiles.newSha256();
        try (InputStream in = new DigestInputStream(archive.openStream(), sha);
                OutputStream out = Files.newOutputStream(file)) {
            long copied = copy(in, out, MAX_BYTES);
            if (copied < 0) {
                throw new IOException(archive + ": the archive is larger than " + MAX_BYTES + " bytes; refused");
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void extract(Path archive, String where, Path into) throws IOException {
        Files.createDirectories(into);
        long left = MAX_BYTES;
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName();
                Path out = into.resolve(name).normalize();
                if (name.startsWith("/") || name.contains("\\") || !out.startsWith(into) || out.equals(into)) {
                    throw new IOException(where + ": archive entry '" + name + "' would be written outside the"
                            + " folder it unpacks into; the archive is refused");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                long written;
                try (OutputStream file = Files.newOutputStream(out)) {
                    written = copy(zip, file, left);
                }
                if (written < 0) {
                    throw new IOException(where + ": unpacks to more than " + MAX_BYTES + " bytes (entry '" + name
                            + "' passed the limit); the archive is refused");
                }
                left -= written;
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(where + ": not a readable zip archive: " + e.getMessage(), e);
        }
    }

    /**
     * Copies at most {@code limit} bytes through a small buffer.
     *
     * @return the bytes copied, or -1 as soon as the input holds more than {@code limit}
     */
    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
            if (total > limit) {
                return -1;
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
