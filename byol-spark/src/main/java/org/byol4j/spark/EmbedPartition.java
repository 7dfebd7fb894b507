package org.byol4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.ImageDataException;
import org.byol4j.data.PixelImage;

/**
 * Embeds one partition on an executor: the executor's backbone ({@link ExecutorBackbones}), rows taken
 * {@code batchSize} at a time and embedded in one forward pass whose arrays live in a scope closed before the next
 * batch ({@link Backbone#embed(List)}), so nothing of the partition outlives it. Rows come out in order, each with its
 * embedding and error columns appended. Lazy: a partition is never held in memory whole.
 */
final class EmbedPartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final BackboneRef ref;
    private final String sha256;
    private final int input;
    private final SparkImages.Kind kind;
    private final int origin;
    private final int batchSize;
    private final boolean keepBad;

    /**
     * @param ref the backbone
     * @param sha256 its weights' hash as the driver saw them
     * @param input the input column's index
     * @param kind what it holds
     * @param origin the index of the column naming each row's file for encoded bytes ({@code path}), or -1
     * @param batchSize images per forward pass
     * @param keepBad keep a bad image's row with a null embedding and the error, instead of failing the task
     */
    EmbedPartition(BackboneRef ref, String sha256, int input, SparkImages.Kind kind, int origin, int batchSize,
            boolean keepBad) {
        this.ref = ref;
        this.sha256 = sha256;
        this.input = input;
        this.kind = kind;
        this.origin = origin;
        this.batchSize = batchSize;
        this.keepBad = keepBad;
    }

    /** {@inheritDoc} */
    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Backbone backbone = ExecutorBackbones.get(ref, sha256);
        return new Iterator<>() {
            private final List<Row> ready = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next < ready.size()) {
                    return true;
                }
                ready.clear();
                next = 0;
                if (rows.hasNext()) {
                    embedBatch(backbone, rows, ready);
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.get(next++);
            }
        };
    }

    private void embedBatch(Backbone backbone, Iterator<Row> rows, List<Row> out) {
        List<Row> batch = new ArrayList<>(batchSize);
        List<PixelImage> images = new ArrayList<>(batchSize);
        List<String> errors = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && rows.hasNext()) {
            Row row = rows.next();
            batch.add(row);
            try {
                images.add(image(row, backbone.architecture().inputChannels()));
                errors.add(null);
            } catch (ImageDataException e) {
                if (!keepBad) {
                    throw e;
                }
                images.add(null);
                errors.add(e.getMessage());
            }
        }
        List<PixelImage> good = images.stream().filter(i -> i != null).toList();
        float[][] features = backbone.embed(good);
        int g = 0;
        for (int i = 0; i < batch.size(); i++) {
            Object vector = null;
            if (images.get(i) != null) {
                float[] f = features[g++];
                double[] d = new double[f.length];
                for (int j = 0; j < f.length; j++) {
                    d[j] = f[j];
                }
                vector = Vectors.dense(d);
            }
            out.add(append(batch.get(i), vector, errors.get(i)));
        }
    }

    private PixelImage image(Row row, int channels) {
        if (row.isNullAt(input)) {
            throw new ImageDataException(originOf(row), "has no image (the input column is null)", null);
        }
        return kind == SparkImages.Kind.IMAGE_STRUCT ? SparkImages.fromStruct(row.getStruct(input))
                : SparkImages.decode((byte[]) row.get(input), originOf(row), channels);
    }

    private String originOf(Row row) {
        if (kind == SparkImages.Kind.IMAGE_STRUCT && !row.isNullAt(input)) {
            return ImageSchema.getOrigin(row.getStruct(input));
        }
        return origin >= 0 && !row.isNullAt(origin) ? row.get(origin).toString() : "row " + row;
    }

    private static Row append(Row row, Object vector, String error) {
        Object[] values = new Object[row.length() + 2];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        values[row.length()] = vector;
        values[row.length() + 1] = error;
        return RowFactory.create(values);
    }
}
