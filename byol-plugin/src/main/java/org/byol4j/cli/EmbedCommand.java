package org.byol4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.byol4j.backbone.OpenedBackbone;
import org.byol4j.data.ImageSource;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.io.AtomicFiles;
import org.byol4j.report.NpyWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code byol embed}: writes the embeddings of a set of images as CSV and as NumPy {@code .npy}. Row i of both is
 * image i of the source, in its order (IDX: file order; folders: sorted file paths, class folders sorted by
 * name); the CSV's first columns are {@code index} and, for labelled data, {@code label}, then {@code f0 … f(d−1)}.
 */
@Command(name = "embed", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Write embeddings of images as CSV and .npy.")
final class EmbedCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    BackboneChoice backbone;

    @Option(names = "--data", required = true, description = "Images: an IDX file, a folder of IDX files, of class"
            + " folders, or of images.")
    Path data;

    @Option(names = "--split", defaultValue = "train", description = "Which IDX pair of a folder of IDX files"
            + " (train or t10k).")
    String split;

    @Option(names = "--channels", defaultValue = "1", description = "Channels image files are decoded to.")
    int channels;

    @Option(names = "--out", required = true, description = "Output CSV; the .npy is written beside it.")
    Path out;

    @Override
    public Integer call() throws Exception {
        ImageSource images = DataPaths.images(data, split, channels, "--data");
        try (OpenedBackbone b = backbone.open()) {
            long t0 = System.nanoTime();
            float[][] features = b.backbone().embed(images, 500);
            double seconds = (System.nanoTime() - t0) / 1e9;
            LabelledImageSource labelled = images instanceof LabelledImageSource l ? l : null;
            StringBuilder csv = new StringBuilder("index");
            if (labelled != null) {
                csv.append(",label");
            }
            int d = features.length == 0 ? 0 : features[0].length;
            for (int j = 0; j < d; j++) {
                csv.append(",f").append(j);
            }
            csv.append('\n');
            for (int i = 0; i < features.length; i++) {
                csv.append(i);
                if (labelled != null) {
                    csv.append(',').append(CsvCells.quoted(labelled.label(i)));
                }
                for (float v : features[i]) {
                    csv.append(',').append(v);
                }
                csv.append('\n');
            }
            AtomicFiles.write(out, csv.toString().getBytes(StandardCharsets.UTF_8));
            Path npy = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.csv$", "") + ".npy");
            NpyWriter.write(npy, features);
            System.out.printf(Locale.ROOT, "Embedded %d images (%d-d) with %s in %.1f s (%.0f images/s): %s, %s%n",
                    features.length, d, b.name(), seconds, features.length / seconds, out, npy);
        }
        return 0;
    }
}
