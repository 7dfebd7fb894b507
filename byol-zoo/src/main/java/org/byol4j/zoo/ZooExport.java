package org.byol4j.zoo;

import ai.djl.MalformedModelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.byol4j.backbone.Backbone;
import org.byol4j.io.AtomicFiles;

/**
 * Writes a trained backbone as a zoo artefact, {@code <repository>/<artifactId>/} with {@code metadata.json} and the
 * parameter file: the online backbone only (a byol4j {@link Backbone} never holds a target network or heads), its
 * preprocessing, its recipe, and the properties {@code Criteria} filters on. Point {@link ByolModelZoo} at the
 * repository folder (or a zip of it) to load it back through DJL. Files are written atomically, metadata last; a
 * new export of the same artefact then deletes the parameter file the previous metadata named (the weights it
 * replaced), as {@link Backbone#save(Path)} does, so that a crash at any point leaves a folder that loads, the old
 * version or the new.
 */
public final class ZooExport {

    private ZooExport() {}

    /**
     * @param backbone the trained backbone
     * @param repository the folder that will hold the artefact folder
     * @param artifactId the artefact id (lower case, digits, {@code . _ -})
     * @param version its version
     * @param dataset what it was pretrained on, a filterable property (e.g. {@code fashion-mnist})
     * @param description one line for listings
     * @param training how it was made (command, wall time, machine); may be empty
     * @return the artefact folder
     * @throws IOException on write failure
     * @throws IllegalArgumentException naming an invalid field
     */
    public static Path export(Backbone backbone, Path repository, String artifactId, String version, String dataset,
            String description, Map<String, String> training) throws IOException {
        byte[] params = backbone.parameters();
        String paramName = "backbone-" + backbone.sha256().substring(0, 8) + ".params";
        Map<String, String> recipe = backbone.recipe();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("dataset", dataset);
        properties.put("backbone", backbone.architecture().name());
        properties.put("method", recipe.getOrDefault("method", "unknown"));
        if (recipe.containsKey("totalSteps")) {
            properties.put("steps", recipe.get("totalSteps"));
        }
        if (recipe.containsKey("epochsRun")) {
            properties.put("epochs", recipe.get("epochsRun"));
        }
        properties.put("imageSize", Integer.toString(backbone.imageSize()));
        properties.put("inputChannels", Integer.toString(backbone.architecture().inputChannels()));
        properties.put("featureDim", Integer.toString(backbone.featureDim()));
        ZooArtifact meta = ZooArtifact.of(ByolModelZoo.GROUP_ID, artifactId, version, description, properties,
                Preprocessing.of(backbone.architecture().inputChannels(), backbone.imageSize()),
                ZooArtifact.parameterFile(paramName, params), recipe, training);
        Path dir = repository.resolve(artifactId);
        Files.createDirectories(dir);
        Path metaFile = dir.resolve(ZooArtifact.METADATA);
        String previous = previousParameterFile(metaFile);
        AtomicFiles.write(dir.resolve(paramName), params);
        AtomicFiles.write(metaFile, meta.toJson().getBytes(StandardCharsets.UTF_8));
        if (previous != null && !previous.equals(paramName)) {
            Files.deleteIfExists(dir.resolve(previous));
        }
        return dir;
    }

    /** @return the parameter file an existing artefact's metadata names, or null when there is none to read */
    private static String previousParameterFile(Path metaFile) throws IOException {
        if (!Files.isRegularFile(metaFile)) {
            return null;
        }
        try {
            return ZooArtifact.parse(Files.readAllBytes(metaFile), metaFile.toString()).parameters().name();
        } catch (MalformedModelException e) {
            return null; // metadata that does not parse names nothing to delete
        }
    }
}
