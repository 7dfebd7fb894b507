package org.byol4j.zoo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.byol4j.backbone.Backbone;
import org.byol4j.spi.BackboneExporter;

/** Makes {@link ZooExport} available to {@code byol export} through {@link java.util.ServiceLoader}. */
public final class ZooBackboneExporter implements BackboneExporter {

    /** Called by {@link java.util.ServiceLoader}. */
    public ZooBackboneExporter() {}

    /** {@inheritDoc} */
    @Override
    public String format() {
        return ZooArtifact.FORMAT;
    }

    /** {@inheritDoc} */
    @Override
    public Path export(Backbone backbone, Path repository, String artifactId, String version, String dataset,
            String description, Map<String, String> training) throws IOException {
        return ZooExport.export(backbone, repository, artifactId, version, dataset, description, training);
    }
}
