package org.byol4j.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint's recipe is compared field by field, and a checkpoint of the previous format still reads. */
class CheckpointHeaderTest {

    @Test
    void theFieldsThatDifferAreNamedWithBothValues() {
        assertEquals(List.of("batchSize (saved 128, now 64)", "lambda (saved unset, now 0.02)",
                "tauBase (saved 0.99, now unset)"), Checkpoint.differences(
                        Map.of("batchSize", "128", "seed", "1", "tauBase", "0.99"),
                        Map.of("batchSize", "64", "seed", "1", "lambda", "0.02")));
        assertEquals(List.of(), Checkpoint.differences(Map.of("a", "1"), Map.of("a", "1")));
    }

    /** Version 4 wrote the recipe as one string ({@code Map.toString()}); a run resumed after the upgrade reads it. */
    @Test
    void aVersionFourHeaderIsReadAndCompared(@TempDir Path dir) throws IOException {
        Map<String, String> recipe = new TreeMap<>(Map.of("backbone", "resnet20-small-w1", "batchSize", "128"));
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(Checkpoint.fileName(7))))) {
            out.writeUTF("byol4j-checkpoint/4");
            out.writeUTF(recipe.toString());
            out.writeInt(100);
            out.writeInt(90);
            out.writeDouble(12.5);
        }
        assertEquals(new Checkpoint.Length(100, 90, 12.5), Checkpoint.savedLength(dir, recipe).orElseThrow());
        IOException e = assertThrows(IOException.class,
                () -> Checkpoint.savedLength(dir, Map.of("backbone", "resnet20-small-w1", "batchSize", "64")));
        assertEquals(dir.resolve(Checkpoint.fileName(7)) + ": was written by a different configuration: batchSize"
                + " (saved 128, now 64). Use a new checkpoint directory or the same settings.", e.getMessage());
    }
}
