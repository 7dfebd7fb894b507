package org.byol4j.zoo;

import ai.djl.MalformedModelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
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
 *   <li>an entry whose name would land outside the target (absolute, {@code ..}) is refused, as is an archive that
 *       unpacks to more than {@value #MAX_BYTES} bytes;
 *   <li>every artefact in it is verified (metadata and parameter checksum) before the entry becomes visible: it is
 *       unpacked into a private temporary folder and renamed into place in one atomic step, so a refused archive
 *       leaves nothing in the cache, and two processes unpacking the same archive at once both end with the same
 *       complete entry (the second rename finds it there and discards its own copy).
 * </ul>
 */
final class ZooArchives {

    /** The most an archive may unpack to. */
    static final long MAX_BYTES = 1L << 30;

    private ZooArchives() {}

    /**
     * @param archive the zip file's URL ({@code file:}, {@code jar:}, or any URL the JVM can open)
     * @param cacheRoot the folder that holds unpacked archives
     * @return the folder holding the archive's artefact directories
     * @throws IOException when the archive cannot be read or is unsafe
     * @throws MalformedModelException when an artefact in it is invalid (named, with the field or file)
     */
    static Path unpack(URL archive, Path cacheRoot) throws IOException, MalformedModelException {
        byte[] bytes;
        try (InputStream in = archive.openStream()) {
            bytes = in.readAllBytes();
        }
        String sha = AtomicFiles.sha256(bytes);
        Path target = cacheRoot.resolve(sha);
        if (Files.isDirectory(target)) {
            return target;
        }
        Files.createDirectories(cacheRoot);
        Path tmp = cacheRoot.resolve(".unpacking-" + UUID.randomUUID());
        try {
            extract(bytes, archive.toString(), tmp);
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
    }

    private static void extract(byte[] bytes, String where, Path into) throws IOException {
        Files.createDirectories(into);
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
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
                byte[] content = zip.readAllBytes();
                total += content.length;
                if (total > MAX_BYTES) {
                    throw new IOException(where + ": unpacks to more than " + MAX_BYTES + " bytes; refused");
                }
                Files.write(out, content);
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(where + ": not a readable zip archive: " + e.getMessage(), e);
        }
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
