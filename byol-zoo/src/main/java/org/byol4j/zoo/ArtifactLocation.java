package org.byol4j.zoo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where one artefact's files are: a directory on disk (a user's repository, or an archive extracted by
 * {@link ZooArchives}) or a folder of resources on the classpath (the artefacts shipped in the byol-zoo jar).
 * Files are read whole into memory, so that their checksum is taken over exactly the bytes that are used.
 */
abstract class ArtifactLocation {

    private final String artifactId;

    private ArtifactLocation(String artifactId) {
        this.artifactId = artifactId;
    }

    /** @return the artefact id this location's folder is named after */
    final String artifactId() {
        return artifactId;
    }

    /**
     * @param file a plain file name of the artefact
     * @return its content
     * @throws IOException naming the missing or unreadable file
     */
    abstract byte[] read(String file) throws IOException;

    /** @return where the files are, for messages and the artefact's MRL */
    abstract URI uri();

    /**
     * @param dir an artefact directory, named after its artefact id
     * @return its location
     */
    static ArtifactLocation directory(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        return new ArtifactLocation(abs.getFileName().toString()) {
            @Override
            byte[] read(String file) throws IOException {
                try {
                    return Files.readAllBytes(abs.resolve(file));
                } catch (NoSuchFileException e) {
                    throw new IOException(abs.resolve(file) + ": missing from artefact " + artifactId(), e);
                }
            }

            @Override
            URI uri() {
                return abs.toUri();
            }
        };
    }

    /**
     * @param loader the class loader holding the resources
     * @param folder resource folder of the artefact, e.g. {@code org/byol4j/zoo/byol-resnet20-fmnist/}
     * @param artifactId the artefact id
     * @return its location
     */
    static ArtifactLocation classpath(ClassLoader loader, String folder, String artifactId) {
        return new ArtifactLocation(artifactId) {
            @Override
            byte[] read(String file) throws IOException {
                try (InputStream in = loader.getResourceAsStream(folder + file)) {
                    if (in == null) {
                        throw new IOException("classpath:" + folder + file + ": missing from artefact " + artifactId());
                    }
                    return in.readAllBytes();
                }
            }

            @Override
            URI uri() {
                URL u = loader.getResource(folder + ZooArtifact.METADATA);
                try {
                    return u == null ? URI.create("classpath:/" + folder) : u.toURI();
                } catch (URISyntaxException e) {
                    return URI.create("classpath:/" + folder);
                }
            }
        };
    }
}
