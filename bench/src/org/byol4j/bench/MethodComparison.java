package org.byol4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/run methods --table methods|ablations|batch}: the comparisons the BYOL paper makes, each one command,
 * each run through {@link QualityBench} (all 60,000 + 10,000 Fashion-MNIST images, LibLinear and kNN-20), with a
 * Markdown table written to {@code bench/results/<table>.md} ({@code <table>-<tag>.md} with {@code --tag}) and each
 * run's JSON beside it.
 *
 * <ul>
 *   <li>{@code methods}: BYOL, SimCLR and SimSiam at equal wall time ({@code --minutes 20}), each with its own
 *       {@code small_greyscale} preset (loss, heads, optimiser) and, for SimCLR and SimSiam, BYOL's backbone and
 *       views ({@link #BYOL_BACKBONE_AND_VIEWS}); raw pixels and the untrained network beside them ({@code --baselines false}
 *       leaves those out: LibLinear on 784 raw pixels alone takes about 9 minutes).</li>
 *   <li>{@code ablations}: the collapse ablations of the paper's Table 5 at a fixed step count ({@code --steps 300}):
 *       BYOL; BYOL-S (the weight-shared variant); SimSiam; no predictor; τ = 0 (the target is the online network);
 *       τ = 1 (a frozen random target); a frozen random predictor; and no predictor with τ = 0.</li>
 *   <li>{@code batch}: batch-size robustness (the paper's Fig. 3): BYOL and SimCLR at batch 32, 64, 128 and 256 with
 *       the same number of images seen ({@code --pairs 131840}, 1,030 steps at batch 128).</li>
 * </ul>
 * Common options: {@code --seeds 1,2}, {@code --workers 2}, {@code --data DIR} (Fashion-MNIST's four IDX files),
 * {@code --backbone NAME} (instead of the preset's, e.g. to repeat a table measured before the preset changed),
 * {@code --only a,b} (only the rows whose result-file names are given, e.g. {@code no-predictor,tau-0}: to add a
 * seed to some rows without repeating the others).
 */
public final class MethodComparison {

    /**
     * The decisions of BYOL's {@code small_greyscale} preset that are about the data rather than the method
     * (docs/RECIPE.md decisions 7, 8 and 16: a quarter-width ResNet-18, 20 px views from 28 px images, crops from
     * 35 %), for SimCLR and SimSiam, whose own loss, heads and optimiser stay.
     */
    static final String[] BYOL_BACKBONE_AND_VIEWS = {"backbone=resnet18-small-w0.25", "viewScale=0.72",
        "cropScaleMin=0.35"};

    private MethodComparison() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        String table = o.getOrDefault("--table", "methods");
        String seeds = o.getOrDefault("--seeds", "1,2");
        String workers = o.getOrDefault("--workers", "2");
        String name = o.containsKey("--tag") ? table + "-" + o.get("--tag") : table;
        List<String[]> variants = new ArrayList<>();
        switch (table) {
            case "methods" -> {
                String minutes = o.getOrDefault("--minutes", "20");
                boolean baselines = Boolean.parseBoolean(o.getOrDefault("--baselines", "true"));
                String[][] methods = {{"byol", "byol"}, {"simclr (BYOL's backbone and views)", "simclr"},
                    {"simsiam (BYOL's backbone and views)", "simsiam"}};
                for (String[] m : methods) {
                    List<String> v = new ArrayList<>(List.of(m[0], "--method", m[1], "--minutes", minutes,
                            "--baselines", Boolean.toString(baselines && m[1].equals("byol"))));
                    if (!m[1].equals("byol")) {
                        for (String option : BYOL_BACKBONE_AND_VIEWS) {
                            v.addAll(List.of("-o", option));
                        }
                    }
                    variants.add(v.toArray(String[]::new));
                }
            }
            case "ablations" -> {
                String steps = o.getOrDefault("--steps", "300");
                String[][] ablations = {{"BYOL", "byol"}, {"BYOL-S (weight-shared)", "byol", "variant=BYOL_S"},
                    {"SimSiam (BYOL's backbone and views)", "simsiam", BYOL_BACKBONE_AND_VIEWS[0],
                        BYOL_BACKBONE_AND_VIEWS[1], BYOL_BACKBONE_AND_VIEWS[2]}, {"no predictor", "byol",
                        "predictor=NONE"},
                    {"tau = 0", "byol", "fixedTau=0"}, {"tau = 1", "byol", "fixedTau=1"},
                    {"frozen random predictor", "byol", "predictor=FROZEN_RANDOM"},
                    {"no predictor, tau = 0", "byol", "predictor=NONE", "fixedTau=0"}};
                for (String[] a : ablations) {
                    List<String> v = new ArrayList<>(List.of(a[0], "--method", a[1], "--steps", steps,
                            "--baselines", "false"));
                    for (int i = 2; i < a.length; i++) {
                        v.add("-o");
                        v.add(a[i]);
                    }
                    variants.add(v.toArray(String[]::new));
                }
            }
            case "batch" -> {
                long pairs = Long.parseLong(o.getOrDefault("--pairs", "131840"));
                for (String method : List.of("byol", "simclr")) {
                    for (int batch : new int[] {32, 64, 128, 256}) {
                        variants.add(new String[] {method + " batch " + batch, "--method", method, "--steps",
                            Long.toString(Math.max(1, pairs / batch)), "--baselines", "false", "-o",
                            "batchSize=" + batch});
                    }
                }
            }
            default -> throw new IllegalArgumentException("--table must be methods, ablations or batch, got '"
                    + table + "'");
        }
        if (o.containsKey("--only")) {
            List<String> only = List.of(o.get("--only").split(","));
            List<String> known = variants.stream().map(v -> slug(v[0])).toList();
            for (String wanted : only) {
                if (!known.contains(wanted)) {
                    throw new IllegalArgumentException("--only: no row '" + wanted + "' in table " + table
                            + "; its rows are " + known);
                }
            }
            variants.removeIf(v -> !only.contains(slug(v[0])));
        }
        StringBuilder md = new StringBuilder();
        md.append("| variant | features | seed | minutes | steps | linear (LibLinear) | kNN-20 | last epoch's loss"
                + " / collapse monitor |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        Path dir = Path.of("bench/results");
        for (String[] v : variants) {
            String slug = slug(v[0]);
            List<String> qualityArgs = new ArrayList<>(List.of(v).subList(1, v.length));
            qualityArgs.addAll(List.of("--seeds", seeds, "--workers", workers, "--out",
                    dir.resolve(name + "-" + slug + ".json").toString()));
            if (o.containsKey("--data")) {
                qualityArgs.addAll(List.of("--data", o.get("--data")));
            }
            if (o.containsKey("--backbone")) {
                qualityArgs.addAll(List.of("-o", "backbone=" + o.get("--backbone")));
            }
            System.out.println("== " + v[0] + ": bench/run quality " + String.join(" ", qualityArgs));
            for (Map<String, Object> r : QualityBench.run(qualityArgs.toArray(String[]::new))) {
                @SuppressWarnings("unchecked")
                Map<String, Double> metrics = (Map<String, Double>) r.get("finalMetrics");
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %s | %.2f %% | %s | %s |%n", v[0],
                        r.get("features"), r.get("seed"), ((Number) r.get("minutes")).doubleValue(), r.get("steps"),
                        100 * ((Number) r.get("linear")).doubleValue(), r.containsKey("knn20")
                                ? String.format(Locale.ROOT, "%.2f %%", 100 * ((Number) r.get("knn20")).doubleValue())
                                : "–", metrics == null ? "–" : String.format(Locale.ROOT, "%.3f / %.4f",
                                        ((Number) r.get("finalEpochLoss")).doubleValue(),
                                        metrics.getOrDefault("collapseStd", Double.NaN))));
            }
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".md"), md.toString(), StandardCharsets.UTF_8);
        }
        System.out.println();
        System.out.print(md);
        System.out.println("written to " + dir.resolve(name + ".md"));
    }

    /** A row's name as its result file spells it: "no predictor, tau = 0" is {@code no-predictor-tau-0}. */
    private static String slug(String row) {
        return row.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "").toLowerCase(Locale.ROOT);
    }
}
