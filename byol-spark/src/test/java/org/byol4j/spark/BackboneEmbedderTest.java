package org.byol4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.ImageDecoder;
import org.byol4j.data.PixelImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackboneEmbedderTest {

    private static double maxAbsDiff(Vector v, float[] f) {
        assertEquals(f.length, v.size());
        double m = 0;
        for (int i = 0; i < f.length; i++) {
            m = Math.max(m, Math.abs(v.apply(i) - f[i]));
        }
        return m;
    }

    @Test
    void idxRowsGetTheEmbeddingsOfASingleJvmInEveryPartition(@TempDir Path dir) throws IOException {
        Path images = LocalSpark.sample(dir, "t10k-images-idx3-ubyte.gz");
        Path labels = LocalSpark.sample(dir, "t10k-labels-idx1-ubyte.gz");
        Dataset<Row> rows = IdxFrames.read(LocalSpark.session(), images, labels, 3);
        Dataset<Row> embedded = new BackboneEmbedder().setBackbone(LocalSpark.ZOO).setBatchSize(32).transform(rows);
        List<Row> out = embedded.select("id", "label", "embedding", "embeddingError").orderBy("id").collectAsList();
        IdxImageSource source = IdxImageSource.labelled(images, labels);
        assertEquals(source.size(), out.size(), "every row exactly once");
        float[][] expected;
        try (BackboneRef.Opened o = new BackboneRef(LocalSpark.ZOO).open()) {
            expected = o.backbone().embed(source, 100);
        }
        double worst = 0;
        for (int i = 0; i < out.size(); i++) {
            Row r = out.get(i);
            assertEquals(i, r.getLong(0));
            assertEquals(source.label(i), r.getString(1));
            assertNull(r.get(3));
            worst = Math.max(worst, maxAbsDiff((Vector) r.get(2), expected[i]));
        }
        assertTrue(worst <= 1e-5, "max abs difference to single-JVM embedding " + worst);
        assertEquals(LocalSpark.ZOO, embedded.schema().apply("embedding").metadata()
                .getString(BackboneEmbedder.METADATA_BACKBONE));
    }

    /** Writes some sample images as PNG files in class folders, plus one corrupt file. */
    private static List<Path> pngs(Path dir, int n) throws IOException {
        Path images = LocalSpark.sample(dir, "t10k-images-idx3-ubyte.gz");
        Path labels = LocalSpark.sample(dir, "t10k-labels-idx1-ubyte.gz");
        IdxImageSource source = IdxImageSource.labelled(images, labels);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PixelImage img = source.image(i);
            BufferedImage b = new BufferedImage(img.width(), img.height(), i % 2 == 0 ? BufferedImage.TYPE_BYTE_GRAY
                    : BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < img.height(); y++) {
                for (int x = 0; x < img.width(); x++) {
                    int v = Math.round(img.get(0, y, x) * 255);
                    b.getRaster().setPixel(x, y, i % 2 == 0 ? new int[] {v} : new int[] {v, v / 2, 255 - v});
                }
            }
            Path f = dir.resolve("png").resolve("class" + source.label(i)).resolve(String.format("img%03d.png", i));
            Files.createDirectories(f.getParent());
            ImageIO.write(b, "png", f.toFile());
            files.add(f);
        }
        return files;
    }

    @Test
    void theImageSourceAndBinaryFilesGiveTheEmbeddingsOfTheDecodedFiles(@TempDir Path dir) throws IOException {
        List<Path> files = pngs(dir, 12);
        SparkSession spark = LocalSpark.session();
        Dataset<Row> structs = spark.read().format("image").load(dir.resolve("png").toString() + "/*/*.png");
        Dataset<Row> bytes = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .load(dir.resolve("png").toString());
        Map<String, Vector> fromStructs = new HashMap<>();
        for (Row r : new BackboneEmbedder().setBackbone(LocalSpark.ZOO).transform(structs)
                .select("image.origin", "embedding").collectAsList()) {
            fromStructs.put(Path.of(java.net.URI.create(r.getString(0))).getFileName().toString(), (Vector) r.get(1));
        }
        Map<String, Vector> fromBytes = new HashMap<>();
        for (Row r : new BackboneEmbedder().setBackbone(LocalSpark.ZOO).setInputCol("content").transform(bytes)
                .select("path", "embedding").collectAsList()) {
            fromBytes.put(Path.of(java.net.URI.create(r.getString(0))).getFileName().toString(), (Vector) r.get(1));
        }
        assertEquals(files.size(), fromStructs.size());
        assertEquals(files.size(), fromBytes.size());
        try (BackboneRef.Opened o = new BackboneRef(LocalSpark.ZOO).open()) {
            Backbone b = o.backbone();
            ImageDecoder decoder = new ImageDecoder(b.architecture().inputChannels(), ImageDecoder.DEFAULT_MAX_PIXELS);
            for (Path f : files) {
                float[] expected = b.embed(List.of(decoder.decode(f)))[0];
                String name = f.getFileName().toString();
                assertTrue(maxAbsDiff(fromBytes.get(name), expected) <= 1e-5, name + " as bytes");
                assertTrue(maxAbsDiff(fromStructs.get(name), expected) <= 1e-5, name + " as an image struct");
            }
        }
    }

    @Test
    void aBadImageFailsTheJobNamingItOrKeepsItsRowWithTheReason(@TempDir Path dir) throws IOException {
        pngs(dir, 6);
        Path bad = dir.resolve("png").resolve("class9").resolve("truncated.png");
        Files.createDirectories(bad.getParent());
        byte[] good = Files.readAllBytes(dir.resolve("png").resolve("class9").resolve("img000.png"));
        Files.write(bad, java.util.Arrays.copyOf(good, good.length / 2));
        Files.writeString(dir.resolve("png").resolve("class9").resolve("notes.png"), "not an image");
        Dataset<Row> bytes = LocalSpark.session().read().format("binaryFile").option("recursiveFileLookup", "true")
                .load(dir.resolve("png").toString());
        BackboneEmbedder embedder = new BackboneEmbedder().setBackbone(LocalSpark.ZOO).setInputCol("content");
        Exception e = assertThrows(Exception.class, () -> embedder.transform(bytes).collectAsList());
        String all = messages(e);
        assertTrue(all.contains("truncated.png") || all.contains("notes.png"), all);

        List<Row> kept = embedder.setOnBadImage("keep").transform(bytes).select("path", "embedding", "embeddingError")
                .collectAsList();
        assertEquals(8, kept.size(), "no row vanishes");
        long missing = kept.stream().filter(r -> r.isNullAt(1)).count();
        assertEquals(2, missing);
        for (Row r : kept) {
            if (r.isNullAt(1)) {
                assertTrue(r.getString(2).contains(Path.of(java.net.URI.create(r.getString(0))).getFileName()
                        .toString()), r.getString(2));
            } else {
                assertNull(r.get(2));
            }
        }
    }

    private static String messages(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            s.append(t.getMessage()).append(" | ");
        }
        return s.toString();
    }

    @Test
    void aWrongColumnOrNoBackboneIsRefusedBeforeAnyWork(@TempDir Path dir) throws IOException {
        Dataset<Row> rows = IdxFrames.read(LocalSpark.session(), LocalSpark.sample(dir, "t10k-images-idx3-ubyte.gz"),
                null, 1);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new BackboneEmbedder().transform(rows));
        assertTrue(none.getMessage().contains("set the backbone"), none.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> new BackboneEmbedder().setBackbone(LocalSpark.ZOO).setInputCol("path").transform(rows));
        assertTrue(type.getMessage().contains("input column path") && type.getMessage().contains("binary"),
                type.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new BackboneEmbedder().setBackbone(LocalSpark.ZOO).setInputCol("pixels").transform(rows));
        assertTrue(missing.getMessage().contains("pixels"), missing.getMessage());
        IllegalArgumentException zoo = assertThrows(IllegalArgumentException.class,
                () -> new BackboneEmbedder().setBackbone("org.byol4j:no-such-artefact").transform(rows));
        assertTrue(zoo.getMessage().contains("no-such-artefact"), zoo.getMessage());
    }

    @Test
    void aFittedPipelineSavesAndLoadsLikeAnySparkPipeline(@TempDir Path dir) throws IOException {
        SparkSession spark = LocalSpark.session();
        Dataset<Row> train = IdxFrames.read(spark, LocalSpark.sample(dir, "train-images-idx3-ubyte.gz"),
                LocalSpark.sample(dir, "train-labels-idx1-ubyte.gz"), 2);
        Dataset<Row> test = IdxFrames.read(spark, LocalSpark.sample(dir, "t10k-images-idx3-ubyte.gz"),
                LocalSpark.sample(dir, "t10k-labels-idx1-ubyte.gz"), 2);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new BackboneEmbedder().setBackbone(LocalSpark.ZOO),
            new StringIndexer().setInputCol("label").setOutputCol("labelIndex"),
            new StandardScaler().setInputCol("embedding").setOutputCol("features"),
            new LogisticRegression().setLabelCol("labelIndex").setMaxIter(50)});
        PipelineModel fitted = pipeline.fit(train);
        String path = dir.resolve("pipeline").toString();
        fitted.save(path);
        PipelineModel loaded = PipelineModel.load(path);
        assertEquals(LocalSpark.ZOO, ((BackboneEmbedder) loaded.stages()[0]).getOrDefault(
                ((BackboneEmbedder) loaded.stages()[0]).backbone()));
        List<Row> before = fitted.transform(test).orderBy("id").select("prediction").collectAsList();
        List<Row> after = loaded.transform(test).orderBy("id").select("prediction", "labelIndex").collectAsList();
        assertEquals(before.size(), after.size());
        long right = 0;
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).getDouble(0), after.get(i).getDouble(0), "row " + i);
            right += after.get(i).getDouble(0) == after.get(i).getDouble(1) ? 1 : 0;
        }
        assertNotNull(loaded.stages()[3]);
        assertTrue(right > 0.6 * after.size(), "the zoo backbone's features separate the classes: " + right);
    }
}
