package org.byol4j.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.byol4j.backbone.Backbone;

/**
 * Writes a trained backbone as a model-zoo artefact that DJL's {@code Criteria} can load. byol-zoo registers one
 * ({@code META-INF/services/org.byol4j.spi.BackboneExporter}); the command line's {@code export} finds it through
 * {@link java.util.ServiceLoader}, so byol-plugin does not depend on byol-zoo.
 */
public interface BackboneExporter {

    /** @return the artefact format written, e.g. {@code byol4j-zoo/1} */
    String format();

    /**
     * @param backbone the trained backbone (online network only)
     * @param repository the folder that will hold the artefact folder
     * @param artifactId the artefact id
     * @param version its version
     * @param dataset what it was pretrained on, a filterable property
     * @param description one line for listings
     * @param training how it was made (command, wall time, machine); may be empty
     * @return the artefact folder
     * @throws IOException on write failure
     * @throws IllegalArgumentException naming an invalid field
     */
    Path export(Backbone backbone, Path repository, String artifactId, String version, String dataset,
            String description, Map<String, String> training) throws IOException;
}
