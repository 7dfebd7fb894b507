package org.byol4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.byol4j.backbone.Backbone;
import org.byol4j.finetune.FineTunedModel;
import org.byol4j.nn.Architecture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code byol fine-tune} and {@code byol predict} on the jar's Fashion-MNIST sample, from a small backbone folder:
 * the model and its predictions, exact resume after SIGKILL, and refusals that name the problem.
 */
class FineTuneCommandTest {

    @TempDir
    static Path shared;
    private static Path data;
    private static Path backbone;

    @BeforeAll
    static void sampleAndBackbone() throws IOException {
        data = Files.createDirectories(shared.resolve("fashion-mnist"));
        for (String name : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            try (InputStream in = FineTuneCommandTest.class.getResourceAsStream("/org/byol4j/sample/fashion-mnist/"
                    + name)) {
                Files.copy(in, data.resolve(name));
            }
        }
        backbone = shared.resolve("backbone");
        try (Backbone b = Backbone.randomInit(Architecture.parse("resnet20-small-w0.25", 1), 28, 3)) {
            b.save(backbone);
        }
    }

    private static List<String> fineTune(Path model, String... more) {
        List<String> args = new ArrayList<>(List.of("fine-tune", "--backbone", backbone.toString(), "--train",
                data.toString(), "--labels-per-class", "4", "--batch", "8", "--out", model.toString()));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void fineTunesSavesAModelAndPredictsFromIt(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model.ser");
        CliRunner.Result r = CliRunner.run(fineTune(model, "--steps", "6", "--test", data.toString())
                .toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Done: model saved to " + model), r.out());
        assertTrue(r.out().matches("(?s).*Test accuracy: \\d+\\.\\d\\d % on \\d+ images.*"), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("model.ser.run.json")));
        assertFalse(Files.exists(dir.resolve("model.ser.checkpoints")), "checkpoints deleted once the model is saved");
        try (FineTunedModel m = FineTunedModel.load(model)) {
            assertEquals(10, m.getOutputIDInfo().size());
        }
        CliRunner.Result again = CliRunner.run("fine-tune", "--out", model.toString(), "--resume");
        assertEquals(2, again.code());
        assertTrue(again.err().contains("is complete; its model is " + model), again.err());
        Path csv = dir.resolve("predictions.csv");
        CliRunner.Result p = CliRunner.run("predict", "--model", model.toString(), "--data", data.toString(),
                "--out", csv.toString());
        assertEquals(0, p.code(), p.err());
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertTrue(lines.get(0).startsWith("index,label,predicted,p_Ankle boot,p_Bag,"), lines.get(0));
        String[] first = lines.get(1).split(",");
        double sum = 0;
        for (int i = 3; i < first.length; i++) {
            sum += Double.parseDouble(first[i]);
        }
        assertEquals(1.0, sum, 1e-4, "probabilities of a row sum to 1: " + lines.get(1));
        assertTrue(p.out().contains("Accuracy: "), p.out());
        assertEquals(lines.size() - 1, Integer.parseInt(p.out().replaceAll("(?s).*Predicted (\\d+) images.*", "$1")));
    }

    @Test
    void killedAndResumedEndsWithTheUninterruptedModel(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight.ser");
        assertEquals(0, CliRunner.run(fineTune(straight, "--steps", "30", "--checkpoint-every", "3")
                .toArray(new String[0])).code());
        Path killed = dir.resolve("killed.ser");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(fineTune(killed, "--steps", "30", "--checkpoint-every", "3", "--checkpoint-minutes", "0"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("killed.log")
                .toFile()).start();
        Path checkpoints = dir.resolve("killed.ser.checkpoints");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (p.isAlive() && System.nanoTime() < deadline && !hasCheckpointPast(checkpoints, 6)) {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "the run ended before it could be killed: " + Files.readString(dir.resolve(
                "killed.log")));
        p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no final checkpoint
        assertFalse(Files.exists(killed), "no model before the run ends");
        CliRunner.Result resumed = CliRunner.run("fine-tune", "--out", killed.toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        try (FineTunedModel a = FineTunedModel.load(straight); FineTunedModel b = FineTunedModel.load(killed)) {
            assertEquals(a.weightsSha256(), b.weightsSha256(), "resumed after a kill = uninterrupted");
        }
    }

    private static boolean hasCheckpointPast(Path dir, int step) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("checkpoint-\\d+\\.bin"))
                    .anyMatch(n -> Long.parseLong(n.substring(11, n.length() - 4)) >= step);
        }
    }

    @Test
    void refusesWhatItCannotDoNamingIt(@TempDir Path dir) throws IOException {
        CliRunner.Result r = CliRunner.run("fine-tune", "--out", dir.resolve("none.ser").toString(), "--resume");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("none.ser.run.json does not exist"), r.err());

        Path folders = dir.resolve("folders");
        TinyImageFolders.write(folders, 6, 1);
        r = CliRunner.run("fine-tune", "--backbone", backbone.toString(), "--train", data.toString(), "--test",
                folders.toString(), "--out", dir.resolve("m.ser").toString(), "--steps", "1");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("is not among the training classes"), r.err());

        r = CliRunner.run("fine-tune", "--backbone", backbone.toString(), "--train", data.toString(),
                "--labels-per-class", "100000", "--out", dir.resolve("m2.ser").toString(), "--steps", "1");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("asks for 100000"), r.err());

        Path model = dir.resolve("m3.ser");
        Files.writeString(dir.resolve("m3.ser.run.json"), "{}");
        r = CliRunner.run(fineTune(model, "--steps", "1").toArray(new String[0]));
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("pass --resume to continue it"), r.err());

        Path existing = dir.resolve("existing.ser");
        Files.writeString(existing, "a file the user had");
        r = CliRunner.run(fineTune(existing, "--steps", "1").toArray(new String[0]));
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("exists; choose another model file"), r.err());
        assertEquals("a file the user had", Files.readString(existing));

        Files.writeString(dir.resolve("broken.ser"), "not a model");
        r = CliRunner.run("predict", "--model", dir.resolve("broken.ser").toString(), "--data", data.toString(),
                "--out", dir.resolve("p.csv").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("broken.ser: not a byol4j fine-tuned model"), r.err());
    }
}
