package org.byol4j.spark;

import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.byol4j.backbone.Backbone;
import org.byol4j.backbone.HasBackbone;
import org.byol4j.data.PixelImage;

/**
 * Which backbone a Spark stage embeds with, as its user names it: zoo coordinates
 * ({@code org.byol4j:byol-resnet18-fmnist}, loaded through DJL's {@code Criteria} from the byol4j zoo, offline and
 * checksum-verified), or a backbone folder
 * written by {@code byol pretrain} or {@link Backbone#save} (a path, or a {@code file:} URL), sha256-verified on load.
 * A folder must be readable at the same path on every executor.
 *
 * @param spec the text the user gave
 */
public record BackboneRef(String spec) implements Serializable {

    private static final Pattern COORDINATES = Pattern.compile("[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+");

    /**
     * @param spec zoo coordinates ({@code group:artifact}), a folder path or a {@code file:} URL
     * @throws IllegalArgumentException when empty
     */
    public BackboneRef {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("backbone must name zoo coordinates such as"
                    + " org.byol4j:byol-resnet18-fmnist or a backbone folder, got '" + spec + "'");
        }
    }

    /** @return whether this names a zoo artefact rather than a folder */
    public boolean isZoo() {
        return COORDINATES.matcher(spec).matches() && !spec.startsWith("file:") && !Files.isDirectory(Path.of(spec));
    }

    /**
     * Loads the backbone, verified: a folder's weights against the sha256 in its metadata, a zoo artefact's against
     * the zoo's checksums.
     *
     * @return the backbone and what owns it
     * @throws UncheckedIOException naming the folder or artefact when it cannot be loaded
     */
    public Opened open() {
        if (isZoo()) {
            int colon = spec.indexOf(':');
            Criteria<PixelImage, float[]> criteria = Criteria.builder().setTypes(PixelImage.class, float[].class)
                    .optGroupId(spec.substring(0, colon)).optArtifactId(spec.substring(colon + 1)).build();
            try {
                ZooModel<PixelImage, float[]> model = criteria.loadModel();
                return new Opened(HasBackbone.of(model), model);
            } catch (ModelNotFoundException e) {
                throw new IllegalArgumentException("no zoo artefact " + spec + " (is byol-zoo on the classpath?"
                        + " `byol zoo list` shows the artefacts): " + e.getMessage(), e);
            } catch (MalformedModelException | IOException e) {
                throw new UncheckedIOException(new IOException("zoo artefact " + spec + " cannot be loaded: "
                        + e.getMessage(), e));
            }
        }
        Path folder = spec.startsWith("file:") ? Path.of(URI.create(spec)) : Path.of(spec);
        try {
            Backbone b = Backbone.load(folder);
            return new Opened(b, b);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("backbone folder " + folder + " cannot be loaded: "
                    + e.getMessage(), e));
        }
    }

    /**
     * A loaded backbone and the resource that owns it (the zoo model, or the backbone itself).
     *
     * @param backbone the backbone
     * @param owner what to close when done with it
     */
    public record Opened(Backbone backbone, AutoCloseable owner) implements AutoCloseable {

        /** {@inheritDoc} */
        @Override
        public void close() {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing backbone " + backbone.sha256() + " failed", e);
            }
        }
    }
}
