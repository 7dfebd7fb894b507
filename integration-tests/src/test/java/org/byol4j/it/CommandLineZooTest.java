package org.byol4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.byol4j.backbone.Backbone;
import org.byol4j.cli.Main;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.nn.ResNet;
import org.byol4j.zoo.ByolModelZoo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's zoo commands as a user runs them: {@code byol export} writes an artefact that DJL's
 * {@code Criteria} loads back with the same weights, {@code byol zoo list} (a fresh JVM pointed at the repository
 * with {@code -Dbyol4j.zoo.repositories}) shows it beside the shipped one, and {@code byol embed --zoo} embeds with
 * the shipped artefact.
 */
@Tag("slow")
class CommandLineZooTest {

    private static String run(int expected, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            code = Main.run(args);
        } finally {
            System.setOut(original);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(expected, code, text);
        return text;
    }

    @Test
    void anExportedBackboneLoadsThroughCriteriaAndIsListed(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("backbone");
        Path repo = dir.resolve("repo");
        PixelImage probe = FashionMnistSample.load(dir, "t10k", 1).image(0);
        float[] expected;
        try (Backbone b = Backbone.randomInit(ResNet.parse("resnet20-small-w0.25", 1), 28, 5)) {
            b.save(folder);
            expected = b.embed(List.of(probe))[0];
        }
        String out = run(0, "export", "--backbone", folder.toString(), "--repository", repo.toString(), "--artifact",
                "my-tiny", "--dataset", "squares");
        assertTrue(out.contains("org.byol4j:my-tiny:0.1.0"), out);
        Criteria<PixelImage, float[]> c = Criteria.builder().setTypes(PixelImage.class, float[].class)
                .optModelZoo(new ByolModelZoo(List.of(repo.toString()))).optArtifactId("my-tiny")
                .optFilter("dataset", "squares").build();
        try (ZooModel<PixelImage, float[]> model = c.loadModel();
                Predictor<PixelImage, float[]> p = model.newPredictor()) {
            assertArrayEquals(expected, p.predict(probe), 1e-6f);
        }

        Process list = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + ByolModelZoo.REPOSITORIES_PROPERTY + "=" + repo, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "zoo", "list").redirectErrorStream(true).start();
        String listed = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(list.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, list.exitValue(), listed);
        assertTrue(listed.contains("org.byol4j:my-tiny:0.1.0") && listed.contains("squares")
                && listed.contains("3 artefact(s)"), listed);
        ZooUserPathTest.ShippedFloor.VERSIONS.forEach((artifact, version) -> assertTrue(
                listed.contains("org.byol4j:" + artifact + ":" + version), listed));
    }

    @Test
    void embedTakesAZooArtefact(@TempDir Path dir) throws Exception {
        IdxImageSource sample = FashionMnistSample.load(dir, "t10k", 0);
        Path csv = dir.resolve("emb.csv");
        String out = run(0, "embed", "--zoo", "byol-resnet20-fmnist", "--data", dir.toString(), "--split", "t10k",
                "--out", csv.toString());
        assertTrue(out.contains("Embedded 500 images (64-d)"), out);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(sample.size() + 1, lines.size());
        // IDX files outside a fashion-mnist folder carry no class names: labels are the class ids.
        int id = IdxImageSource.FASHION_MNIST_CLASSES.indexOf(sample.label(0));
        assertTrue(lines.get(1).startsWith("0," + id + ","), lines.get(1));
        run(2, "embed", "--zoo", "x", "--backbone", dir.toString(), "--data", dir.toString(), "--out", csv.toString());
    }
}
