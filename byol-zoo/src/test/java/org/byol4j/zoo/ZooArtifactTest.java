package org.byol4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooArtifactTest {

    @TempDir
    Path repo;

    private JsonObject exported() throws Exception {
        Path dir = ZooFixtures.export(repo);
        return JsonParser.parseString(Files.readString(dir.resolve(ZooArtifact.METADATA))).getAsJsonObject();
    }

    private static String refusal(JsonObject json) {
        MalformedModelException e = assertThrows(MalformedModelException.class,
                () -> ZooArtifact.parse(json.toString().getBytes(StandardCharsets.UTF_8), "m.json"));
        return e.getMessage();
    }

    private void assertRefused(String field, Consumer<JsonObject> damage) throws Exception {
        JsonObject json = exported();
        damage.accept(json);
        String message = refusal(json);
        assertTrue(message.startsWith("m.json: field '" + field + "'"), message);
    }

    @Test
    void exportedMetadataParsesWithItsFilterProperties() throws Exception {
        ZooArtifact a = ZooArtifact.parse(exported().toString().getBytes(StandardCharsets.UTF_8), "m.json");
        assertEquals("org.byol4j:tiny-squares:1.0", a.coordinates());
        assertEquals("squares", a.properties().get("dataset"));
        assertEquals("resnet20-small-w0.25", a.properties().get("backbone"));
        assertEquals("random-init", a.properties().get("method"));
        assertEquals("16", a.properties().get("imageSize"));
        assertEquals("1", a.properties().get("inputChannels"));
        assertEquals("16", a.properties().get("featureDim"), "a quarter of ResNet-20's 64 channels");
        assertEquals(Preprocessing.of(1, 16), a.preprocessing());
        assertTrue(a.matches(java.util.Map.of("dataset", "squares", "backbone", "resnet20-small-w0.25")));
        assertTrue(!a.matches(java.util.Map.of("dataset", "cifar10")));
        assertTrue(a.matches(null), "a Criteria without optFilter has null filters and matches every artefact");
    }

    @Test
    void missingOrWrongFieldsAreRefusedByName() throws Exception {
        assertRefused("groupId", j -> j.remove("groupId"));
        assertRefused("metadataVersion", j -> j.addProperty("metadataVersion", "0.2"));
        assertRefused("artifactId", j -> j.addProperty("artifactId", "../escape"));
        assertRefused("properties.dataset", j -> j.getAsJsonObject("properties").remove("dataset"));
        assertRefused("preprocessing.resize", j -> j.getAsJsonObject("preprocessing").addProperty("resize", "stretch"));
        assertRefused("preprocessing.normalise",
                j -> j.getAsJsonObject("preprocessing").addProperty("normalise", "imagenet"));
        assertRefused("preprocessing.channels", j -> j.getAsJsonObject("preprocessing").addProperty("channels", 3));
        assertRefused("files.parameters.name", j -> j.getAsJsonObject("files").getAsJsonObject("parameters")
                .addProperty("name", "../../etc/passwd"));
        assertRefused("files.parameters.sha256", j -> j.getAsJsonObject("files").getAsJsonObject("parameters")
                .addProperty("sha256", "abc"));
        assertRefused("files.parameters", j -> j.remove("files"));
        assertTrue(refusal(new JsonObject()).contains("field 'metadataVersion'"));
        MalformedModelException notJson = assertThrows(MalformedModelException.class,
                () -> ZooArtifact.parse("{not json".getBytes(StandardCharsets.UTF_8), "m.json"));
        assertTrue(notJson.getMessage().startsWith("m.json: not valid zoo metadata JSON"), notJson.getMessage());
    }
}
