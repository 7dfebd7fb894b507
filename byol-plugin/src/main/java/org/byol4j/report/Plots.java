package org.byol4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.io.AtomicFiles;
import org.byol4j.method.CollapseMonitor;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The PNG pictures of a pretraining run, drawn with JFreeChart (headless): {@link #CURVES} (loss, collapse monitor
 * and, when measured, kNN accuracy, against the step) from the metrics files, and {@link #EMBEDDINGS} (the first
 * two principal components of the final backbone's embeddings of labelled images, one colour per class).
 */
public final class Plots {

    /** The training curves' file, in the run's folder. */
    public static final String CURVES = "training-curves.png";
    /** The embedding plot's file. */
    public static final String EMBEDDINGS = "embeddings-pca.png";

    private static final int WIDTH = 1000;
    private static final int MAX_POINTS = 3000;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /**
     * Draws {@link #CURVES} from {@code steps.csv} and {@code epochs.csv} in {@code dir}.
     *
     * @param dir the run's output folder
     * @throws IOException when the metrics cannot be read or the picture written
     */
    public static void trainingCurves(Path dir) throws IOException {
        Map<Long, Map<String, Double>> steps = lastRowPerKey(dir.resolve(MetricsLog.STEPS), "step");
        Map<Long, Map<String, Double>> epochs = lastRowPerKey(dir.resolve(MetricsLog.EPOCHS), "epoch");
        String collapseColumn = MetricsLog.column(CollapseMonitor.METRIC);
        XYSeries loss = new XYSeries("loss");
        XYSeries collapse = new XYSeries("collapse monitor (std of normalised projections)");
        for (Map.Entry<Long, Map<String, Double>> r : steps.entrySet()) {
            add(loss, r.getKey(), r.getValue().get("loss"), 1);
            add(collapse, r.getKey(), r.getValue().get(collapseColumn), 1);
        }
        XYSeries knn = new XYSeries("kNN-20 accuracy (%)");
        for (Map<String, Double> r : epochs.values()) {
            Double step = r.get("step");
            if (step != null) {
                add(knn, step.longValue(), r.get("knn_accuracy"), 100);
            }
        }
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("step"));
        plot.add(panel(loss, "loss", new Color(0x1f77b4)));
        if (collapse.getItemCount() > 0) {
            plot.add(panel(collapse, "collapse monitor", new Color(0xd62728)));
        }
        if (knn.getItemCount() > 0) {
            plot.add(panel(knn, "kNN accuracy %", new Color(0x2ca02c)));
        }
        JFreeChart chart = new JFreeChart("BYOL pretraining: " + dir.getFileName(), JFreeChart.DEFAULT_TITLE_FONT,
                plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        write(chart, dir.resolve(CURVES), WIDTH, 250 * plot.getSubplots().size() + 120);
    }

    /**
     * Draws {@link #EMBEDDINGS}: embeds up to {@value #MAX_POINTS} images and projects them on two principal
     * components.
     *
     * @param dir the run's output folder
     * @param backbone the trained backbone
     * @param images labelled images (e.g. a test set)
     * @throws IOException when the picture cannot be written
     */
    public static void embeddings(Path dir, Backbone backbone, LabelledImageSource images) throws IOException {
        int n = Math.min(MAX_POINTS, images.size());
        LabelledImageSource shown = org.byol4j.data.Subset.first(images, n);
        double[][] xy = Pca.project(backbone.embed(shown, 500), 2);
        List<String> classes = images.classNames();
        Map<String, XYSeries> byClass = new LinkedHashMap<>();
        for (String c : classes) {
            byClass.put(c, new XYSeries(c));
        }
        for (int i = 0; i < n; i++) {
            byClass.get(shown.label(i)).add(xy[i][0], xy[i][1]);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        byClass.values().stream().filter(s -> s.getItemCount() > 0).forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createScatterPlot("Embeddings of " + n + " labelled images (PCA), "
                + backbone.architecture().name(), "principal component 1", "principal component 2", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        write(chart, dir.resolve(EMBEDDINGS), WIDTH, 800);
    }

    private static XYPlot panel(XYSeries series, String axis, Color colour) {
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, series.getItemCount() < 30);
        line.setSeriesPaint(0, colour);
        line.setSeriesStroke(0, new BasicStroke(1.5f));
        NumberAxis y = new NumberAxis(axis);
        y.setAutoRangeIncludesZero(false);
        XYPlot p = new XYPlot(new XYSeriesCollection(series), null, y, line);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(Color.LIGHT_GRAY);
        p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return p;
    }

    private static void write(JFreeChart chart, Path file, int width, int height) throws IOException {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, width, height);
        AtomicFiles.write(file, png.toByteArray());
    }

    private static void add(XYSeries series, long x, Double y, double scale) {
        if (y != null && !y.isNaN()) {
            series.add(x, scale * y);
        }
    }

    /**
     * Reads a metrics CSV by its header's column names; keeps the last row for each value of column {@code key} (a
     * resumed run repeats rows). Empty cells are absent from a row's map.
     */
    private static Map<Long, Map<String, Double>> lastRowPerKey(Path csv, String key) throws IOException {
        Map<Long, Map<String, Double>> rows = new java.util.TreeMap<>();
        if (!Files.isRegularFile(csv) || Files.size(csv) == 0) {
            return rows;
        }
        List<String> columns = MetricsLog.columns(csv);
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells.length != columns.size()) {
                continue; // a line cut by a kill
            }
            Map<String, Double> r = new LinkedHashMap<>();
            try {
                for (int i = 0; i < cells.length; i++) {
                    if (!cells[i].isEmpty()) {
                        r.put(columns.get(i), Double.parseDouble(cells[i]));
                    }
                }
            } catch (NumberFormatException e) {
                continue; // a line cut by a kill
            }
            if (r.containsKey(key)) {
                rows.put(r.get(key).longValue(), r);
            }
        }
        return rows;
    }
}
