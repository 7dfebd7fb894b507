package org.byol4j.cli;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.byol4j.backbone.Backbone;
import org.byol4j.spi.BackboneExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code byol export}: writes a trained backbone folder as a zoo artefact ({@code <repository>/<artifact>/}) that
 * DJL's {@code Criteria} loads once the zoo is pointed at the repository
 * ({@code -Dbyol4j.zoo.repositories=<repository>}). Needs byol-zoo on the classpath (the {@code byol} script puts
 * it there).
 */
@Command(name = "export", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Export a backbone folder as a model-zoo artefact.")
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--backbone", required = true, description = "The backbone folder (<pretrain --out>/backbone).")
    Path backbone;

    @Option(names = "--repository", required = true, description = "Folder of the zoo repository to write into.")
    Path repository;

    @Option(names = "--artifact", required = true, description = "Artefact id (lower case, digits, . _ -).")
    String artifact;

    @Option(names = "--version", defaultValue = "0.1.0", description = "Artefact version.")
    String version;

    @Option(names = "--dataset", required = true, description = "What it was pretrained on (a Criteria filter).")
    String dataset;

    @Option(names = "--description", defaultValue = "", description = "One line for listings (default: derived).")
    String description;

    @Override
    public Integer call() throws Exception {
        Iterator<BackboneExporter> found = ServiceLoader.load(BackboneExporter.class).iterator();
        if (!found.hasNext()) {
            throw new IllegalStateException("no zoo exporter on the classpath: put the byol-zoo jar on it (the"
                    + " ./byol script does)");
        }
        BackboneExporter exporter = found.next();
        try (Backbone b = Backbone.load(backbone)) {
            String text = description.isBlank() ? b.recipe().getOrDefault("method", "pretrained") + " "
                    + b.architecture().name() + " pretrained on " + dataset : description;
            Path dir = exporter.export(b, repository, artifact, version, dataset, text,
                    Map.of("exportedFrom", backbone.toAbsolutePath().toString()));
            System.out.println("Wrote " + exporter.format() + " artefact org.byol4j:" + artifact + ":" + version
                    + " to " + dir + "; load it with -Dbyol4j.zoo.repositories=" + repository.toAbsolutePath());
        }
        return 0;
    }
}
