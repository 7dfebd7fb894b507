package org.byol4j.bench;

import static org.byol4j.method.PretrainingConfig.BACKBONE;
import static org.byol4j.method.PretrainingConfig.BASE_LEARNING_RATE;
import static org.byol4j.method.PretrainingConfig.BATCH_SIZE;
import static org.byol4j.method.PretrainingConfig.IMAGE_SIZE;
import static org.byol4j.method.PretrainingConfig.INPUT_CHANNELS;
import static org.byol4j.method.PretrainingConfig.OPTIMISER;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_HIDDEN;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_OUTPUT;
import static org.byol4j.method.PretrainingConfig.TOTAL_STEPS;
import static org.byol4j.method.PretrainingConfig.WARMUP_EPOCHS;
import static org.byol4j.pretrain.RunSettings.WORKERS;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;
import org.byol4j.backbone.Backbone;
import org.byol4j.byol.ByolConfig;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.method.OptimiserKind;
import org.byol4j.pretrain.Pretrainer;
import org.byol4j.pretrain.RunSettings;
import org.byol4j.method.StepPhases;
import org.byol4j.spi.PretrainingListener;

/**
 * {@code bench/run compare}: byol4j's BYOL step against a PyTorch reference of the same step
 * ({@code bench/compare/byol_step.py}: same architecture, batch, heads, optimiser and threads), one after the other
 * in one invocation, never at the same time. Reports pairs/s of the step alone (data loading excluded on both
 * sides), its split into phases, each side's fp32 matmul ceiling (2048², GFLOP/s) and peak resident memory, and
 * the ratios byol4j / PyTorch.
 *
 * <p>Options: {@code --backbone resnet20-small-w1} (or {@code resnet18-small-w1}), {@code --side 28},
 * {@code --channels 1}, {@code --batch 64}, {@code --hidden 4096}, {@code --out 256}, {@code --steps 30},
 * {@code --python /usr/bin/python3} (Debian's, where {@code python3-torch} installs),
 * {@code --json bench/results/compare-<time>.json}.
 */
public final class CompareBench {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final int WARMUP = 5;

    private CompareBench() {}

    /**
     * @param args see the class documentation
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--backbone", "resnet20-small-w1", "--side", "28",
                "--channels", "1", "--batch", "64", "--hidden", "4096", "--out", "256", "--steps", "30",
                "--python", "/usr/bin/python3"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!o.containsKey(args[i]) && !args[i].equals("--json")) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + o.keySet() + ", --json");
            }
            o.put(args[i], args[i + 1]);
        }
        int side = Integer.parseInt(o.get("--side"));
        int channels = Integer.parseInt(o.get("--channels"));
        int batch = Integer.parseInt(o.get("--batch"));
        int steps = Integer.parseInt(o.get("--steps"));
        int threads = Runtime.getRuntime().availableProcessors();

        Map<String, Object> ours = byol4j(o.get("--backbone"), side, channels, batch,
                Integer.parseInt(o.get("--hidden")), Integer.parseInt(o.get("--out")), steps);
        System.out.println("byol4j: " + ours);
        Path script = Path.of(System.getProperty("byol4j.bench.dir", "bench"), "compare", "byol_step.py");
        Process p = new ProcessBuilder(o.get("--python"), script.toString(), o.get("--backbone"),
                Integer.toString(side), Integer.toString(channels), Integer.toString(batch), o.get("--hidden"),
                o.get("--out"), Integer.toString(threads), Integer.toString(steps)).redirectError(
                        ProcessBuilder.Redirect.INHERIT).start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the PyTorch reference failed (exit " + p.exitValue() + "): " + line);
        }
        JsonObject torch = JsonParser.parseString(line.substring(line.lastIndexOf('\n') + 1)).getAsJsonObject();
        System.out.println("pytorch: " + torch);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("config", o);
        report.put("threads", threads);
        report.put("byol4j", ours);
        report.put("pytorch", GSON.fromJson(torch, Map.class));
        Path json = Path.of(o.getOrDefault("--json", "bench/results/compare-" + Instant.now().toString()
                .replace(':', '-').substring(0, 19) + ".json"));
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, GSON.toJson(report), StandardCharsets.UTF_8);

        double ourRate = (double) ours.get("pairs_per_second");
        double theirRate = torch.get("pairs_per_second").getAsDouble();
        double ourCeiling = (double) ours.get("matmul_gflops");
        double theirCeiling = torch.get("matmul_gflops").getAsDouble();
        System.out.printf(Locale.ROOT, "%n%s, %d×%d×%d, batch %d pairs, heads %s/%s, %d threads, %d timed steps%n",
                o.get("--backbone"), side, side, channels, batch, o.get("--hidden"), o.get("--out"), threads, steps);
        System.out.println("| | byol4j | PyTorch | byol4j / PyTorch |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| step, pairs/s | %.1f | %.1f | %.2f |%n", ourRate, theirRate,
                ourRate / theirRate);
        @SuppressWarnings("unchecked")
        Map<String, Double> ourPhases = (Map<String, Double>) ours.get("ms_per_step");
        JsonObject theirPhases = torch.getAsJsonObject("ms_per_step");
        for (StepPhases.Phase step : List.of(StepPhases.Phase.UPLOAD, StepPhases.Phase.TARGET_FORWARD,
                StepPhases.Phase.FORWARD, StepPhases.Phase.BACKWARD, StepPhases.Phase.OPTIMISER,
                StepPhases.Phase.AFTER_STEP)) {
            String phase = step.name();
            double a = ourPhases.get(phase);
            double b = theirPhases.has(phase) ? theirPhases.get(phase).getAsDouble() : 0;
            System.out.printf(Locale.ROOT, "| %s, ms/step | %.1f | %s | %s |%n", step.label(), a,
                    theirPhases.has(phase) ? String.format(Locale.ROOT, "%.1f", b) : "–",
                    b > 0 ? String.format(Locale.ROOT, "%.2f", a / b) : "–");
        }
        System.out.printf(Locale.ROOT, "| fp32 matmul ceiling, GFLOP/s | %.0f | %.0f | %.2f |%n", ourCeiling,
                theirCeiling, ourCeiling / theirCeiling);
        System.out.printf(Locale.ROOT, "| peak RSS, MiB | %.0f | %.0f | %.2f |%n", (double) ours.get("peak_rss_mib"),
                torch.get("peak_rss_mib").getAsDouble(), (double) ours.get("peak_rss_mib")
                        / torch.get("peak_rss_mib").getAsDouble());
        System.out.printf(Locale.ROOT, "| of which JVM heap committed, MiB | %.0f | – | – |%n",
                (double) ours.get("jvm_heap_committed_mib"));
        for (String[] row : new String[][] {{"rss_anon_mib", "anonymous (heaps, arrays) at the end, MiB"},
                {"rss_file_mib", "file-backed (libraries) at the end, MiB"}}) {
            double a = (double) ours.get(row[0]);
            double b = torch.get(row[0]).getAsDouble();
            System.out.printf(Locale.ROOT, "| resident %s | %.0f | %.0f | %.2f |%n", row[1], a, b, a / b);
        }
        System.out.println("written to " + json);
    }

    private static Map<String, Object> byol4j(String backbone, int side, int channels, int batch, int hidden,
            int out, int steps) throws IOException {
        ByolConfig config = ByolConfig.builder().set(BACKBONE, backbone).set(INPUT_CHANNELS, channels)
                .set(IMAGE_SIZE, side)
                .set(PROJECTOR_HIDDEN, hidden).set(PROJECTOR_OUTPUT, out)
                .set(BATCH_SIZE, batch).set(TOTAL_STEPS, WARMUP + steps).set(OPTIMISER, OptimiserKind.LARS)
                .set(BASE_LEARNING_RATE, 1.0f).set(WARMUP_EPOCHS, 0f)
                .build();
        Pretrainer trainer = new Pretrainer(config, RunSettings.defaults().with(WORKERS, 1));
        Map<StepPhases.Phase, Double> warm = new LinkedHashMap<>();
        PretrainingListener listener = new PretrainingListener() {
            @Override
            public void onStep(org.byol4j.spi.TrainingProgress p) {
                if (p.step() == WARMUP) {
                    warm.putAll(trainer.phases().millisPerStep());
                }
            }
        };
        try (Backbone b = trainer.train(StepBench.noise(batch * 4, side, channels), listener)) {
            StepPhases all = trainer.phases();
            Map<String, Double> perStep = new LinkedHashMap<>();
            double stepMs = 0;
            for (Map.Entry<StepPhases.Phase, Double> e : all.millisPerStep().entrySet()) {
                // cumulative over all steps minus the warm-up steps' share, per timed step
                double ms = (e.getValue() * all.steps() - warm.get(e.getKey()) * WARMUP) / steps;
                perStep.put(e.getKey().name(), ms);
                if (e.getKey() != StepPhases.Phase.DATA_WAIT) {
                    stepMs += ms;
                }
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("side", "byol4j (DJL " + ai.djl.engine.Engine.getDjlVersion() + ", PyTorch "
                    + OfflineEngine.get().getVersion() + ")");
            r.put("pairs_per_second", batch / (stepMs / 1000));
            r.put("ms_per_step", perStep);
            r.put("matmul_gflops", matmulCeiling());
            r.put("peak_rss_mib", statusMib("VmHWM"));
            r.put("rss_anon_mib", statusMib("RssAnon"));
            r.put("rss_file_mib", statusMib("RssFile"));
            r.put("jvm_heap_committed_mib", Runtime.getRuntime().totalMemory() / 1048576.0);
            Map<String, Double> jvmNative = jvmNativeMemory();
            if (!jvmNative.isEmpty()) {
                r.put("jvm_nmt_committed_mib", jvmNative);
            }
            return r;
        }
    }

    private static double matmulCeiling() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray a = m.randomUniform(0, 1, new Shape(2048, 2048));
            NDArray b = m.randomUniform(0, 1, new Shape(2048, 2048));
            for (int i = 0; i < 3; i++) {
                a.matMul(b).close();
            }
            int reps = 10;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                a.matMul(b).close();
            }
            return 2.0 * Math.pow(2048, 3) * reps / ((System.nanoTime() - t0) / 1e9) / 1e9;
        }
    }

    /**
     * What the JVM itself has committed, by Native Memory Tracking category (Java heap, class metadata, code,
     * GC, threads ...) and in total, in MiB; empty unless the JVM runs with
     * {@code -XX:NativeMemoryTracking=summary} (e.g. {@code BENCH_JAVA_OPTS="-Xmx8g
     * -XX:NativeMemoryTracking=summary"}). Resident anonymous memory minus this total is what the engine holds.
     */
    private static Map<String, Double> jvmNativeMemory() throws IOException {
        String summary;
        try {
            summary = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IOException("the JVM's native memory summary: " + e.getMessage(), e);
        }
        Map<String, Double> committed = new LinkedHashMap<>();
        Matcher m = Pattern.compile(
                "(?m)^(Total|-\\s+([^(]+?))\\s*:?\\s*\\(?reserved=\\d+KB, committed=(\\d+)KB").matcher(summary);
        while (m.find()) {
            committed.put(m.group(2) == null ? "Total" : m.group(2).trim(), Long.parseLong(m.group(3)) / 1024.0);
        }
        return committed;
    }

    /** A memory figure of this process from /proc/self/status: VmHWM (peak RSS), RssAnon, RssFile. */
    private static double statusMib(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
