package org.byol4j.cli;

import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import java.io.IOException;
import java.nio.file.Path;
import org.byol4j.backbone.Backbone;
import org.byol4j.backbone.HasBackbone;
import org.byol4j.data.PixelImage;
import picocli.CommandLine.Option;

/**
 * The backbone a command works with: a folder written by {@code byol pretrain} (or {@link Backbone#save}), or a
 * model of the byol4j zoo (group {@code org.byol4j}) loaded through DJL's {@code Criteria}, offline and
 * checksum-verified. Exactly one of the two options.
 */
final class BackboneChoice {

    @Option(names = "--backbone", required = true, description = "A backbone folder (e.g. <pretrain --out>/backbone).")
    Path folder;

    @Option(names = "--zoo", required = true, description = "A byol4j zoo artefact id, e.g. byol-resnet20-fmnist"
            + " (`byol zoo list` shows them).")
    String artifact;

    /** An opened backbone and what owns it. */
    static final class Opened implements AutoCloseable {
        private final Backbone backbone;
        private final AutoCloseable owner;
        private final String name;

        private Opened(Backbone backbone, AutoCloseable owner, String name) {
            this.backbone = backbone;
            this.owner = owner;
            this.name = name;
        }

        Backbone backbone() {
            return backbone;
        }

        /** @return the folder or the zoo coordinates, for tables */
        String name() {
            return name;
        }

        @Override
        public void close() throws Exception {
            owner.close();
        }
    }

    /**
     * @return the backbone, loaded and verified
     * @throws IOException when the folder is not a readable backbone (the file is named)
     * @throws IllegalArgumentException when the zoo has no such artefact
     */
    Opened open() throws IOException {
        if (folder != null) {
            Backbone b = Backbone.load(folder);
            return new Opened(b, b, folder.toString());
        }
        Criteria<PixelImage, float[]> criteria = Criteria.builder().setTypes(PixelImage.class, float[].class)
                .optGroupId("org.byol4j").optArtifactId(artifact).build();
        try {
            ZooModel<PixelImage, float[]> model = criteria.loadModel();
            return new Opened(HasBackbone.of(model), model, "org.byol4j:" + artifact);
        } catch (ModelNotFoundException e) {
            throw new IllegalArgumentException("no zoo artefact '" + artifact + "' (is byol-zoo on the classpath?"
                    + " `byol zoo list` shows what there is): " + e.getMessage(), e);
        } catch (MalformedModelException e) {
            throw new IOException("zoo artefact '" + artifact + "' is damaged: " + e.getMessage(), e);
        }
    }
}
