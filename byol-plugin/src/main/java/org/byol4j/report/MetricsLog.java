package org.byol4j.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.byol4j.backbone.Backbone;
import org.byol4j.byol.ByolMethod;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.method.CollapseMonitor;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;
import org.byol4j.tribuo.KnnEvaluation;

/**
 * Writes a run's metrics into its output folder as they happen, appending (a resumed run continues the files):
 * <ul>
 *   <li>{@code steps.csv}: every {@code everySteps} steps, {@code step,epoch,loss,learning_rate,tau,collapse_std,
 *       pairs_per_second};</li>
 *   <li>{@code epochs.csv} and {@code epochs.jsonl}: one row per epoch with the epoch's mean loss, learning rate,
 *       τ, collapse monitor, pairs/s and, when a labelled evaluation set is given, the kNN accuracy of the online
 *       backbone on it ({@code knn_accuracy}, empty otherwise); {@code epochs.jsonl} also holds every metric the
 *       method reports under {@code metrics}.</li>
 * </ul>
 * τ (BYOL's) and the collapse monitor are empty in the CSV files (null in JSON) for a method that does not report
 * them.
 * Each line is flushed when written; a line cut by a kill is ended before the next run appends. A resumed run
 * repeats the steps after its checkpoint; readers take the last row of a step or epoch.
 */
public final class MetricsLog implements PretrainingListener, AutoCloseable {

    /** The file of per-step rows, in the run's folder. */
    public static final String STEPS = "steps.csv";
    /** The file of per-epoch rows. */
    public static final String EPOCHS = "epochs.csv";
    /** The per-epoch rows as JSON lines, with every metric the method reports. */
    public static final String EPOCHS_JSON = "epochs.jsonl";
    /** The header of {@link #STEPS}. */
    public static final String STEP_HEADER = "step,epoch,loss,learning_rate,tau,collapse_std,pairs_per_second";
    /** The header of {@link #EPOCHS}. */
    public static final String EPOCH_HEADER = "epoch,step,total_steps,loss,learning_rate,tau,collapse_std,"
            + "pairs_per_second,knn_accuracy";

    private final int everySteps;
    private final LabelledImageSource knnReference;
    private final LabelledImageSource knnQuery;
    private final BufferedWriter steps;
    private final BufferedWriter epochs;
    private final BufferedWriter epochsJson;
    private TrainingProgress pendingEpoch;

    /**
     * @param dir the run's output folder
     * @param everySteps steps between rows of {@code steps.csv}
     * @param knnReference labelled reference images for the per-epoch kNN, or null for none
     * @param knnQuery labelled images the kNN classifies, or null for none
     * @throws IOException when the files cannot be opened
     */
    public MetricsLog(Path dir, int everySteps, LabelledImageSource knnReference, LabelledImageSource knnQuery)
            throws IOException {
        this.everySteps = everySteps;
        this.knnReference = knnReference;
        this.knnQuery = knnQuery;
        this.steps = open(dir.resolve(STEPS), STEP_HEADER);
        this.epochs = open(dir.resolve(EPOCHS), EPOCH_HEADER);
        this.epochsJson = open(dir.resolve(EPOCHS_JSON), null);
    }

    private static BufferedWriter open(Path file, String header) throws IOException {
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        boolean cut = !fresh && lastByte(file) != '\n';
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        if (cut) { // a kill in the middle of a line: end it, so the next row starts on its own line
            w.newLine();
        }
        if (fresh && header != null) {
            w.write(header);
            w.newLine();
        }
        w.flush();
        return w;
    }

    private static int lastByte(Path file) throws IOException {
        try (java.nio.channels.SeekableByteChannel c = Files.newByteChannel(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            c.position(c.size() - 1).read(b);
            return b.get(0);
        }
    }

    @Override
    public void onStep(TrainingProgress p) {
        if (p.step() % everySteps == 0 || p.step() == p.totalSteps()) {
            line(steps, String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%s,%s,%.1f", p.step(), p.epoch() + 1, p.loss(),
                    p.learningRate(), csv(p.metric(ByolMethod.TAU)), csv(p.metric(CollapseMonitor.METRIC)),
                    p.pairsPerSecond()));
        }
    }

    @Override
    public void onEpoch(TrainingProgress p) {
        if (knnReference == null) {
            writeEpoch(p, Double.NaN);
        } else {
            pendingEpoch = p;
        }
    }

    @Override
    public boolean wantsBackbone(int epoch) {
        return knnReference != null;
    }

    @Override
    public void onBackbone(int epoch, Backbone online) {
        double knn = new KnnEvaluation().accuracy(online, knnReference, knnQuery);
        writeEpoch(pendingEpoch, knn);
        System.out.printf(Locale.ROOT, "epoch %d: kNN-20 accuracy %.2f %% (%d reference, %d query images)%n",
                epoch + 1, 100 * knn, knnReference.size(), knnQuery.size());
    }

    private void writeEpoch(TrainingProgress p, double knn) {
        String k = Double.isNaN(knn) ? "" : String.format(Locale.ROOT, "%.6f", knn);
        line(epochs, String.format(Locale.ROOT, "%d,%d,%d,%.6f,%.6f,%s,%s,%.1f,%s", p.epoch() + 1, p.step(),
                p.totalSteps(), p.loss(), p.learningRate(), csv(p.metric(ByolMethod.TAU)),
                csv(p.metric(CollapseMonitor.METRIC)), p.pairsPerSecond(), k));
        StringBuilder metrics = new StringBuilder();
        p.metrics().forEach((name, value) -> metrics.append(metrics.length() == 0 ? "" : ",").append('"')
                .append(name).append("\":").append(json(value)));
        line(epochsJson, String.format(Locale.ROOT, "{\"epoch\":%d,\"step\":%d,\"total_steps\":%d,\"loss\":%.6f,"
                + "\"learning_rate\":%.6f,\"tau\":%s,\"collapse_std\":%s,\"pairs_per_second\":%.1f,"
                + "\"knn_accuracy\":%s,\"metrics\":{%s}}", p.epoch() + 1, p.step(), p.totalSteps(), p.loss(),
                p.learningRate(), json(p.metric(ByolMethod.TAU)), json(p.metric(CollapseMonitor.METRIC)),
                p.pairsPerSecond(), k.isEmpty() ? "null" : k, metrics));
    }

    private static String json(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "null";
    }

    private static String csv(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "";
    }

    private static void line(BufferedWriter w, String text) {
        try {
            w.write(text);
            w.newLine();
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try (steps; epochs; epochsJson) {
            // closes all three
        }
    }
}
