package org.byol4j.report;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;
import org.byol4j.tribuo.KnnEvaluation;

/**
 * Writes a run's metrics into its output folder as they happen, appending (a resumed run continues the files):
 * <ul>
 *   <li>{@code steps.csv}: every {@code everySteps} steps, {@value #STEP_COLUMNS}, then one column per metric the
 *       method reports ({@link TrainingProgress#metrics()}, e.g. BYOL's {@code collapse_std,tau});</li>
 *   <li>{@code epochs.csv} and {@code epochs.jsonl}: one row per epoch, {@value #EPOCH_COLUMNS} (the epoch's mean
 *       loss; {@code knn_accuracy} of the online backbone when a labelled evaluation set is given, empty otherwise),
 *       then the method's metric columns; {@code epochs.jsonl} holds the same with every metric under
 *       {@code metrics}.</li>
 * </ul>
 * A metric's column is its name in snake case ({@code collapseStd} → {@code collapse_std}), in the order the method
 * reports them on the first row; readers find columns by header name ({@link #columns(String)}). A file that exists
 * keeps its header: rows are written by its column names (a column the method does not report is empty), so a run
 * resumed by another version, or with another method's metrics, still appends well-formed rows.
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
    /** The columns of {@link #STEPS} that every method has; the method's metrics follow. */
    public static final String STEP_COLUMNS = "step,epoch,loss,learning_rate,pairs_per_second";
    /** The columns of {@link #EPOCHS} that every method has; the method's metrics follow. */
    public static final String EPOCH_COLUMNS = "epoch,step,total_steps,loss,learning_rate,pairs_per_second,"
            + "knn_accuracy";

    private final int everySteps;
    private final LabelledImageSource knnReference;
    private final LabelledImageSource knnQuery;
    private final CsvLog steps;
    private final CsvLog epochs;
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
        this.steps = new CsvLog(dir.resolve(STEPS), STEP_COLUMNS);
        this.epochs = new CsvLog(dir.resolve(EPOCHS), EPOCH_COLUMNS);
        this.epochsJson = open(dir.resolve(EPOCHS_JSON));
    }

    /**
     * @param csv a metrics file this class wrote
     * @return its column names, from its header
     * @throws IOException when it cannot be read or is empty
     */
    public static List<String> columns(Path csv) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || header.isBlank()) {
                throw new IOException(csv + ": empty, expected a header line such as " + STEP_COLUMNS);
            }
            return List.of(header.split(",", -1));
        }
    }

    /**
     * @param metric a metric's name as the method reports it, e.g. {@code collapseStd}
     * @return its column name, e.g. {@code collapse_std}
     */
    public static String column(String metric) {
        return metric.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static BufferedWriter open(Path file) throws IOException {
        boolean cut = Files.exists(file) && Files.size(file) > 0 && lastByte(file) != '\n';
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        if (cut) { // a kill in the middle of a line: end it, so the next row starts on its own line
            w.newLine();
            w.flush();
        }
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
            Map<String, String> row = new LinkedHashMap<>();
            row.put("step", Long.toString(p.step()));
            row.put("epoch", Integer.toString(p.epoch() + 1));
            putProgress(row, p);
            steps.row(row);
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
        Map<String, String> row = new LinkedHashMap<>();
        row.put("epoch", Integer.toString(p.epoch() + 1));
        row.put("step", Long.toString(p.step()));
        row.put("total_steps", Long.toString(p.totalSteps()));
        row.put("knn_accuracy", k);
        putProgress(row, p);
        epochs.row(row);
        StringBuilder metrics = new StringBuilder();
        p.metrics().forEach((name, value) -> metrics.append(metrics.length() == 0 ? "" : ",").append('"')
                .append(name).append("\":").append(json(value)));
        line(epochsJson, String.format(Locale.ROOT, "{\"epoch\":%d,\"step\":%d,\"total_steps\":%d,\"loss\":%.6f,"
                + "\"learning_rate\":%.6f,\"pairs_per_second\":%.1f,\"knn_accuracy\":%s,\"metrics\":{%s}}",
                p.epoch() + 1, p.step(), p.totalSteps(), p.loss(), p.learningRate(), p.pairsPerSecond(),
                k.isEmpty() ? "null" : k, metrics));
    }

    /** The cells a step row and an epoch row share: loss, learning rate, pairs/s, then the method's metrics. */
    private static void putProgress(Map<String, String> row, TrainingProgress p) {
        row.put("loss", String.format(Locale.ROOT, "%.6f", p.loss()));
        row.put("learning_rate", String.format(Locale.ROOT, "%.6f", p.learningRate()));
        row.put("pairs_per_second", String.format(Locale.ROOT, "%.1f", p.pairsPerSecond()));
        p.metrics().forEach((name, value) -> row.put(column(name), csv(value)));
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

    /**
     * One CSV file of rows written by column name. Its header is the file's own when it exists, else the fixed
     * columns and the first row's other names, written with that row.
     */
    private static final class CsvLog implements java.io.Closeable {
        private final Path file;
        private final List<String> fixed;
        private BufferedWriter writer;
        private List<String> columns;

        CsvLog(Path file, String fixedColumns) throws IOException {
            this.file = file;
            this.fixed = List.of(fixedColumns.split(","));
            boolean exists = Files.exists(file) && Files.size(file) > 0;
            this.columns = exists ? columns(file) : null;
            this.writer = exists ? open(file) : null; // a new file is created with its first row, header and all
        }

        void row(Map<String, String> cells) {
            if (writer == null) {
                try {
                    writer = open(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (columns == null) {
                List<String> header = new ArrayList<>(fixed);
                cells.keySet().stream().filter(c -> !fixed.contains(c)).forEach(header::add);
                columns = List.copyOf(header);
                line(writer, String.join(",", columns));
            }
            List<String> row = new ArrayList<>(columns.size());
            for (String c : columns) {
                row.add(cells.getOrDefault(c, ""));
            }
            line(writer, String.join(",", row));
        }

        @Override
        public void close() throws IOException {
            if (writer != null) {
                writer.close();
            }
        }
    }
}
