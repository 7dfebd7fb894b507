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
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
 * ({@code bench/compare/byol_step.py}: same architecture, batch, heads, optimiser and threads), one after the other,
 * never at the same time, for each configuration: {@code resnet20} (CIFAR ResNet-20, 28×28×1, batch 64, heads
 * 4096/256), {@code resnet18} (ResNet-18, 32×32×3, batch 64, heads 4096/256) and {@code preset} (the
 * {@code small_greyscale} preset's ResNet-18 at width 0.25, 20×20×1 views, batch 128, heads 1024/256). Each
 * configuration's byol4j side runs in a JVM of its own, so that its peak resident memory is its own. Reports pairs/s
 * of the step alone (data loading excluded on both sides), its split into phases, the FLOPs of a step from the layer
 * shapes ({@link Flops}) and what share of each side's fp32 matmul ceiling (2048², GFLOP/s) each phase achieves,
 * peak resident memory, the ratios byol4j / PyTorch, and the instruction set of the machine.
 *
 * <p>Options: {@code --configs resnet20,resnet18,preset}, {@code --steps 30}, {@code --python /usr/bin/python3}
 * (Debian's, where {@code python3-torch} installs), {@code --json bench/results/compare-<time>.json}.
 */
public final class CompareBench {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final int WARMUP = 5;
    private static final List<StepPhases.Phase> PHASES = List.of(StepPhases.Phase.UPLOAD,
            StepPhases.Phase.TARGET_FORWARD, StepPhases.Phase.FORWARD, StepPhases.Phase.BACKWARD,
            StepPhases.Phase.OPTIMISER, StepPhases.Phase.AFTER_STEP);

    /** One configuration of the step. */
    record Config(String name, String backbone, int side, int channels, int batch, int hidden, int out) {
        static Config named(String name) {
            switch (name) {
                case "resnet20":
                    return new Config(name, "resnet20-small-w1", 28, 1, 64, 4096, 256);
                case "resnet18":
                    return new Config(name, "resnet18-small-w1", 32, 3, 64, 4096, 256);
                case "preset":
                    return new Config(name, "resnet18-small-w0.25", 20, 1, 128, 1024, 256);
                default:
                    throw new IllegalArgumentException("--configs: unknown configuration '" + name
                            + "'; known: resnet20, resnet18, preset");
            }
        }

        String describe() {
            return String.format(Locale.ROOT, "%s, %d×%d×%d, batch %d pairs, heads %d/%d", backbone, side, side,
                    channels, batch, hidden, out);
        }
    }

    private CompareBench() {}

    /**
     * @param args see the class documentation
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--configs", "resnet20,resnet18,preset", "--steps", "30",
                "--python", "/usr/bin/python3"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!o.containsKey(args[i]) && !args[i].equals("--json") && !args[i].equals("--one")) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + o.keySet() + ", --json");
            }
            o.put(args[i], args[i + 1]);
        }
        int steps = Integer.parseInt(o.get("--steps"));
        if (o.containsKey("--one")) { // a child JVM: one configuration's byol4j side
            Files.writeString(Path.of(o.get("--json")), GSON.toJson(byol4j(Config.named(o.get("--one")), steps)),
                    StandardCharsets.UTF_8);
            return;
        }
        Map<String, String> machine = QualityBench.machine();
        int threads = Runtime.getRuntime().availableProcessors();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("options", o);
        report.put("machine", machine);
        report.put("threads", threads);
        List<String[]> summary = new ArrayList<>();
        for (String name : o.get("--configs").split(",")) {
            Config config = Config.named(name.trim());
            Map<String, Object> ours = inChildJvm(config, steps);
            JsonObject torch = pytorch(o.get("--python"), config, threads, steps);
            Flops.PerImage flops = Flops.byol(config.backbone(), config.side(), config.channels(), config.hidden(),
                    config.out());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("config", config);
            entry.put("forward_mflops_per_image", Map.of("backbone", flops.backbone() / 1e6, "projector",
                    flops.projector() / 1e6, "predictor", flops.predictor() / 1e6));
            entry.put("gflops_per_pair", flops.perPair() / 1e9);
            entry.put("byol4j", ours);
            entry.put("pytorch", GSON.fromJson(torch, Map.class));
            report.put(config.name(), entry);
            summary.add(print(config, flops, ours, torch, machine, threads, steps));
        }
        System.out.printf(Locale.ROOT, "%nSummary (%s, %s, %d threads)%n", machine.get("cpu"), machine.get("isa"),
                threads);
        System.out.println("| configuration | GFLOP/pair | byol4j pairs/s | PyTorch pairs/s | step ratio | byol4j share"
                + " of ceiling | PyTorch share | byol4j's lowest phase | peak RSS ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (String[] row : summary) {
            System.out.println("| " + String.join(" | ", row) + " |");
        }
        Path json = Path.of(o.getOrDefault("--json", "bench/results/compare-" + Instant.now().toString()
                .replace(':', '-').substring(0, 19) + ".json"));
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, GSON.toJson(report), StandardCharsets.UTF_8);
        System.out.println("written to " + json);
    }

    /** Runs one configuration's byol4j side in a JVM of its own, with this JVM's options, and reads its result. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> inChildJvm(Config config, int steps) throws IOException, InterruptedException {
        Path result = Files.createTempFile("byol4j-compare", ".json");
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), CompareBench.class.getName(),
                    "--one", config.name(), "--steps", Integer.toString(steps), "--json", result.toString()));
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("byol4j's side of " + config.name() + " failed (exit "
                        + p.exitValue() + ")");
            }
            return GSON.fromJson(Files.readString(result), Map.class);
        } finally {
            Files.deleteIfExists(result);
        }
    }

    private static JsonObject pytorch(String python, Config c, int threads, int steps)
            throws IOException, InterruptedException {
        return PythonReference.run(python, "byol_step.py", c.backbone(), Integer.toString(c.side()),
                Integer.toString(c.channels()), Integer.toString(c.batch()), Integer.toString(c.hidden()),
                Integer.toString(c.out()), Integer.toString(threads), Integer.toString(steps));
    }

    /** Prints one configuration's table; returns its summary row. */
    @SuppressWarnings("unchecked")
    private static String[] print(Config config, Flops.PerImage flops, Map<String, Object> ours, JsonObject torch,
            Map<String, String> machine, int threads, int steps) {
        double ourRate = (double) ours.get("pairs_per_second");
        double theirRate = torch.get("pairs_per_second").getAsDouble();
        double ourCeiling = (double) ours.get("matmul_gflops");
        double theirCeiling = torch.get("matmul_gflops").getAsDouble();
        Map<String, Double> ourPhases = (Map<String, Double>) ours.get("ms_per_step");
        JsonObject theirPhases = torch.getAsJsonObject("ms_per_step");
        int batch = config.batch();
        Map<StepPhases.Phase, Double> phaseFlops = Map.of(StepPhases.Phase.TARGET_FORWARD,
                2 * flops.target() * batch, StepPhases.Phase.FORWARD, 2 * flops.online() * batch,
                StepPhases.Phase.BACKWARD, 4 * flops.online() * batch);
        System.out.printf(Locale.ROOT, "%n%s, %d threads, %d timed steps, %s (%s)%n", config.describe(), threads,
                steps, machine.get("isa"), machine.get("cpu"));
        System.out.printf(Locale.ROOT, "forward MFLOP per image: backbone %.1f, projector %.1f, predictor %.1f;"
                + " a step: %.2f GFLOP per pair%n", flops.backbone() / 1e6, flops.projector() / 1e6,
                flops.predictor() / 1e6, flops.perPair() / 1e9);
        System.out.println("| | byol4j | PyTorch | byol4j / PyTorch | byol4j GFLOP/s (share of ceiling) |"
                + " PyTorch GFLOP/s (share) |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| step, pairs/s | %.1f | %.1f | %.2f | %s | %s |%n", ourRate, theirRate,
                ourRate / theirRate, achieved(flops.perPair() * ourRate, ourCeiling),
                achieved(flops.perPair() * theirRate, theirCeiling));
        String lowest = "–";
        double lowestShare = Double.MAX_VALUE;
        for (StepPhases.Phase step : PHASES) {
            String phase = step.name();
            double a = ourPhases.get(phase);
            double b = theirPhases.has(phase) ? theirPhases.get(phase).getAsDouble() : 0;
            Double work = phaseFlops.get(step);
            String ourShare = "–";
            String theirShare = "–";
            if (work != null) {
                ourShare = achieved(work / (a / 1000), ourCeiling);
                theirShare = achieved(work / (b / 1000), theirCeiling);
                double share = work / (a / 1000) / 1e9 / ourCeiling;
                if (share < lowestShare) {
                    lowestShare = share;
                    lowest = String.format(Locale.ROOT, "%s (%.0f %%)", step.label(), 100 * share);
                }
            }
            System.out.printf(Locale.ROOT, "| %s, ms/step | %.1f | %s | %s | %s | %s |%n", step.label(), a,
                    theirPhases.has(phase) ? String.format(Locale.ROOT, "%.1f", b) : "–",
                    b > 0 ? String.format(Locale.ROOT, "%.2f", a / b) : "–", ourShare, theirShare);
        }
        System.out.printf(Locale.ROOT, "| fp32 matmul ceiling, GFLOP/s | %.0f | %.0f | %.2f | | |%n", ourCeiling,
                theirCeiling, ourCeiling / theirCeiling);
        double ourRss = (double) ours.get("peak_rss_mib");
        double theirRss = torch.get("peak_rss_mib").getAsDouble();
        System.out.printf(Locale.ROOT, "| peak RSS, MiB | %.0f | %.0f | %.2f | | |%n", ourRss, theirRss,
                ourRss / theirRss);
        System.out.printf(Locale.ROOT, "| of which JVM heap committed, MiB | %.0f | – | – | | |%n",
                (double) ours.get("jvm_heap_committed_mib"));
        for (String[] row : new String[][] {{"rss_anon_mib", "anonymous (heaps, arrays) at the end, MiB"},
                {"rss_file_mib", "file-backed (libraries) at the end, MiB"}}) {
            double a = (double) ours.get(row[0]);
            double b = torch.get(row[0]).getAsDouble();
            System.out.printf(Locale.ROOT, "| resident %s | %.0f | %.0f | %.2f | | |%n", row[1], a, b, a / b);
        }
        return new String[] {config.describe(), String.format(Locale.ROOT, "%.2f", flops.perPair() / 1e9),
            String.format(Locale.ROOT, "%.1f", ourRate), String.format(Locale.ROOT, "%.1f", theirRate),
            String.format(Locale.ROOT, "%.2f", ourRate / theirRate),
            String.format(Locale.ROOT, "%.0f %%", 100 * flops.perPair() * ourRate / 1e9 / ourCeiling),
            String.format(Locale.ROOT, "%.0f %%", 100 * flops.perPair() * theirRate / 1e9 / theirCeiling), lowest,
            String.format(Locale.ROOT, "%.2f", ourRss / theirRss)};
    }

    private static String achieved(double flopsPerSecond, double ceiling) {
        return String.format(Locale.ROOT, "%.0f (%.0f %%)", flopsPerSecond / 1e9, 100 * flopsPerSecond / 1e9 / ceiling);
    }

    private static Map<String, Object> byol4j(Config c, int steps) throws IOException {
        int batch = c.batch();
        int side = c.side();
        int channels = c.channels();
        ByolConfig config = ByolConfig.builder().set(BACKBONE, c.backbone()).set(INPUT_CHANNELS, channels)
                .set(IMAGE_SIZE, side)
                .set(PROJECTOR_HIDDEN, c.hidden()).set(PROJECTOR_OUTPUT, c.out())
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
