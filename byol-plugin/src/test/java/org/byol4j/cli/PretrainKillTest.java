package org.byol4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.byol4j.backbone.Backbone;
import org.byol4j.report.MetricsLog;
import org.byol4j.report.Plots;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code byol pretrain} as a subprocess, killed with SIGKILL at random steps and resumed each time, then stopped
 * with SIGTERM (what Ctrl-C does) and resumed: every run completes, a kill loses at most one checkpoint interval, a
 * SIGTERM loses nothing, and the final weights are bit-identical to an uninterrupted run of the same seed.
 */
@Tag("slow")
class PretrainKillTest {

    private static final int STEPS = 60;
    private static final int CHECKPOINT_EVERY = 4;
    private static final int KILLS = 5;

    private static String[] command(Path images, Path out, boolean resume) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "pretrain", "--out",
                out.toString(), "--workers", "1"));
        if (resume) {
            c.add("--resume");
        } else {
            c.addAll(List.of("--data", images.toString(), "--steps", Integer.toString(STEPS), "--checkpoint-every",
                    Integer.toString(CHECKPOINT_EVERY), "--checkpoint-minutes", "0", "--keep", "2", "--log-every",
                    "1"));
            c.addAll(List.of(CliTest.TINY));
        }
        return c.toArray(new String[0]);
    }

    private static Process start(String[] command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String sha256(Path run) throws IOException {
        return JsonParser.parseString(Files.readString(run.resolve("backbone/metadata.json"), StandardCharsets.UTF_8))
                .getAsJsonObject().get("sha256").getAsString();
    }

    /** @return the last step fully logged in steps.csv, 0 when none */
    private static long lastLoggedStep(Path run) throws IOException {
        Path csv = run.resolve(MetricsLog.STEPS);
        if (!Files.exists(csv) || Files.size(csv) == 0) {
            return 0; // not written yet, or killed while creating it
        }
        long last = 0;
        int columns = MetricsLog.columns(csv).size();
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            String[] cells = line.split(",", -1);
            if (cells.length == columns && cells[0].matches("\\d+")) {
                last = Long.parseLong(cells[0]);
            }
        }
        return last;
    }

    private static long newestCheckpoint(Path run) throws IOException {
        Path dir = run.resolve(PretrainCommand.CHECKPOINTS);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("checkpoint-\\d+\\.bin"))
                    .mapToLong(n -> Long.parseLong(n.substring(11, n.length() - 4))).max().orElse(0);
        }
    }

    /** @return each parameter that is not bit-identical in the two saved backbones, with its largest difference */
    private static String differences(Path a, Path b) throws IOException {
        List<String> found = new ArrayList<>();
        try (Backbone x = Backbone.load(a); Backbone y = Backbone.load(b)) {
            var px = x.block().getParameters();
            var py = y.block().getParameters();
            for (int i = 0; i < px.size(); i++) {
                float[] u = px.valueAt(i).getArray().toFloatArray();
                float[] v = py.valueAt(i).getArray().toFloatArray();
                int differ = 0;
                double largest = 0;
                for (int j = 0; j < u.length; j++) {
                    if (Float.floatToIntBits(u[j]) != Float.floatToIntBits(v[j])) {
                        differ++;
                        largest = Math.max(largest, Math.abs((double) u[j] - v[j]));
                    }
                }
                if (differ > 0) {
                    found.add(px.keyAt(i) + " (" + differ + " of " + u.length + ", largest " + largest + ")");
                }
            }
        }
        return found.size() + " parameters: " + String.join(", ", found.subList(0, Math.min(12, found.size())))
                + (found.size() > 12 ? ", ..." : "");
    }

    /** @return what each resumed process said about the checkpoint it resumed from */
    private static String resumes(Path dir) throws IOException {
        try (var logs = Files.list(dir)) {
            return logs.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().map(p -> {
                try {
                    return p.getFileName() + ": " + Files.readAllLines(p, StandardCharsets.UTF_8).stream()
                            .filter(l -> l.contains("resuming from") || l.contains("Stopped after"))
                            .collect(Collectors.joining(" / "));
                } catch (IOException e) {
                    return p.getFileName() + ": " + e.getMessage();
                }
            }).collect(Collectors.joining("; "));
        }
    }

    @Test
    void killedAtRandomStepsAndResumedEndsWithTheUninterruptedWeights(@TempDir Path dir) throws Exception {
        Path images = TinyImageFolders.write(dir.resolve("images"), 24, 1);
        Path straight = dir.resolve("straight");
        Process p = start(command(images, straight, false), dir.resolve("straight.log"));
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        String straightLog = Files.readString(dir.resolve("straight.log"));
        assertEquals(0, p.exitValue(), straightLog);
        assertFalse(straightLog.contains("AutoNonVariableTypeMode") || straightLog.contains("Warning:"),
                "no libtorch deprecation warning in a whole pretraining run: " + straightLog);

        Path run = dir.resolve("killed");
        Random random = new Random(11);
        long target = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            target += 3 + random.nextInt((STEPS - 5) / KILLS - 3);
            Path log = dir.resolve("kill" + kill + ".log");
            Process victim = start(command(images, run, kill > 0), log);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (lastLoggedStep(run) < target && victim.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(random.nextInt(40));
            assertTrue(victim.isAlive(), "run " + kill + " ended before its kill at step " + target + ":\n"
                    + Files.readString(log));
            victim.destroyForcibly().waitFor();
            long logged = lastLoggedStep(run);
            long saved = newestCheckpoint(run);
            assertTrue(logged - saved <= CHECKPOINT_EVERY, "kill " + kill + " at step " + logged + " lost more than"
                    + " one checkpoint interval: newest checkpoint " + saved);
            target = Math.max(target, logged);
        }
        // Ctrl-C / SIGTERM: the run stops after its step with a checkpoint of that very step, and says so.
        target += 3;
        Path termLog = dir.resolve("term.log");
        Process term = start(command(images, run, true), termLog);
        while (lastLoggedStep(run) < target && term.isAlive()) {
            Thread.sleep(5);
        }
        term.destroy();
        assertTrue(term.waitFor(2, TimeUnit.MINUTES));
        String said = Files.readString(termLog);
        assertEquals(143, term.exitValue(), said);
        assertEquals(lastLoggedStep(run), newestCheckpoint(run), said);
        assertTrue(said.contains("Stopped after step " + newestCheckpoint(run)) && said.contains("--resume"), said);

        Process last = start(command(images, run, true), dir.resolve("final.log"));
        assertTrue(last.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, last.exitValue(), Files.readString(dir.resolve("final.log")));
        if (!sha256(straight).equals(sha256(run))) {
            fail("resumed five times after kill -9, the weights must be exact; they differ in "
                    + differences(straight.resolve("backbone"), run.resolve("backbone")) + "\nthe resumes: "
                    + resumes(dir));
        }
        assertTrue(new File(run.resolve(Plots.CURVES).toString()).length() > 10_000);
    }
}
