package org.byol4j.zoo;

import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.util.Utils;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.byol4j.engine.OfflineEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The byol4j model zoo, group id {@value #GROUP_ID}: the backbones shipped inside the byol-zoo jar (listed in
 * {@value #INDEX}), plus a user's own repositories. A repository is a folder holding artefact folders (each named
 * after its artefact id, with a {@code metadata.json}), a single artefact folder, or a zip archive of either, given
 * as a path or a URL; archives are unpacked once into DJL's cache folder by {@link ZooArchives}. Configure them with
 * the system property {@value #REPOSITORIES_PROPERTY} or the environment variable {@value #REPOSITORIES_ENV}
 * (entries separated by {@code ,}), or pass them to {@link #ByolModelZoo(List)} and hand the zoo to
 * {@code Criteria.optModelZoo}. Nothing is downloaded from anywhere but the user's own URLs.
 */
public final class ByolModelZoo extends ModelZoo {

    /** The zoo's group id, for {@code Criteria.optGroupId}. */
    public static final String GROUP_ID = "org.byol4j";
    /** The classpath list of shipped artefact ids, one per line. */
    public static final String INDEX = "org/byol4j/zoo/artifacts.txt";
    /** System property naming extra repositories. */
    public static final String REPOSITORIES_PROPERTY = "byol4j.zoo.repositories";
    /** Environment variable naming extra repositories (used when the property is not set). */
    public static final String REPOSITORIES_ENV = "BYOL4J_ZOO_REPOSITORIES";

    private static final Logger logger = LoggerFactory.getLogger(ByolModelZoo.class);

    /**
     * The zoo as {@link ByolZooProvider} builds it: shipped artefacts plus the configured repositories. A
     * configured repository that cannot be read is logged and skipped, since DJL builds every zoo at once and one
     * bad folder must not hide the others; {@link #ByolModelZoo(List)} throws instead.
     */
    public ByolModelZoo() {
        addShipped();
        for (String repo : configuredRepositories()) {
            try {
                addRepository(repo);
            } catch (IOException e) {
                logger.error("byol4j zoo: repository '{}' skipped: {}", repo, e.getMessage());
            }
        }
    }

    /**
     * @param repositories folders, artefact folders or zip archives (paths or URLs) to serve besides the shipped
     *     artefacts
     * @throws IOException naming the repository that cannot be read, or an archive that is unsafe or holds an
     *     invalid artefact
     */
    public ByolModelZoo(List<String> repositories) throws IOException {
        addShipped();
        for (String repo : repositories) {
            addRepository(repo);
        }
    }

    /** {@inheritDoc} */
    @Override
    public String getGroupId() {
        return GROUP_ID;
    }

    /** {@inheritDoc} */
    @Override
    public Set<String> getSupportedEngines() {
        return Set.of(OfflineEngine.ENGINE_NAME);
    }

    /** @return where unpacked archives are kept: {@code <DJL cache>/byol4j-zoo} */
    static Path cacheRoot() {
        return Utils.getCacheDir().resolve("byol4j-zoo");
    }

    private void addShipped() {
        ClassLoader loader = ByolModelZoo.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(INDEX)) {
            if (in == null) {
                return;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String id = line.trim();
                if (!id.isEmpty() && !id.startsWith("#")) {
                    addModel(new BackboneModelLoader(ArtifactLocation.classpath(loader, "org/byol4j/zoo/" + id + "/",
                            id)));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the zoo index " + INDEX, e);
        }
    }

    private void addRepository(String repo) throws IOException {
        String r = repo.trim();
        Path dir;
        if (r.toLowerCase(Locale.ROOT).endsWith(".zip")) {
            try {
                dir = ZooArchives.unpack(toUrl(r), cacheRoot());
            } catch (MalformedModelException e) {
                throw new IOException(e.getMessage(), e);
            }
        } else {
            dir = Path.of(r);
            if (!Files.isDirectory(dir)) {
                throw new IOException(r + ": not a folder or a .zip archive of zoo artefacts");
            }
        }
        for (ArtifactLocation location : directoryArtifacts(dir)) {
            addModel(new BackboneModelLoader(location));
        }
    }

    private static URL toUrl(String s) throws IOException {
        try {
            return s.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !s.matches("^[a-zA-Z]:\\\\.*") ? URI.create(s).toURL()
                    : Path.of(s).toUri().toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IOException(s + ": not a path or URL of a zip archive: " + e.getMessage(), e);
        }
    }

    /**
     * @param dir an artefact folder, or a folder of artefact folders
     * @return the artefacts in it, sorted by id
     * @throws IOException when the folder cannot be listed
     */
    static List<ArtifactLocation> directoryArtifacts(Path dir) throws IOException {
        List<ArtifactLocation> out = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve(ZooArtifact.METADATA))) {
            out.add(ArtifactLocation.directory(dir));
            return out;
        }
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(c -> Files.isRegularFile(c.resolve(ZooArtifact.METADATA))).sorted()
                    .forEach(c -> out.add(ArtifactLocation.directory(c)));
        }
        return out;
    }

    private static List<String> configuredRepositories() {
        String v = System.getProperty(REPOSITORIES_PROPERTY);
        if (v == null) {
            v = System.getenv(REPOSITORIES_ENV);
        }
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }
}
