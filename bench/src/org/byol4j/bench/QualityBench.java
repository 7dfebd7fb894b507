package org.byol4j.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.pretrain.DivergedException;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.RepresentationTrainer;
import org.byol4j.spi.RepresentationTrainers;
import org.byol4j.spi.TrainingProgress;
import org.byol4j.tribuo.EmbeddingDataSource;
import org.byol4j.tribuo.KnnEvaluation;
import org.byol4j.tribuo.LinearEvaluation;
import org.byol4j.tribuo.LinearProbe;
import org.byol4j.tribuo.PixelDataSource;
import org.byol4j.zoo.ZooExport;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

/**
 * {@code bench/run quality}: what a pretraining budget buys, judged as the paper judges (Grill et al. 2020, §4.1):
 * frozen features of all 60,000 Fashion-MNIST training and 10,000 test images, a converged L2-regularised
 * logistic regression (Tribuo's LibLinear, {@link LinearProbe#LIBLINEAR}) and a weighted kNN (k = 20), next to
 * raw pixels and the same network untrained. One time-budgeted run per seed of any method behind the SPI;
 * snapshots of the online backbone at the given minutes of a run are saved during it, and everything is evaluated
 * after the last run, so evaluation never shares the machine with a timed run. A seed that diverges is a row of
 * the report (with the message that names the weights that ran away), its earlier snapshots are still evaluated,
 * and the next seed runs. Prints a table and writes it as JSON.
 *
 * <p>Options: {@code --minutes 10} (the budget), {@code --steps K} (a fixed step count instead of the budget, for
 * comparisons that must not depend on what else the machine is doing), {@code --snapshots 5} and
 * {@code --snapshot-steps 500,1000} (comma-separated minutes, each below the
 * budget), {@code --seeds 1,2}, {@code --method byol} (or {@code simclr}, {@code simsiam}), {@code --preset
 * small_greyscale} (the method's), {@code -o field=value} (any field of the method's config, repeatable),
 * {@code --baselines true|false|untrained} (untrained: the untrained network only, not the 9-minute raw-pixel
 * regression), {@code --data DIR}, {@code --out FILE.json},
 * {@code --workers 2}, {@code --checkpoint DIR} (checkpoint every 200 steps and resume from there; one seed only;
 * the snapshots are kept in {@code DIR/snapshots} with their minutes, so that a run resumed in another session, even
 * on another machine after the folder was committed, evaluates those an earlier invocation took as well),
 * {@code --export ID} (write the first seed's final backbone into the byol-zoo module's shipped artefacts as
 * {@code org.byol4j:ID:VERSION}, with this command, its wall time and the machine in the metadata),
 * {@code --export-version 0.1.0} (VERSION; a retrained artefact gets a new one), {@code --eval-size N[,N...]}
 * (embed the images at N × N pixels instead of the images' own size, each snapshot once per size: the network is
 * fully convolutional, so weights trained on small views can embed images of any size; the baselines use the first).
 */
public final class QualityBench {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final Path ZOO_RESOURCES = Path.of("byol-zoo/src/main/resources/org/byol4j/zoo");

    private QualityBench() {}

    public static void main(String[] args) throws IOException {
        run(args);
    }

    /**
     * Puts one {@code -o field=value} into {@code overrides}.
     *
     * @throws IllegalArgumentException when the text has no {@code =}
     */
    static void putOverride(Map<String, String> overrides, String fieldValue) {
        String[] kv = fieldValue.split("=", 2);
        if (kv.length != 2) {
            throw new IllegalArgumentException("-o expects field=value, got " + fieldValue);
        }
        overrides.put(kv[0], kv[1]);
    }

    /**
     * Runs the benchmark as {@link #main} does.
     *
     * @param args the command line
     * @return the report's rows (features, seed, minutes, steps, linear, knn20, ...)
     * @throws IOException when the data cannot be read or the report written
     */
    static List<Map<String, Object>> run(String[] args) throws IOException {
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        Map<String, String> opts = new LinkedHashMap<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value; the options are listed"
                        + " in bench/README.md (\"bench/run quality\") and in QualityBench's Javadoc");
            }
            if (args[i].equals("-o")) {
                putOverride(overrides, args[i + 1]);
            } else {
                opts.put(args[i], args[i + 1]);
            }
        }
        double minutes = Double.parseDouble(opts.getOrDefault("--minutes", "10"));
        List<Double> snapshots = new ArrayList<>();
        for (String s : opts.getOrDefault("--snapshots", "").split(",")) {
            if (!s.isBlank()) {
                snapshots.add(Double.parseDouble(s.trim()));
            }
        }
        List<Long> snapshotSteps = new ArrayList<>();
        for (String s : opts.getOrDefault("--snapshot-steps", "").split(",")) {
            if (!s.isBlank()) {
                snapshotSteps.add(Long.parseLong(s.trim()));
            }
        }
        List<Long> seeds = new ArrayList<>();
        for (String s : opts.getOrDefault("--seeds", "1,2").split(",")) {
            seeds.add(Long.parseLong(s.trim()));
        }
        String method = opts.getOrDefault("--method", "byol");
        String preset = opts.getOrDefault("--preset", "small_greyscale");
        String baselines = opts.getOrDefault("--baselines", "true");
        if (!List.of("true", "false", "untrained").contains(baselines)) {
            throw new IllegalArgumentException("--baselines: expected true, false or untrained, got " + baselines);
        }
        int workers = Integer.parseInt(opts.getOrDefault("--workers", "2"));
        Path checkpoint = opts.containsKey("--checkpoint") ? Path.of(opts.get("--checkpoint")) : null;
        if (checkpoint != null && seeds.size() != 1) {
            throw new IllegalArgumentException("--checkpoint needs exactly one seed, got " + seeds);
        }
        String export = opts.get("--export");
        String exportVersion = opts.getOrDefault("--export-version", "0.1.0");
        List<Integer> evalSizes = Stream.of(opts.getOrDefault("--eval-size", "0").split(",")).map(String::trim)
                .map(Integer::parseInt).toList();
        Path dir = Path.of(opts.getOrDefault("--data", "/usr/share/datasets/fashion-mnist"));
        Path out = Path.of(opts.getOrDefault("--out", "bench/results/quality-" + Instant.now().toString()
                .replace(':', '-').substring(0, 19) + ".json"));

        IdxImageSource train = fashionMnist(dir, "train");
        IdxImageSource test = fashionMnist(dir, "t10k");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", machine());
        report.put("method", method);
        report.put("preset", preset);
        report.put("overrides", overrides);
        report.put("budgetMinutes", minutes);
        report.put("data", train.description() + " / " + test.description());
        report.put("protocol", "LibLinear L2R_LR C=1 on standardised frozen features, 60000 train / 10000 test;"
                + " kNN k=20 T=0.07");
        List<Map<String, Object>> rows = new ArrayList<>();
        report.put("rows", rows);

        // Train every seed first, then evaluate: evaluation never shares the machine with a timed run.
        Map<Long, SnapshotSaver> runs = new LinkedHashMap<>();
        for (long seed : seeds) {
            Map<String, String> fields = new LinkedHashMap<>(overrides);
            fields.put("preset", preset);
            fields.put("seed", Long.toString(seed));
            fields.put("workers", Integer.toString(workers));
            if (opts.containsKey("--steps")) {
                fields.put("totalSteps", opts.get("--steps"));
            } else {
                fields.put("timeBudgetSeconds", Double.toString(minutes * 60));
            }
            if (checkpoint != null) { // one checkpoint file, overwritten: the zoo's training checkpoint lives in git
                fields.put("checkpointDir", checkpoint.toString());
                fields.put("checkpointEvery", "200");
                fields.put("checkpointsKept", "1");
            }
            RepresentationTrainer trainer = RepresentationTrainers.get(method, fields);
            SnapshotSaver saver = checkpoint != null
                    ? new SnapshotSaver(snapshots, snapshotSteps, checkpoint.resolve("snapshots"), true)
                    : new SnapshotSaver(snapshots, snapshotSteps, Files.createTempDirectory("byol4j-quality"), false);
            long t0 = System.nanoTime();
            Backbone trainedBackbone;
            try {
                trainedBackbone = trainer.train(train, saver);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof DivergedException)) {
                    throw e;
                }
                // A diverged seed is a result: record it, keep its earlier snapshots, go on with the next seed.
                System.out.printf(Locale.ROOT, "seed %d: %s%n", seed, e.getMessage());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("features", method + " diverged");
                row.put("seed", seed);
                row.put("minutes", saver.minutes());
                row.put("steps", ((DivergedException) e.getCause()).step());
                row.put("diverged", e.getMessage());
                rows.add(row);
                runs.put(seed, saver);
                continue;
            }
            try (Backbone last = trainedBackbone) {
                double trained = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "seed %d: pretraining took %.1f s (%s), K = %s steps%n", seed,
                        trained, opts.containsKey("--steps") ? "steps fixed" : String.format(Locale.ROOT,
                                "budget %.0f s", minutes * 60), last.recipe().get("totalSteps"));
                // The saver's minutes, not this invocation's: a resumed run's go on from its earlier sessions'.
                double runMinutes = saver.minutes();
                saver.keep(runMinutes, Long.parseLong(last.recipe().get("totalSteps")), last);
                if (export != null && seed == seeds.get(0)) {
                    Map<String, String> training = new LinkedHashMap<>();
                    training.put("command", "bench/run quality " + String.join(" ", args));
                    training.put("wallSeconds", String.format(Locale.ROOT, "%.0f", runMinutes * 60));
                    training.put("machine", machine().toString());
                    training.put("date", Instant.now().toString());
                    Path artefact = ZooExport.export(last, ZOO_RESOURCES, export, exportVersion, "fashion-mnist",
                            method.toUpperCase(Locale.ROOT) + " " + last.architecture().name()
                                    + " pretrained on the 60,000 Fashion-MNIST training"
                                    + " images (labels unused)", training);
                    Path index = ZOO_RESOURCES.resolve("artifacts.txt");
                    String listed = Files.exists(index) ? Files.readString(index) : "";
                    if (!listed.lines().anyMatch(export::equals)) {
                        Files.writeString(index, listed + export + "\n");
                    }
                    System.out.println("exported to " + artefact);
                }
            }
            runs.put(seed, saver);
        }
        for (Map.Entry<Long, SnapshotSaver> run : runs.entrySet()) {
            long seed = run.getKey();
            for (Map.Entry<Double, Path> snap : run.getValue().saved.entrySet()) {
                for (int evalSize : evalSizes) {
                    try (Backbone b = atSize(Backbone.load(snap.getValue()), evalSize)) {
                        Map<String, Object> row = evaluate(method, seed, snap.getKey(), run.getValue().steps
                                .get(snap.getKey()), b, train, test);
                        row.put("recipe", b.recipe());
                        if (snap.getKey() == run.getValue().finalMinutes && run.getValue().lastEpoch != null) {
                            row.put("finalEpochLoss", run.getValue().lastEpoch.loss());
                            row.put("finalMetrics", run.getValue().lastEpoch.metrics());
                        }
                        rows.add(row);
                    }
                }
                if (!"false".equals(baselines) && seed == seeds.get(0)
                        && snap.getKey() == run.getValue().finalMinutes) {
                    try (Backbone b = atSize(Backbone.load(snap.getValue()), evalSizes.get(0));
                            Backbone random = Backbone.randomInit(b.architecture(), b.imageSize(), (int) seed)) {
                        rows.add(evaluate("untrained", seed, 0, 0, random, train, test));
                    }
                    if ("true".equals(baselines)) {
                        rows.add(pixels(train, test));
                    }
                }
            }
            run.getValue().discard();
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, GSON.toJson(report), StandardCharsets.UTF_8);
        }
        System.out.println();
        System.out.println("| features | seed | minutes | steps | embedded at | linear (LibLinear) | kNN-20 |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Map<String, Object> r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %s | %s | %s | %s |%n", r.get("features"),
                    r.get("seed"), ((Number) r.get("minutes")).doubleValue(), r.get("steps"),
                    r.containsKey("evalSize") ? r.get("evalSize") + " px" : "–", r.containsKey("linear")
                            ? String.format(Locale.ROOT, "%.2f %%", 100 * ((Number) r.get("linear")).doubleValue())
                            : "–",
                    r.containsKey("knn20") ? String.format(Locale.ROOT, "%.2f %%",
                            100 * ((Number) r.get("knn20")).doubleValue()) : "–");
        }
        System.out.println("written to " + out);
        return rows;
    }

    /**
     * @param saved a loaded backbone, closed here when a copy replaces it
     * @param size the side to embed at, or 0 for its own
     * @return the backbone itself, or a copy of its weights that embeds at {@code size} × {@code size}
     */
    private static Backbone atSize(Backbone saved, int size) {
        if (size <= 0 || size == saved.imageSize()) {
            return saved;
        }
        try (saved) {
            return Backbone.copyOf(saved.architecture(), size, saved.block(), saved.recipe());
        }
    }

    private static Map<String, Object> evaluate(String what, long seed, double minutes, long steps, Backbone b,
            LabelledImageSource train, LabelledImageSource test) {
        long t0 = System.nanoTime();
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> embTrain = new MutableDataset<>(new EmbeddingDataSource<>(train, b, labels, 500));
        MutableDataset<Label> embTest = new MutableDataset<>(new EmbeddingDataSource<>(test, b, labels, 500));
        double embedSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        double linear = new LinearEvaluation(LinearProbe.LIBLINEAR, 0).run(embTrain, embTest).accuracy();
        double linearSeconds = (System.nanoTime() - t1) / 1e9;
        double knn = new KnnEvaluation(20, 0.07).accuracy(embTrain, embTest);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("features", what + " " + b.architecture().name() + " (" + b.featureDim() + "-d)");
        row.put("seed", seed);
        row.put("minutes", minutes);
        row.put("steps", steps);
        row.put("evalSize", b.imageSize());
        row.put("linear", linear);
        row.put("knn20", knn);
        row.put("embedSeconds", embedSeconds);
        row.put("linearSeconds", linearSeconds);
        System.out.printf(Locale.ROOT, "  %s seed %d at %.1f min (%d steps), embedded at %d px: linear %.2f %%,"
                + " kNN-20 %.2f %% (embedding %.0f s, probe %.0f s)%n", row.get("features"), seed, minutes, steps,
                b.imageSize(), 100 * linear, 100 * knn, embedSeconds, linearSeconds);
        return row;
    }

    private static Map<String, Object> pixels(LabelledImageSource train, LabelledImageSource test) {
        LabelFactory labels = new LabelFactory();
        long t0 = System.nanoTime();
        double linear = new LinearEvaluation(LinearProbe.LIBLINEAR, 0)
                .run(new PixelDataSource<>(train, labels), new PixelDataSource<>(test, labels)).accuracy();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("features", "raw pixels (784-d)");
        row.put("seed", "-");
        row.put("minutes", 0.0);
        row.put("steps", 0);
        row.put("linear", linear);
        row.put("linearSeconds", (System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "  raw pixels: linear %.2f %%%n", 100 * linear);
        return row;
    }

    /**
     * @param dir the folder of the Fashion-MNIST IDX files
     * @param split {@code train} (60,000 images) or {@code t10k} (10,000)
     * @return all images of the split, labelled with the class names
     */
    static IdxImageSource fashionMnist(Path dir, String split) {
        return IdxImageSource.labelled(dir.resolve(split + "-images-idx3-ubyte.gz"),
                dir.resolve(split + "-labels-idx1-ubyte.gz"), IdxImageSource.FASHION_MNIST_CLASSES, 0);
    }

    /** @return each image's class as its index in {@code images.classNames()} */
    static int[] ids(LabelledImageSource images) {
        List<String> names = images.classNames();
        int[] out = new int[images.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = names.indexOf(images.label(i));
        }
        return out;
    }

    /** @return cores, OS, Java, CPU model and whether it has AVX-512, for a result file */
    static Map<String, String> machine() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.version"));
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && !m.containsKey("cpu")) {
                    m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                }
                if (line.startsWith("flags")) {
                    m.put("isa", line.contains(" avx512f") ? "AVX-512" : "AVX2-only");
                    break;
                }
            }
        } catch (IOException e) {
            m.put("cpu", "unknown");
        }
        return m;
    }

    /**
     * Saves the online backbone at the first step past each snapshot time (minutes since the run started) and at
     * each snapshot step; records each under the minutes and step it was taken at.
     */
    private static final class SnapshotSaver implements PretrainingListener {
        private final List<Double> pendingMinutes;
        private final List<Long> pendingSteps;
        private static final String ELAPSED = "elapsed-minutes";
        private static final String MINUTES = "minutes";
        private final Path dir;
        private final boolean persistent;
        private final double offsetMinutes;
        private final long started = System.nanoTime();
        final Map<Double, Path> saved = new TreeMap<>();
        final Map<Double, Long> steps = new TreeMap<>();
        double finalMinutes = Double.NaN;
        TrainingProgress lastEpoch;

        /**
         * @param persistent whether the snapshots outlive this invocation (a resumable run's, beside its checkpoint):
         *     those an earlier invocation saved in {@code dir} are taken up again (their steps are not saved twice),
         *     the minutes go on from where the earlier invocations' epochs left them, and nothing is deleted
         */
        SnapshotSaver(List<Double> minutes, List<Long> atSteps, Path dir, boolean persistent) throws IOException {
            this.pendingMinutes = new ArrayList<>(minutes);
            this.pendingMinutes.sort(Double::compare);
            this.pendingSteps = new ArrayList<>(atSteps);
            this.pendingSteps.sort(Long::compare);
            this.dir = dir;
            this.persistent = persistent;
            Files.createDirectories(dir);
            Path elapsed = dir.resolve(ELAPSED);
            this.offsetMinutes = persistent && Files.exists(elapsed) ? Double.parseDouble(Files.readString(elapsed)
                    .trim()) : 0;
            if (persistent) {
                try (Stream<Path> earlier = Files.list(dir)) {
                    for (Path snapshot : earlier.filter(f -> f.getFileName().toString().startsWith("at-step-"))
                            .toList()) {
                        long step = Long.parseLong(snapshot.getFileName().toString().substring("at-step-".length()));
                        double at = Double.parseDouble(Files.readString(snapshot.resolve(MINUTES)).trim());
                        saved.put(at, snapshot);
                        steps.put(at, step);
                        pendingSteps.remove(Long.valueOf(step));
                    }
                }
            }
        }

        @Override
        public void onEpoch(TrainingProgress p) {
            lastEpoch = p;
            if (persistent) {
                write(dir.resolve(ELAPSED), minutes());
            }
            System.out.printf(Locale.ROOT, "  epoch %d step %d/%d loss %.4f lr %.3f %.0f pairs/s %s (%.1f min)%n",
                    p.epoch() + 1, p.step(), p.totalSteps(), p.loss(), p.learningRate(), p.pairsPerSecond(),
                    p.metrics(), minutes());
        }

        @Override
        public boolean wantsBackbone(TrainingProgress p) {
            return (!pendingMinutes.isEmpty() && minutes() >= pendingMinutes.get(0))
                    || (!pendingSteps.isEmpty() && p.step() >= pendingSteps.get(0));
        }

        @Override
        public void onBackbone(TrainingProgress p, Backbone online) {
            if (!pendingMinutes.isEmpty() && minutes() >= pendingMinutes.get(0)) {
                pendingMinutes.remove(0);
            } else {
                pendingSteps.remove(0);
            }
            double at = minutes();
            Path target = dir.resolve("at-step-" + p.step());
            try {
                online.save(target);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            write(target.resolve(MINUTES), at);
            saved.put(at, target);
            steps.put(at, p.step());
        }

        /** Keeps the run's final backbone as its last snapshot. */
        void keep(double minutes, long step, Backbone last) throws IOException {
            Path target = dir.resolve("final");
            last.save(target);
            finalMinutes = minutes;
            saved.put(minutes, target);
            steps.put(minutes, step);
        }

        /**
         * Deletes the snapshot files once they are evaluated (each run's would otherwise stay in the temp folder);
         * a persistent saver's stay.
         */
        void discard() throws IOException {
            if (persistent) {
                return;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }

        private double minutes() {
            return offsetMinutes + (System.nanoTime() - started) / 60e9;
        }

        private static void write(Path file, double minutes) {
            try {
                org.byol4j.io.AtomicFiles.write(file, String.format(Locale.ROOT, "%.2f%n", minutes)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
