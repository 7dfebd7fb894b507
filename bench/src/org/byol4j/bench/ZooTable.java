package org.byol4j.bench;

import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.data.Subset;
import org.byol4j.tribuo.EmbeddingDataSource;
import org.byol4j.tribuo.LinearEvaluation;
import org.byol4j.tribuo.LinearProbe;
import org.byol4j.tribuo.PixelDataSource;
import org.byol4j.zoo.BackboneZooModel;
import org.tribuo.DataSource;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

/**
 * {@code bench/run zoo-table}: the table of issue "Model zoo", from one command. For a shipped zoo artefact it
 * compares, with the same frozen-feature protocol (Tribuo LibLinear L2 logistic regression, C = 1, standardised
 * features): raw pixels, the same architecture untrained, the zoo backbone (loaded through DJL's {@code Criteria}
 * only), and the same architecture trained supervised with labels for the artefact's own wall-clock budget
 * ({@link SupervisedBaseline}). Columns: Fashion-MNIST (all 60,000 training / 10,000 test images) and the transfer
 * set, scikit-learn's 8×8 digits (1,797 images, other classes, 5-fold cross-validation, folds by index mod 5),
 * which none of the backbones saw.
 *
 * <p>Options: {@code --artifact byol-resnet20-fmnist}, {@code --supervised-seconds S} (default: the artefact's
 * recorded {@code wallSeconds}; 0 leaves the supervised row out, e.g. for an artefact trained for hours),
 * {@code --pixels false} (leaves the raw-pixel row out: LibLinear on 784 pixels of 60,000 images takes about 9 minutes
 * and its numbers do not depend on the artefact), {@code --seed 1}, {@code --batch 128}, {@code --data DIR},
 * {@code --digits FILE}, {@code --out bench/results/zoo-table.json} (the Markdown table is written beside it,
 * {@code .md}),
 * {@code --train-images N} and {@code --test-images N} (the first N Fashion-MNIST images only, for a quick check;
 * 0, the default, means all).
 */
public final class ZooTable {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final int FOLDS = 5;

    private ZooTable() {}

    /**
     * @param args see the class documentation
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + args[i] + "'");
            }
            opts.put(args[i], args[i + 1]);
        }
        String artifact = opts.getOrDefault("--artifact", "byol-resnet20-fmnist");
        long seed = Long.parseLong(opts.getOrDefault("--seed", "1"));
        int batch = Integer.parseInt(opts.getOrDefault("--batch", "128"));
        Path dir = Path.of(opts.getOrDefault("--data", "/usr/share/datasets/fashion-mnist"));
        Path out = Path.of(opts.getOrDefault("--out", "bench/results/zoo-table.json"));
        SklearnDigits digits = SklearnDigits.load(Path.of(opts.getOrDefault("--digits",
                SklearnDigits.DEBIAN_PATH.toString())));
        LabelledImageSource train = firstOf(IdxImageSource.labelled(dir.resolve("train-images-idx3-ubyte.gz"),
                dir.resolve("train-labels-idx1-ubyte.gz"), IdxImageSource.FASHION_MNIST_CLASSES, 0),
                Integer.parseInt(opts.getOrDefault("--train-images", "0")));
        LabelledImageSource test = firstOf(IdxImageSource.labelled(dir.resolve("t10k-images-idx3-ubyte.gz"),
                dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxImageSource.FASHION_MNIST_CLASSES, 0),
                Integer.parseInt(opts.getOrDefault("--test-images", "0")));

        Criteria<PixelImage, float[]> criteria = Criteria.builder().setTypes(PixelImage.class, float[].class)
                .optGroupId("org.byol4j").optArtifactId(artifact).build();
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> report = new LinkedHashMap<>();
        try (ZooModel<PixelImage, float[]> zoo = criteria.loadModel()) {
            BackboneZooModel<?, ?> model = (BackboneZooModel<?, ?>) zoo;
            Backbone shipped = model.backbone();
            double budget = Double.parseDouble(opts.getOrDefault("--supervised-seconds",
                    model.artifact().training().getOrDefault("wallSeconds", "1800")));
            report.put("artifact", model.artifact().coordinates());
            report.put("sha256", model.artifact().parameters().sha256());
            report.put("protocol", "LibLinear L2R_LR C=1 on standardised frozen features; Fashion-MNIST 60000/10000;"
                    + " digits " + FOLDS + "-fold CV (fold = index mod " + FOLDS + ")");
            report.put("digits", digits.description());
            report.put("fashionMnist", train.description() + " / " + test.description());
            report.put("rows", rows);

            // The timed supervised run goes first and alone.
            SupervisedBaseline.Outcome supervised = null;
            if (budget > 0) {
                System.out.printf(Locale.ROOT, "supervised %s, %.0f s budget%n", shipped.architecture().name(),
                        budget);
                supervised = SupervisedBaseline.train(shipped.architecture(), shipped.imageSize(), train, test,
                        budget, batch, seed);
            }
            try (Backbone untrained = Backbone.randomInit(shipped.architecture(), shipped.imageSize(), (int) seed)) {
                if (!"false".equals(opts.get("--pixels"))) {
                    rows.add(row("raw pixels", "-", train, test, digits,
                            images -> new PixelDataSource<>(images, new LabelFactory())));
                }
                rows.add(row("untrained " + untrained.architecture().name(), "random init, seed " + seed, train,
                        test, digits, images -> new EmbeddingDataSource<>(images, untrained, new LabelFactory(),
                                500)));
                rows.add(row("BYOL zoo " + model.artifact().coordinates(), "BYOL, no labels, "
                        + model.artifact().training().get("wallSeconds") + " s", train, test, digits,
                        images -> new EmbeddingDataSource<>(images, zoo, new LabelFactory(), 500)));
            }
            if (supervised != null) {
                try (Backbone sup = supervised.backbone()) {
                    String how = String.format(Locale.ROOT, "labels, %.0f s, %d steps (its own classifier: %.2f %%)",
                            supervised.seconds(), supervised.steps(), 100 * supervised.headTestAccuracy());
                    Map<String, Object> s = row("supervised " + sup.architecture().name(), how, train, test, digits,
                            images -> new EmbeddingDataSource<>(images, sup, new LabelFactory(), 500));
                    s.put("headTestAccuracy", supervised.headTestAccuracy());
                    s.put("recipe", sup.recipe());
                    rows.add(s);
                }
            }
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "| features | trained how | Fashion-MNIST linear (%,d train / %,d test) |"
                + " digits linear (transfer, %d-fold) |%n|---|---|---|---|%n", train.size(), test.size(), FOLDS));
        for (Map<String, Object> r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f %% | %.2f %% |%n", r.get("features"),
                    r.get("trained"), 100 * (double) r.get("fashionMnist"), 100 * (double) r.get("digits")));
        }
        System.out.println();
        System.out.print(md);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, GSON.toJson(report), StandardCharsets.UTF_8);
        Path mdFile = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        Files.writeString(mdFile, md.toString(), StandardCharsets.UTF_8);
        System.out.println("written to " + out + " and " + mdFile);
    }

    private static LabelledImageSource firstOf(LabelledImageSource all, int n) {
        return n <= 0 || n >= all.size() ? all : Subset.first(all, n);
    }

    private static Map<String, Object> row(String features, String trained, LabelledImageSource train,
            LabelledImageSource test, SklearnDigits digits,
            Function<LabelledImageSource, DataSource<Label>> featuresOf) {
        long t0 = System.nanoTime();
        double fmnist = accuracy(featuresOf.apply(train), featuresOf.apply(test));
        double sum = 0;
        List<Double> folds = new ArrayList<>();
        for (int f = 0; f < FOLDS; f++) {
            double a = accuracy(featuresOf.apply(Subset.fold(digits, FOLDS, f, false)),
                    featuresOf.apply(Subset.fold(digits, FOLDS, f, true)));
            folds.add(a);
            sum += a;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("features", features);
        row.put("trained", trained);
        row.put("fashionMnist", fmnist);
        row.put("digits", sum / FOLDS);
        row.put("digitsFolds", folds);
        row.put("seconds", (System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "  %s: Fashion-MNIST %.2f %%, digits %.2f %% (%.0f s)%n", features,
                100 * fmnist, 100 * sum / FOLDS, (System.nanoTime() - t0) / 1e9);
        return row;
    }

    private static double accuracy(DataSource<Label> train, DataSource<Label> test) {
        return new LinearEvaluation(LinearProbe.LIBLINEAR, 0).run(train, test).accuracy();
    }
}
