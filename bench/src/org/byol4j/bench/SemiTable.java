package org.byol4j.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.byol4j.backbone.Backbone;
import org.byol4j.backbone.ClassifierHead;
import org.byol4j.byol.ByolConfig;
import org.byol4j.byol.ByolPreset;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.pretrain.Pretrainer;
import org.byol4j.spi.PretrainingListener;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.byol4j.backbone.OpenedBackbone;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.data.Subset;
import org.byol4j.finetune.FineTuneTrainer;
import org.byol4j.finetune.FineTunedModel;
import org.byol4j.finetune.HeadStart;
import org.byol4j.finetune.ImageConverter;
import org.byol4j.io.AtomicFiles;
import org.byol4j.tribuo.KnnEvaluation;
import org.byol4j.tribuo.LinearEvaluation;
import org.byol4j.tribuo.LinearProbe;
import org.byol4j.tribuo.PixelDataSource;
import org.byol4j.tribuo.PrecomputedEmbeddingSource;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;

/**
 * {@code bench/run semi}: the BYOL paper's semi-supervised table (its Table 2) on Fashion-MNIST. For each label
 * fraction (1 % = 600, 10 % = 6,000 drawn class-balanced with the seed; 100 %) and each seed, on all 10,000 test
 * images: the same architecture trained supervised from scratch on those labels (same steps, so about the same wall
 * time, both recorded), a converged L2 logistic regression (LibLinear, C = 1, standardised) on the zoo backbone's
 * frozen features, the zoo backbone fine-tuned end to end ({@link FineTuneTrainer}), and kNN-20 on the frozen
 * features. Columns can be chosen with {@code --columns}.
 *
 * <p>Options: {@code --artifact byol-resnet18-fmnist}, {@code --fractions 0.01,0.1,1}, {@code --seeds 1,2},
 * {@code --steps 0.01:400,0.1:1000,1:1600} (fine-tuning and scratch steps per fraction), {@code --lr 0.1},
 * {@code --backbone-scale 1}, {@code --head-start probe|random}, {@code --crop-min 0.5}, {@code --batch 128},
 * {@code --columns scratch,probe,finetune,knn,joint,byolAlone} ({@code joint} and {@code byolAlone} at
 * {@code --joint-fractions 0.01,0.1} for {@code --joint-minutes 6}, λ {@code --lambda 1}, and any other pretraining
 * option as {@code -o field=value}, e.g. {@code -o scheduleStretch=1}),
 * {@code --data DIR}, {@code --out bench/results/semi.json} (Markdown beside it), {@code --test-images N} (the first N
 * test images only, for a quick check; 0 = all).
 */
public final class SemiTable {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private SemiTable() {}

    /**
     * @param args see the class documentation
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        Map<String, String> pretraining = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!(args[i].startsWith("--") || args[i].equals("-o")) || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs or -o field=value, got '" + args[i]
                        + "'");
            }
            if (args[i].equals("-o")) {
                putPretrainingOption(pretraining, args[i + 1]);
            } else {
                opts.put(args[i], args[i + 1]);
            }
        }
        ByolConfig.builder(ByolPreset.SMALL_GREYSCALE).optOptions(pretraining).build(); // refuses a bad -o now
        String artifact = opts.getOrDefault("--artifact", "byol-resnet18-fmnist");
        double[] fractions = Arrays.stream(opts.getOrDefault("--fractions", "0.01,0.1,1").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        long[] seeds = Arrays.stream(opts.getOrDefault("--seeds", "1,2").split(",")).mapToLong(Long::parseLong)
                .toArray();
        Map<Double, Integer> steps = new LinkedHashMap<>();
        for (String pair : opts.getOrDefault("--steps", "0.01:400,0.1:1000,1:1600").split(",")) {
            String[] kv = pair.split(":");
            steps.put(Double.parseDouble(kv[0]), Integer.parseInt(kv[1]));
        }
        float lr = Float.parseFloat(opts.getOrDefault("--lr", "0.1"));
        float backboneScale = Float.parseFloat(opts.getOrDefault("--backbone-scale", "1"));
        int batch = Integer.parseInt(opts.getOrDefault("--batch", "128"));
        HeadStart headStart = HeadStart.valueOf(opts.getOrDefault("--head-start", "probe").toUpperCase(Locale.ROOT));
        float cropMin = Float.parseFloat(opts.getOrDefault("--crop-min", "0.5"));
        List<String> columns = List.of(opts.getOrDefault("--columns", "scratch,probe,finetune,knn,joint,byolAlone")
                .split(","));
        double jointSeconds = Double.parseDouble(opts.getOrDefault("--joint-minutes", "6")) * 60;
        float lambda = Float.parseFloat(opts.getOrDefault("--lambda", "1"));
        List<Double> jointFractions = Arrays.stream(opts.getOrDefault("--joint-fractions", "0.01,0.1").split(","))
                .map(Double::parseDouble).toList();
        String digitsFile = opts.getOrDefault("--digits", SklearnDigits.DEBIAN_PATH.toString());
        Path dir = Path.of(opts.getOrDefault("--data", "/usr/share/datasets/fashion-mnist"));
        Path out = Path.of(opts.getOrDefault("--out", "bench/results/semi.json"));
        LabelledImageSource train = IdxImageSource.labelled(dir.resolve("train-images-idx3-ubyte.gz"),
                dir.resolve("train-labels-idx1-ubyte.gz"), IdxImageSource.FASHION_MNIST_CLASSES, 0);
        LabelledImageSource test = IdxImageSource.labelled(dir.resolve("t10k-images-idx3-ubyte.gz"),
                dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxImageSource.FASHION_MNIST_CLASSES, 0);
        int testImages = Integer.parseInt(opts.getOrDefault("--test-images", "0"));
        if (testImages > 0) {
            test = Subset.first(test, testImages);
        }
        Dataset<Label> testPixels = new MutableDataset<>(new PixelDataSource<>(test, new LabelFactory()));
        ImageConverter converter = new ImageConverter(28, 28, 1);

        Map<String, Object> report = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        report.put("machine", QualityBench.machine());
        report.put("artifact", artifact);
        report.put("test", test.description());
        report.put("fineTuning", String.format(Locale.ROOT, "SGD momentum 0.9, wd 5e-4, head lr %s, backbone x %s,"
                + " head start %s, batch %d, crop %s-1 + flip, warm-up 5 %%, cosine; steps per fraction %s", lr,
                backboneScale, headStart, batch, cropMin, steps));
        if (columns.contains("joint")) {
            report.put("joint", String.format(Locale.ROOT, "BYOL small_greyscale from random init for %.0f s on all"
                    + " %d training images + lambda %s x cross-entropy of a linear head on the labelled subset;"
                    + " accuracy of that head%s; fractions %s%s", jointSeconds, train.size(), lambda,
                    columns.contains("byolAlone") ? "; beside it BYOL alone for the same time, then a LibLinear probe"
                    + " on the labelled subset" : "", jointFractions,
                    pretraining.isEmpty() ? "" : "; pretraining options " + pretraining));
        }
        report.put("rows", rows);
        Map<Long, Backbone> byolAlone = new LinkedHashMap<>();
        try (OpenedBackbone zoo = OpenedBackbone.zoo(artifact)) {
            Backbone backbone = zoo.backbone();
            report.put("backbone", zoo.name() + " sha256 " + backbone.sha256());
            float[][] trainFeatures = null;
            float[][] testFeatures = null;
            if (columns.contains("probe") || columns.contains("knn")) {
                long t0 = System.nanoTime();
                trainFeatures = backbone.embed(train, 500);
                testFeatures = backbone.embed(test, 500);
                System.out.printf(Locale.ROOT, "embedded %d + %d images in %.0f s%n", train.size(), test.size(),
                        (System.nanoTime() - t0) / 1e9);
            }
            for (double fraction : fractions) {
                for (long seed : seeds) {
                    LabelledImageSource labelled = fraction >= 1 ? train : Subset.fraction(train, fraction, seed);
                    int k = steps.getOrDefault(fraction, 1000);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("fraction", fraction);
                    row.put("seed", seed);
                    row.put("labelled", labelled.size());
                    row.put("subset", labelled.description());
                    row.put("steps", k);
                    System.out.printf(Locale.ROOT, "== %s labels (%d images), seed %d%n", percent(fraction),
                            labelled.size(), seed);
                    FineTuneTrainer trainer = new FineTuneTrainer(artifact, converter).withSteps(k).withBatchSize(batch)
                            .withLearningRate(lr, backboneScale).withSeed(seed).withHeadStart(headStart)
                            .withCropScaleMin(cropMin);
                    if (columns.contains("scratch")) {
                        time(row, "scratch", () -> accuracy(trainer.fromScratch().withLearningRate(lr, 1f),
                                labelled, testPixels));
                    }
                    if (columns.contains("finetune")) {
                        time(row, "finetune", () -> accuracy(trainer, labelled, testPixels));
                    }
                    if (columns.contains("probe")) {
                        float[][] tf = trainFeatures;
                        float[][] sf = testFeatures;
                        LabelledImageSource t = test;
                        time(row, "probe", () -> probe(backbone, rowsOf(tf, labelled, train), labelled, sf, t));
                    }
                    if (columns.contains("knn")) {
                        float[][] tf = rowsOf(trainFeatures, labelled, train);
                        float[][] sf = testFeatures;
                        LabelledImageSource t = test;
                        time(row, "knn", () -> new KnnEvaluation(20, 0.07).accuracy(tf, QualityBench.ids(labelled),
                                sf, QualityBench.ids(t)));
                    }
                    if (columns.contains("joint") && jointFractions.contains(fraction)) {
                        LabelledImageSource t = test;
                        time(row, "joint", () -> jointAccuracy(train, labelled, t, jointSeconds, lambda,
                                pretraining, seed));
                    }
                    if (columns.contains("byolAlone") && jointFractions.contains(fraction)) {
                        LabelledImageSource t = test;
                        Backbone alone = byolAlone.computeIfAbsent(seed, s -> {
                            long t0 = System.nanoTime();
                            Backbone b = pretrain(train, null, jointSeconds, 0f, pretraining, s);
                            System.out.printf(Locale.ROOT, "   BYOL alone, seed %d: %.0f s%n", s,
                                    (System.nanoTime() - t0) / 1e9);
                            return b;
                        });
                        time(row, "byolAlone", () -> probe(alone, alone.embed(labelled, 500), labelled,
                                alone.embed(t, 500), t));
                    }
                    rows.add(row);
                    System.out.println("   " + row);
                    Files.createDirectories(out.toAbsolutePath().getParent());
                    AtomicFiles.write(out, GSON.toJson(report).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        byolAlone.values().forEach(Backbone::close);
        Path digitsPath = Path.of(digitsFile);
        if (Files.isRegularFile(digitsPath) && !opts.getOrDefault("--transfer", "true").equals("false")) {
            report.put("transfer", transfer(SklearnDigits.load(digitsPath), artifact, steps.getOrDefault(0.1, 900) / 3,
                    batch, lr, backboneScale, headStart, cropMin));
            AtomicFiles.write(out, GSON.toJson(report).getBytes(StandardCharsets.UTF_8));
        }
        String md = markdown(report, rows, columns);
        AtomicFiles.write(Path.of(out.toString().replaceAll("\\.json$", "") + ".md"),
                md.getBytes(StandardCharsets.UTF_8));
        System.out.println(md);
    }

    /** @return the test accuracy of the head of a joint training run ({@link #pretrain}) */
    private static double jointAccuracy(LabelledImageSource train, LabelledImageSource labelled,
            LabelledImageSource test, double seconds, float lambda, Map<String, String> options, long seed) {
        try (Backbone b = pretrain(train, labelled, seconds, lambda, options, seed)) {
            return headAccuracy(b, test);
        }
    }

    /**
     * Adds one {@code -o field=value} pretraining option for the joint and BYOL-alone runs; the fields the table sets
     * itself are refused, naming the flag that sets them.
     */
    private static void putPretrainingOption(Map<String, String> options, String fieldValue) {
        String field = fieldValue.split("=", 2)[0];
        String flag = switch (field) {
            case "seed" -> "--seeds";
            case "timeBudgetSeconds" -> "--joint-minutes";
            case "supervisedWeight" -> "--lambda";
            default -> null;
        };
        if (flag != null) {
            throw new IllegalArgumentException("-o " + field + " is set by " + flag + " in bench/run semi");
        }
        QualityBench.putOverride(options, fieldValue);
    }

    /**
     * BYOL (small_greyscale, then the {@code -o} options) from random init for a time budget, jointly with the
     * labelled images when given.
     */
    private static Backbone pretrain(LabelledImageSource train, LabelledImageSource labelled, double seconds,
            float lambda, Map<String, String> options, long seed) {
        ByolConfig config = ByolConfig.builder(ByolPreset.SMALL_GREYSCALE).optOptions(options)
                .set(PretrainingConfig.TIME_BUDGET_SECONDS, seconds).set(PretrainingConfig.SEED, seed)
                .set(PretrainingConfig.SUPERVISED_WEIGHT, labelled == null ? 0f : lambda).build();
        Pretrainer pretrainer = new Pretrainer(config);
        return labelled == null ? pretrainer.train(train, PretrainingListener.NONE)
                : pretrainer.train(train, labelled, PretrainingListener.NONE);
    }

    /** The accuracy of a jointly trained backbone's own classifier head on the test images. */
    private static double headAccuracy(Backbone backbone, LabelledImageSource test) {
        ClassifierHead head = backbone.classifierHead().orElseThrow();
        float[][] features = backbone.embed(test, 500);
        int classes = head.classes().size();
        int d = backbone.featureDim();
        try (NDManager m = NDManager.newBaseManager()) {
            Block linear = Linear.builder().setUnits(classes).build();
            linear.initialize(m, DataType.FLOAT32, new Shape(1, d));
            linear.loadParameters(m, new DataInputStream(new ByteArrayInputStream(head.parameters())));
            float[] w = linear.getParameters().get("weight").getArray().toFloatArray();
            float[] b = linear.getParameters().get("bias").getArray().toFloatArray();
            int correct = 0;
            for (int i = 0; i < features.length; i++) {
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    double score = b[k];
                    for (int j = 0; j < d; j++) {
                        score += (double) w[k * d + j] * features[i][j];
                    }
                    if (score > bestScore) {
                        bestScore = score;
                        best = k;
                    }
                }
                if (head.classes().get(best).equals(test.label(i))) {
                    correct++;
                }
            }
            return correct / (double) features.length;
        } catch (IOException | MalformedModelException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Transfer to scikit-learn's digits (1,797 8×8 images, upsampled to the backbone's side), 5-fold
     * cross-validation (fold = index mod 5): a LibLinear probe on the frozen zoo features, the zoo backbone
     * fine-tuned, and the same architecture trained from scratch with the same steps.
     */
    private static Map<String, Object> transfer(SklearnDigits digits, String artifact, int steps, int batch, float lr,
            float backboneScale, HeadStart headStart, float cropMin) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", digits.description());
        out.put("steps", steps);
        ImageConverter converter = new ImageConverter(28, 28, 1);
        FineTuneTrainer trainer = new FineTuneTrainer(artifact, converter).withSteps(steps).withBatchSize(batch)
                .withLearningRate(lr, backboneScale).withHeadStart(headStart).withCropScaleMin(cropMin).withSeed(1);
        Map<String, List<Double>> folds = new LinkedHashMap<>();
        try (OpenedBackbone zoo = OpenedBackbone.zoo(artifact)) {
            for (int f = 0; f < 5; f++) {
                LabelledImageSource train = Subset.fold(digits, 5, f, false);
                LabelledImageSource test = Subset.fold(digits, 5, f, true);
                LabelFactory factory = new LabelFactory();
                MutableDataset<Label> testSet = new MutableDataset<>(new SimpleDataSourceProvenance(
                        test.description(), factory), factory);
                for (int i = 0; i < test.size(); i++) {
                    testSet.add(converter.toExample(test.image(i), factory.generateOutput(test.label(i)), "digit"));
                }
                folds.computeIfAbsent("probe", k -> new ArrayList<>()).add(probe(zoo.backbone(),
                        zoo.backbone().embed(train, 500), train, zoo.backbone().embed(test, 500), test));
                folds.computeIfAbsent("finetune", k -> new ArrayList<>()).add(accuracy(trainer, train, testSet));
                folds.computeIfAbsent("scratch", k -> new ArrayList<>()).add(accuracy(trainer.fromScratch()
                        .withLearningRate(lr, 1f), train, testSet));
                System.out.printf(Locale.ROOT, "   digits fold %d: %s%n", f, folds);
            }
        }
        folds.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
        out.put("folds", folds);
        return out;
    }

    private static double accuracy(FineTuneTrainer trainer, LabelledImageSource labelled, Dataset<Label> test) {
        try (FineTunedModel model = trainer.train(labelled)) {
            return new LabelEvaluator().evaluate(model, test).accuracy();
        }
    }

    private static double probe(Backbone backbone, float[][] trainFeatures, LabelledImageSource labelled,
            float[][] testFeatures, LabelledImageSource test) {
        var trainSource = new PrecomputedEmbeddingSource<>(labelled.description(), backbone,
                Arrays.asList(trainFeatures), labels(labelled), new LabelFactory());
        var testSource = new PrecomputedEmbeddingSource<>(test.description(), backbone, Arrays.asList(testFeatures),
                labels(test), new LabelFactory());
        return new LinearEvaluation(LinearProbe.LIBLINEAR, 0).run(trainSource, testSource).accuracy();
    }

    private static List<String> labels(LabelledImageSource images) {
        List<String> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            out.add(images.label(i));
        }
        return out;
    }

    /** The features of a subset's images, picked from those of the full source. */
    private static float[][] rowsOf(float[][] all, LabelledImageSource subset, LabelledImageSource full) {
        if (subset == full) {
            return all;
        }
        Subset s = (Subset) subset;
        float[][] out = new float[s.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = all[s.sourceIndex(i)];
        }
        return out;
    }

    private static void time(Map<String, Object> row, String column, Supplier<Double> run) {
        long t0 = System.nanoTime();
        double accuracy = run.get();
        row.put(column, accuracy);
        row.put(column + "Seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        System.out.printf(Locale.ROOT, "   %s: %.2f %% in %.0f s%n", column, 100 * accuracy,
                (System.nanoTime() - t0) / 1e9);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%s %%", fraction * 100 == Math.rint(fraction * 100)
                ? Long.toString(Math.round(fraction * 100)) : Double.toString(fraction * 100));
    }

    private static String markdown(Map<String, Object> report, List<Map<String, Object>> rows, List<String> columns) {
        Map<String, String> titles = Map.of("scratch", "supervised from scratch", "probe", "linear probe, frozen zoo",
                "finetune", "fine-tuned zoo", "knn", "kNN-20, frozen zoo",
                "joint", "joint BYOL + λ·CE (own head)", "byolAlone", "BYOL alone, same time, linear probe");
        StringBuilder md = new StringBuilder("| labels | seeds |");
        for (String c : columns) {
            md.append(' ').append(titles.getOrDefault(c, c)).append(" |");
        }
        md.append("\n|---|---|").append("---|".repeat(columns.size())).append('\n');
        Map<Double, List<Map<String, Object>>> byFraction = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            byFraction.computeIfAbsent((Double) r.get("fraction"), f -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<Double, List<Map<String, Object>>> e : byFraction.entrySet()) {
            List<Map<String, Object>> rs = e.getValue();
            md.append(String.format(Locale.ROOT, "| %s (%,d) | %s |", percent(e.getKey()), rs.get(0).get("labelled"),
                    rs.stream().map(r -> r.get("seed").toString()).reduce((a, b) -> a + ", " + b).orElse("")));
            for (String c : columns) {
                if (rs.stream().anyMatch(r -> !r.containsKey(c))) {
                    md.append(" not run |");
                    continue;
                }
                double mean = rs.stream().mapToDouble(r -> (Double) r.get(c)).average().orElse(Double.NaN);
                String each = rs.stream().map(r -> String.format(Locale.ROOT, "%.2f", 100 * (Double) r.get(c)))
                        .reduce((a, b) -> a + " / " + b).orElse("");
                double seconds = rs.stream().mapToDouble(r -> (Double) r.get(c + "Seconds")).average().orElse(0);
                md.append(String.format(Locale.ROOT, " **%.2f** (%s; %.0f s) |", 100 * mean, each, seconds));
            }
            md.append('\n');
        }
        if (report.get("transfer") instanceof Map<?, ?> t) {
            md.append(String.format(Locale.ROOT, "%nTransfer to %s, 5-fold CV, %s fine-tuning steps: linear probe on"
                    + " the frozen zoo backbone **%.2f %%**, fine-tuned zoo backbone **%.2f %%**, same architecture"
                    + " from scratch **%.2f %%**%n", t.get("dataset"), t.get("steps"), 100 * (Double) t.get("probe"),
                    100 * (Double) t.get("finetune"), 100 * (Double) t.get("scratch")));
        }
        if (report.containsKey("joint")) {
            md.append("\nJoint: ").append(report.get("joint")).append('\n');
        }
        md.append("\n").append(report.get("machine")).append("; backbone ").append(report.get("backbone"))
                .append("; ").append(report.get("fineTuning")).append('\n');
        return md.toString();
    }
}
