package org.byol4j.backbone;

import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.byol4j.data.PixelImage;

/**
 * A backbone opened from where a user names it: a folder written by {@link Backbone#save} (or {@code byol
 * pretrain}), or a model of the byol4j zoo (group {@code org.byol4j}) loaded through DJL's {@code Criteria}, offline
 * and checksum-verified (byol-zoo must be on the classpath). Closing it frees the backbone and whatever owns it.
 */
public final class OpenedBackbone implements AutoCloseable {

    /** The zoo's group id. */
    public static final String ZOO_GROUP = "org.byol4j";

    private final Backbone backbone;
    private final AutoCloseable owner;
    private final String name;

    private OpenedBackbone(Backbone backbone, AutoCloseable owner, String name) {
        this.backbone = backbone;
        this.owner = owner;
        this.name = name;
    }

    /**
     * @param reference an existing backbone folder, or zoo coordinates: {@code byol-resnet18-fmnist},
     *     {@code org.byol4j:byol-resnet18-fmnist} or with {@code :version}
     * @return the opened backbone
     * @throws IOException when a folder is not a readable backbone, or the zoo artefact is damaged (named)
     * @throws IllegalArgumentException when the reference is neither a folder nor a zoo artefact
     */
    public static OpenedBackbone open(String reference) throws IOException {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("backbone: expected a backbone folder or zoo coordinates"
                    + " (e.g. byol-resnet18-fmnist), got nothing");
        }
        Path path = Path.of(reference);
        if (Files.isDirectory(path)) {
            return folder(path);
        }
        String[] parts = reference.split(":", -1);
        if (parts.length == 1) {
            return zoo(parts[0]);
        }
        if (parts.length <= 3 && parts[0].equals(ZOO_GROUP)) {
            return zoo(parts[1]);
        }
        throw new IllegalArgumentException("backbone '" + reference + "' is neither a folder nor byol4j zoo"
                + " coordinates (" + ZOO_GROUP + ":<artifactId>[:<version>])");
    }

    /**
     * @param dir a folder written by {@link Backbone#save}
     * @return the backbone, verified
     * @throws IOException when the folder is not a readable backbone (the file is named)
     */
    public static OpenedBackbone folder(Path dir) throws IOException {
        Backbone b = Backbone.load(dir);
        return new OpenedBackbone(b, b, dir.toString());
    }

    /**
     * @param artifactId a byol4j zoo artefact id, e.g. {@code byol-resnet18-fmnist}
     * @return the backbone, verified by the zoo
     * @throws IOException when the artefact is damaged
     * @throws IllegalArgumentException when the zoo has no such artefact
     */
    public static OpenedBackbone zoo(String artifactId) throws IOException {
        Criteria<PixelImage, float[]> criteria = Criteria.builder().setTypes(PixelImage.class, float[].class)
                .optGroupId(ZOO_GROUP).optArtifactId(artifactId).build();
        try {
            ZooModel<PixelImage, float[]> model = criteria.loadModel();
            Backbone b = HasBackbone.of(model);
            return new OpenedBackbone(b, model, b.artifact() != null ? b.artifact() : ZOO_GROUP + ":" + artifactId);
        } catch (ModelNotFoundException e) {
            throw new IllegalArgumentException("no zoo artefact '" + artifactId + "' (is byol-zoo on the classpath?"
                    + " `byol zoo list` shows what there is): " + e.getMessage(), e);
        } catch (MalformedModelException e) {
            throw new IOException("zoo artefact '" + artifactId + "' is damaged: " + e.getMessage(), e);
        }
    }

    /** @return the backbone, owned by this object */
    public Backbone backbone() {
        return backbone;
    }

    /** @return the folder, or the zoo coordinates {@code group:artifact:version}, for provenance and tables */
    public String name() {
        return name;
    }

    /** Frees the backbone. */
    @Override
    public void close() {
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing backbone " + name + ": " + e.getMessage(), e);
        }
    }
}
