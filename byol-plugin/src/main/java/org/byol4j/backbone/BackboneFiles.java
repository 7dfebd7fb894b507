package org.byol4j.backbone;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.byol4j.io.AtomicFiles;
import org.byol4j.nn.Architecture;

/**
 * The directory format of a {@link Backbone}, which the model zoo builds on: {@code backbone-<sha8>.params} (DJL's
 * parameter format) and {@code metadata.json} (format, architecture name, input channels and size, feature
 * dimension, parameter file name and sha256, zoo coordinates, recipe), and, for a backbone trained jointly with
 * labels, {@code head-<sha8>.params} with the head's classes and sha256 in the metadata. Loading verifies the checksum; saving is
 * crash-safe.
 */
public final class BackboneFiles {

    /** File name of the metadata in a backbone directory. */
    public static final String METADATA = "metadata.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private BackboneFiles() {}

    /**
     * Loads a backbone directory, verifying the parameters' sha256 against the metadata.
     *
     * @param dir a directory written by {@link #save}
     * @return the backbone
     * @throws IOException when a file is missing, malformed or does not match its checksum (named in the message)
     */
    static Backbone load(Path dir) throws IOException {
        Path metaFile = dir.resolve(METADATA);
        if (!Files.isRegularFile(metaFile)) {
            throw new IOException(metaFile + ": no backbone metadata (expected a directory written by Backbone.save)");
        }
        Metadata meta;
        try {
            meta = GSON.fromJson(Files.readString(metaFile, StandardCharsets.UTF_8), Metadata.class);
        } catch (JsonParseException e) {
            throw new IOException(metaFile + ": not valid backbone metadata JSON: " + e.getMessage(), e);
        }
        if (meta == null || meta.architecture == null || meta.parameters == null || meta.sha256 == null) {
            throw new IOException(metaFile + ": fields architecture, parameters and sha256 are required");
        }
        Path paramFile = dir.resolve(meta.parameters);
        if (!Files.isRegularFile(paramFile)) {
            throw new IOException(paramFile + ": parameter file named in " + metaFile + " is missing");
        }
        byte[] params = Files.readAllBytes(paramFile);
        String actual = AtomicFiles.sha256(params);
        if (!actual.equals(meta.sha256)) {
            throw new IOException(paramFile + ": sha256 " + actual + " does not match " + meta.sha256
                    + " in " + metaFile + " (corrupt or replaced file)");
        }
        Architecture arch;
        try {
            arch = Architecture.parse(meta.architecture, meta.inputChannels);
        } catch (IllegalArgumentException e) {
            throw new IOException(metaFile + ": " + e.getMessage(), e);
        }
        Backbone loaded;
        try {
            loaded = Backbone.fromParameters(arch, meta.imageSize, params,
                    meta.recipe == null ? Map.of() : meta.recipe, meta.artifact, head(dir, metaFile, meta));
        } catch (IllegalArgumentException e) {
            throw new IOException(paramFile + ": " + e.getMessage(), e);
        }
        if (!loaded.sha256().equals(actual)) {
            loaded.close();
            throw new IOException(paramFile + ": parameters load but do not serialise back to the same bytes"
                    + " (written by an incompatible DJL version?)");
        }
        return loaded;
    }

    /** Reads and verifies the classifier head the metadata names, if any. */
    private static ClassifierHead head(Path dir, Path metaFile, Metadata meta) throws IOException {
        if (meta.head == null) {
            return null;
        }
        if (meta.head.classes == null || meta.head.parameters == null || meta.head.sha256 == null) {
            throw new IOException(metaFile + ": head needs classes, parameters and sha256");
        }
        Path file = dir.resolve(meta.head.parameters);
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": classifier head file named in " + metaFile + " is missing");
        }
        byte[] bytes = Files.readAllBytes(file);
        String actual = AtomicFiles.sha256(bytes);
        if (!actual.equals(meta.head.sha256)) {
            throw new IOException(file + ": sha256 " + actual + " does not match " + meta.head.sha256 + " in "
                    + metaFile + " (corrupt or replaced file)");
        }
        return new ClassifierHead(meta.head.classes, bytes);
    }

    /**
     * Writes a backbone to {@code dir} (created if needed), crash-safely: the new parameter file is complete before
     * {@code metadata.json} is atomically replaced to point at it, and the parameter file it replaced is deleted
     * last.
     *
     * @param backbone the backbone
     * @param dir target directory
     * @param artifact {@code groupId:artifactId:version}, or null for a local backbone
     * @throws IOException on write failure
     */
    static void save(Backbone backbone, Path dir, String artifact) throws IOException {
        if (artifact != null && artifact.split(":", -1).length != 3) {
            throw new IllegalArgumentException("artifact must be groupId:artifactId:version, got '" + artifact + "'");
        }
        Files.createDirectories(dir);
        byte[] params = backbone.parameters();
        String paramName = "backbone-" + backbone.sha256().substring(0, 8) + ".params";
        Path previous = null;
        Path previousHead = null;
        Path metaFile = dir.resolve(METADATA);
        if (Files.isRegularFile(metaFile)) {
            try {
                Metadata old = GSON.fromJson(Files.readString(metaFile, StandardCharsets.UTF_8), Metadata.class);
                previous = old == null || old.parameters == null ? null : dir.resolve(old.parameters);
                previousHead = old == null || old.head == null || old.head.parameters == null ? null
                        : dir.resolve(old.head.parameters);
            } catch (JsonParseException e) {
                previous = null;
            }
        }
        AtomicFiles.write(dir.resolve(paramName), params);
        Head head = null;
        if (backbone.classifierHead().isPresent()) {
            ClassifierHead h = backbone.classifierHead().get();
            head = new Head();
            head.classes = h.classes();
            head.sha256 = h.sha256();
            head.parameters = "head-" + head.sha256.substring(0, 8) + ".params";
            AtomicFiles.write(dir.resolve(head.parameters), h.parameters());
        }
        Metadata meta = new Metadata();
        meta.architecture = backbone.architecture().name();
        meta.inputChannels = backbone.architecture().inputChannels();
        meta.imageSize = backbone.imageSize();
        meta.featureDim = backbone.featureDim();
        meta.parameters = paramName;
        meta.sha256 = backbone.sha256();
        meta.recipe = new LinkedHashMap<>(backbone.recipe());
        meta.artifact = artifact;
        meta.head = head;
        AtomicFiles.write(metaFile, GSON.toJson(meta).getBytes(StandardCharsets.UTF_8));
        if (previous != null && !previous.getFileName().toString().equals(paramName)) {
            Files.deleteIfExists(previous);
        }
        if (previousHead != null && (head == null || !previousHead.getFileName().toString().equals(head.parameters))) {
            Files.deleteIfExists(previousHead);
        }
    }

    /** The JSON shape of {@code metadata.json}. */
    private static final class Metadata {
        String format = "byol4j-backbone/1";
        String architecture;
        int inputChannels;
        int imageSize;
        int featureDim;
        String parameters;
        String sha256;
        String artifact;
        Map<String, String> recipe;
        Head head;
    }

    /** The JSON shape of {@code metadata.json}'s optional classifier head. */
    private static final class Head {
        java.util.List<String> classes;
        String parameters;
        String sha256;
    }
}
