package org.byol4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.byol4j.backbone.OpenedBackbone;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.data.Subset;
import org.byol4j.io.AtomicFiles;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * What {@code linear-eval} and {@code knn-eval} share: the labelled train and test sets, the backbone, and the
 * table they print and write as Markdown, one row each for raw pixels, the same architecture untrained (random
 * init, {@code --seed}) and the given backbone, so every number is read against its two baselines.
 */
abstract class Comparison implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    BackboneChoice backbone;

    @Option(names = "--train", required = true, description = "Labelled training images: a folder of IDX files"
            + " (its train split), an IDX file with labels beside it, or a folder of class folders.")
    Path train;

    @Option(names = "--test", description = "Labelled test images (default: the t10k split of --train's folder of"
            + " IDX files).")
    Path test;

    @Option(names = "--train-images", defaultValue = "0", description = "Use the first N training images (0: all).")
    int trainImages;

    @Option(names = "--test-images", defaultValue = "0", description = "Use the first N test images (0: all).")
    int testImages;

    @Option(names = "--channels", defaultValue = "1", description = "Channels image files are decoded to.")
    int channels;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the untrained baseline.")
    int seed;

    @Option(names = "--out", description = "Also write the table here as Markdown.")
    Path out;

    /** @return the column title, e.g. {@code linear (LibLinear)} */
    abstract String metric();

    /**
     * @param features what to score ({@code null}: raw pixels)
     * @param train training images
     * @param test test images
     * @return test accuracy in [0, 1]
     */
    abstract double accuracy(Backbone features, LabelledImageSource train, LabelledImageSource test);

    @Override
    public Integer call() throws Exception {
        LabelledImageSource trainSet = first(DataPaths.labelled(train, "train", channels, "--train"), trainImages);
        LabelledImageSource testSet = first(DataPaths.labelled(test == null ? train : test, "t10k", channels,
                "--test"), testImages);
        List<String[]> rows = new ArrayList<>();
        try (OpenedBackbone b = backbone.open();
                Backbone untrained = Backbone.randomInit(b.backbone().architecture(), b.backbone().imageSize(),
                        seed)) {
            rows.add(row("raw pixels", accuracy(null, trainSet, testSet)));
            rows.add(row("untrained " + untrained.architecture().name() + " (seed " + seed + ")",
                    accuracy(untrained, trainSet, testSet)));
            rows.add(row(b.name() + " (" + b.backbone().architecture().name() + ")",
                    accuracy(b.backbone(), trainSet, testSet)));
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Trained on %s; tested on %s.%n%n", trainSet.description(),
                testSet.description()));
        md.append("| features | ").append(metric()).append(" |\n|---|---|\n");
        for (String[] r : rows) {
            md.append("| ").append(r[0]).append(" | ").append(r[1]).append(" |\n");
        }
        System.out.print(md);
        if (out != null) {
            AtomicFiles.write(out, md.toString().getBytes(StandardCharsets.UTF_8));
            System.out.println("Written to " + out);
        }
        return 0;
    }

    private static String[] row(String name, double accuracy) {
        return new String[] {name, String.format(Locale.ROOT, "%.2f %%", 100 * accuracy)};
    }

    private static LabelledImageSource first(LabelledImageSource s, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("image counts must be >= 0, got " + n);
        }
        return n == 0 ? s : Subset.first(s, n);
    }
}
