package org.byol4j.zoo;

import ai.djl.MalformedModelException;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code metadata.json} of one zoo artefact, modelled on DJL's repository metadata: coordinates (group,
 * artifact, version), {@code properties} that {@code Criteria.optFilter} matches (dataset, backbone, method,
 * epochs, steps, imageSize, inputChannels, featureDim), the {@link Preprocessing} the backbone was trained with,
 * the parameter file with its sha256 and size, the pretraining recipe and how the artefact was made (command,
 * wall time, machine). {@link #parse} refuses metadata with a missing or wrong field, naming it.
 */
public final class ZooArtifact {

    /** The format this class reads and writes. */
    public static final String FORMAT = "byol4j-zoo/1";
    /** The metadata file of an artefact directory. */
    public static final String METADATA = "metadata.json";
    /** Properties every artefact carries, so that filters on them always mean something. */
    public static final List<String> REQUIRED_PROPERTIES = List.of("dataset", "backbone", "method", "imageSize",
            "inputChannels", "featureDim");

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern GROUP = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private String metadataVersion;
    private String groupId;
    private String artifactId;
    private String version;
    private String name;
    private String description;
    private Map<String, String> properties;
    private Preprocessing preprocessing;
    private Map<String, FileEntry> files;
    private Map<String, String> recipe;
    private Map<String, String> training;

    /** A file of the artefact: its name in the artefact directory, sha256 and size in bytes. */
    public static final class FileEntry {
        private String name;
        private String sha256;
        private long size;

        FileEntry(String name, String sha256, long size) {
            this.name = name;
            this.sha256 = sha256;
            this.size = size;
        }

        /** @return the file name, a plain name inside the artefact directory */
        public String name() {
            return name;
        }

        /** @return its hex sha256 */
        public String sha256() {
            return sha256;
        }

        /** @return its size in bytes */
        public long size() {
            return size;
        }
    }

    private ZooArtifact() {}

    /**
     * @param groupId the zoo group, e.g. {@code org.byol4j}
     * @param artifactId the artefact's id (lower case, digits, {@code . _ -})
     * @param version its version
     * @param description one line for listings
     * @param properties filterable properties; {@link #REQUIRED_PROPERTIES} must be present
     * @param preprocessing what the backbone was trained on
     * @param parameters the parameter file
     * @param recipe the pretraining recipe
     * @param training how it was made (command, wall time, machine), may be empty
     * @return the validated metadata
     * @throws IllegalArgumentException naming the first invalid field
     */
    public static ZooArtifact of(String groupId, String artifactId, String version, String description,
            Map<String, String> properties, Preprocessing preprocessing, FileEntry parameters,
            Map<String, String> recipe, Map<String, String> training) {
        ZooArtifact a = new ZooArtifact();
        a.metadataVersion = FORMAT;
        a.groupId = groupId;
        a.artifactId = artifactId;
        a.version = version;
        a.name = artifactId;
        a.description = description;
        a.properties = new LinkedHashMap<>(properties);
        a.preprocessing = preprocessing;
        a.files = new LinkedHashMap<>(Map.of("parameters", parameters));
        a.recipe = new LinkedHashMap<>(recipe);
        a.training = new LinkedHashMap<>(training);
        try {
            a.validate("new artefact " + artifactId);
        } catch (MalformedModelException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return a;
    }

    /**
     * @param name the file name of an artefact's parameters
     * @param bytes their content
     * @return the entry with its sha256 and size
     */
    public static FileEntry parameterFile(String name, byte[] bytes) {
        return new FileEntry(name, org.byol4j.io.AtomicFiles.sha256(bytes), bytes.length);
    }

    /**
     * @param json the content of a {@code metadata.json}
     * @param where the file, for messages
     * @return the validated metadata
     * @throws MalformedModelException naming the file and the missing or wrong field
     */
    public static ZooArtifact parse(byte[] json, String where) throws MalformedModelException {
        ZooArtifact a;
        try {
            a = GSON.fromJson(new String(json, StandardCharsets.UTF_8), ZooArtifact.class);
        } catch (JsonParseException e) {
            throw new MalformedModelException(where + ": not valid zoo metadata JSON: " + e.getMessage(), e);
        }
        if (a == null) {
            throw new MalformedModelException(where + ": empty zoo metadata");
        }
        a.validate(where);
        return a;
    }

    private void validate(String where) throws MalformedModelException {
        require(FORMAT.equals(metadataVersion), where, "metadataVersion", "'" + FORMAT + "'", metadataVersion);
        require(groupId != null && GROUP.matcher(groupId).matches(), where, "groupId", "a group id", groupId);
        require(artifactId != null && ID.matcher(artifactId).matches(), where, "artifactId",
                "lower-case letters, digits, '.', '_' or '-'", artifactId);
        require(version != null && !version.isBlank(), where, "version", "a version", version);
        require(properties != null, where, "properties", "an object", null);
        for (String key : REQUIRED_PROPERTIES) {
            String v = properties.get(key);
            require(v != null && !v.isBlank(), where, "properties." + key, "a value", v);
        }
        require(preprocessing != null, where, "preprocessing", "an object", null);
        preprocessing.validate(where);
        require(Integer.toString(preprocessing.channels()).equals(properties.get("inputChannels")), where,
                "preprocessing.channels", "properties.inputChannels " + properties.get("inputChannels"),
                Integer.toString(preprocessing.channels()));
        require(Integer.toString(preprocessing.size()).equals(properties.get("imageSize")), where,
                "preprocessing.size", "properties.imageSize " + properties.get("imageSize"),
                Integer.toString(preprocessing.size()));
        FileEntry p = files == null ? null : files.get("parameters");
        require(p != null, where, "files.parameters", "an object", null);
        require(p.name != null && FILE_NAME.matcher(p.name).matches() && !p.name.contains(".."), where,
                "files.parameters.name", "a plain file name in the artefact directory", p.name);
        require(p.sha256 != null && SHA256.matcher(p.sha256).matches(), where, "files.parameters.sha256",
                "64 lower-case hex digits", p.sha256);
        require(p.size > 0, where, "files.parameters.size", "a positive byte count", Long.toString(p.size));
        if (recipe == null) {
            recipe = Map.of();
        }
        if (training == null) {
            training = Map.of();
        }
    }

    static void require(boolean ok, String where, String field, String expected, String got)
            throws MalformedModelException {
        if (!ok) {
            throw new MalformedModelException(where + ": field '" + field + "' must be " + expected + ", got "
                    + (got == null ? "nothing" : "'" + got + "'"));
        }
    }

    /** @return the metadata as JSON */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * @param filters {@code Criteria} filters (property name to value); null (a {@code Criteria} without
     *     {@code optFilter}) matches everything
     * @return whether every filter equals this artefact's property of that name
     */
    public boolean matches(Map<String, String> filters) {
        return filters == null || filters.entrySet().stream().allMatch(f -> f.getValue().equals(properties.get(f.getKey())));
    }

    /** @return the zoo group */
    public String groupId() {
        return groupId;
    }

    /** @return the artefact id */
    public String artifactId() {
        return artifactId;
    }

    /** @return the version */
    public String version() {
        return version;
    }

    /** @return {@code groupId:artifactId:version} */
    public String coordinates() {
        return groupId + ":" + artifactId + ":" + version;
    }

    /** @return one line for listings */
    public String description() {
        return description == null ? "" : description;
    }

    /** @return the filterable properties */
    public Map<String, String> properties() {
        return java.util.Collections.unmodifiableMap(properties);
    }

    /** @return the preprocessing the backbone was trained with */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** @return the parameter file */
    public FileEntry parameters() {
        return files.get("parameters");
    }

    /** @return the pretraining recipe */
    public Map<String, String> recipe() {
        return java.util.Collections.unmodifiableMap(recipe);
    }

    /** @return how the artefact was made (command, wall time, machine) */
    public Map<String, String> training() {
        return java.util.Collections.unmodifiableMap(training);
    }
}
