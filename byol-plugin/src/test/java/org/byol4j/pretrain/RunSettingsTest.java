package org.byol4j.pretrain;

import static org.byol4j.pretrain.RunSettings.CHECKPOINTS_KEPT;
import static org.byol4j.pretrain.RunSettings.CHECKPOINT_EVERY;
import static org.byol4j.pretrain.RunSettings.WORKERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.byol4j.backbone.Backbone;
import org.byol4j.checkpoint.Checkpoint;
import org.byol4j.options.InvalidOptionException;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.RepresentationTrainers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a run is carried out travels apart from what it learns: never in the recipe, so a resume may change it. */
class RunSettingsTest {

    private static Map<String, String> tinyRecipe() {
        Map<String, String> o = new HashMap<>();
        o.put("preset", "none");
        o.put("backbone", "resnet20-small-w0.25");
        o.put("inputChannels", "1");
        o.put("imageSize", "12");
        o.put("projectorHidden", "16");
        o.put("projectorOutput", "8");
        o.put("batchSize", "8");
        o.put("totalSteps", "4");
        return o;
    }

    @Test
    void textSettingsParseAndTheDefaultsCheckpointNowhere() {
        RunSettings s = RunSettings.fromText(Map.of("checkpointDir", "/tmp/run", "checkpointEvery", "50",
                "workers", "3"));
        assertEquals(Optional.of(Path.of("/tmp/run")), s.checkpointDir());
        assertEquals(50, s.get(CHECKPOINT_EVERY));
        assertEquals(3, s.get(WORKERS));
        assertEquals(RunSettings.DEFAULT_CHECKPOINTS_KEPT, s.get(CHECKPOINTS_KEPT));
        assertEquals(Optional.empty(), RunSettings.defaults().checkpointDir());
        assertEquals(Optional.empty(), RunSettings.defaults().withCheckpointDir(null).checkpointDir());
        assertEquals("checkpointsKept must be >= 1, got 0", assertThrows(InvalidOptionException.class,
                () -> RunSettings.fromText(Map.of("checkpointsKept", "0"))).getMessage());
        assertThrows(InvalidOptionException.class, () -> RunSettings.defaults().with(WORKERS, 0));
        assertEquals(List.of("checkpointDir", "checkpointEvery", "checkpointsKept", "workers"),
                RunSettings.options().list().stream().map(o -> o.name()).toList());
    }

    @Test
    void settingsGivenWithTheRecipeRunTheRunButStayOutOfItsRecipe(@TempDir Path dir) throws IOException {
        Map<String, String> options = tinyRecipe();
        options.put("checkpointDir", dir.toString());
        options.put("checkpointEvery", "2");
        options.put("checkpointsKept", "5");
        options.put("workers", "1");
        Pretrainer trainer = (Pretrainer) RepresentationTrainers.get("byol", options);
        for (String setting : List.of("checkpointDir", "checkpointEvery", "checkpointsKept", "workers", "preset")) {
            assertFalse(trainer.config().recipe().containsKey(setting), setting);
        }
        String sha;
        try (Backbone b = trainer.train(TinyRuns.squares(16, 12), PretrainingListener.NONE)) {
            assertFalse(b.recipe().containsKey("checkpointDir"), b.recipe().toString());
            sha = b.sha256();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(Checkpoint.fileName(2), Checkpoint.fileName(4)),
                    files.map(p -> p.getFileName().toString())
                    .sorted().toList(), "every 2 steps, the run's 4 steps");
        }
        options.put("workers", "2");
        options.put("checkpointEvery", "3");
        try (Backbone again = RepresentationTrainers.get("byol", options).train(TinyRuns.squares(16, 12),
                PretrainingListener.NONE)) {
            assertEquals(sha, again.sha256(), "other settings resume the same recipe: the finished run's checkpoint");
        }
    }
}
