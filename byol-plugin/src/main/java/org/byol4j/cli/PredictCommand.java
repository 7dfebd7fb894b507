package org.byol4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.byol4j.data.ImageSource;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.finetune.FineTunedModel;
import org.byol4j.io.AtomicFiles;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code byol predict}: classifies images with a model written by {@code byol fine-tune} into a CSV (index, the
 * true label when the images have one, the predicted label, then one probability column per class), and prints the
 * accuracy when the images are labelled.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Classify images with a fine-tuned model; write predictions.csv.")
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "A model file written by byol fine-tune.")
    Path model;

    @Option(names = "--data", required = true, description = "Images: an IDX file, a folder of IDX files, of class"
            + " folders, or of images.")
    Path data;

    @Option(names = "--split", defaultValue = "t10k", description = "Which IDX pair of a folder of IDX files"
            + " (train or t10k).")
    String split;

    @Option(names = "--channels", defaultValue = "1", description = "Channels image files are decoded to.")
    int channels;

    @Option(names = "--out", required = true, description = "Output CSV.")
    Path out;

    @Override
    public Integer call() throws Exception {
        ImageSource images = DataPaths.images(data, split, channels, "--data");
        try (FineTunedModel m = FineTunedModel.load(model)) {
            long t0 = System.nanoTime();
            List<Prediction<Label>> predictions = m.predict(images);
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<String> classes = m.getOutputIDInfo().getDomain().stream().map(Label::getLabel).sorted().toList();
            LabelledImageSource labelled = images instanceof LabelledImageSource l ? l : null;
            StringBuilder csv = new StringBuilder("index");
            csv.append(labelled != null ? ",label" : "").append(",predicted");
            classes.forEach(c -> csv.append(",").append(CsvCells.quoted("p_" + c)));
            csv.append('\n');
            for (int i = 0; i < predictions.size(); i++) {
                Prediction<Label> p = predictions.get(i);
                csv.append(i);
                if (labelled != null) {
                    csv.append(',').append(CsvCells.quoted(labelled.label(i)));
                }
                csv.append(',').append(CsvCells.quoted(p.getOutput().getLabel()));
                for (String c : classes) {
                    csv.append(String.format(Locale.ROOT, ",%.6f", p.getOutputScores().get(c).getScore()));
                }
                csv.append('\n');
            }
            AtomicFiles.write(out, csv.toString().getBytes(StandardCharsets.UTF_8));
            System.out.printf(Locale.ROOT, "Predicted %d images in %.1f s (%.0f images/s): %s%n", predictions.size(),
                    seconds, predictions.size() / seconds, out);
            if (labelled != null) {
                long unknown = labelled.classNames().stream().filter(c -> !classes.contains(c)).count();
                System.out.printf(Locale.ROOT, "Accuracy: %.2f %% on %d labelled images%s%n",
                        100 * accuracy(predictions, labelled), predictions.size(), unknown == 0 ? "" : " ("
                        + unknown + " of their classes are not among the model's " + classes + ")");
            }
        }
        return 0;
    }

    /**
     * @param model a fine-tuned model
     * @param images labelled images
     * @return the share of images whose predicted label is their own
     */
    static double accuracy(FineTunedModel model, LabelledImageSource images) {
        return accuracy(model.predict(images), images);
    }

    private static double accuracy(List<Prediction<Label>> predictions, LabelledImageSource images) {
        int correct = 0;
        for (int i = 0; i < predictions.size(); i++) {
            if (predictions.get(i).getOutput().getLabel().equals(images.label(i))) {
                correct++;
            }
        }
        return predictions.isEmpty() ? 0 : correct / (double) predictions.size();
    }
}
