package org.byol4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.data.Subset;
import org.byol4j.report.MetricsLog;
import org.byol4j.report.Plots;
import org.byol4j.tribuo.KnnEvaluation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code byol} command line in this JVM, on tiny labelled image folders: the user's path and its errors. */
class CliTest {

    /** A tiny BYOL recipe for 14-px greyscale images. */
    static final String[] TINY = {"--architecture", "resnet20-small-w0.25", "-o", "inputChannels=1", "-o",
        "imageSize=14", "-o", "projectorHidden=16", "-o", "projectorOutput=8", "-o", "batchSize=8", "-o",
        "seed=3"};

    @TempDir
    static Path shared;
    static Path images;
    static Path run;
    static String pretrainOutput;

    @BeforeAll
    static void pretrainOnce() throws IOException {
        images = TinyImageFolders.write(shared.resolve("images"), 24, 1);
        run = shared.resolve("run");
        CliRunner.Result r = CliRunner.run(cat(new String[] {"pretrain", "--data", images.toString(), "--out",
            run.toString(), "--steps", "12", "--checkpoint-every", "4", "--log-every", "2", "--eval-data",
            images.toString(), "--eval-images", "40"}, TINY));
        assertEquals(0, r.code(), r.err());
        pretrainOutput = r.out();
    }

    static String[] cat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void pretrainWritesTheBackboneCheckpointsMetricsAndPlots() throws IOException {
        assertTrue(Files.isRegularFile(run.resolve("backbone/metadata.json")));
        assertTrue(Files.isRegularFile(run.resolve(PretrainCommand.RUN_FILE)));
        List<String> kept = new ArrayList<>();
        try (var s = Files.list(run.resolve(PretrainCommand.CHECKPOINTS))) {
            s.forEach(p -> kept.add(p.getFileName().toString()));
        }
        kept.sort(null);
        assertEquals(List.of("checkpoint-000000000006.bin", "checkpoint-000000000008.bin",
            "checkpoint-000000000012.bin"), kept, "the newest three (--keep 3) of 4, 6 (epoch end), 8, 12");
        List<String> steps = Files.readAllLines(run.resolve(MetricsLog.STEPS));
        assertEquals(MetricsLog.STEP_COLUMNS + ",collapse_std,tau", steps.get(0), "the shared columns, then BYOL's metrics");
        assertEquals(7, steps.size(), "a row every 2 steps: " + steps);
        assertTrue(steps.get(6).startsWith("12,"), steps.get(6));
        List<String> epochs = Files.readAllLines(run.resolve(MetricsLog.EPOCHS));
        assertEquals(3, epochs.size(), "header and two epochs (6 steps each): " + epochs);
        int knnColumn = MetricsLog.columns(run.resolve(MetricsLog.EPOCHS)).indexOf("knn_accuracy");
        String knn = epochs.get(2).split(",", -1)[knnColumn];
        // the monitor's last value is the kNN accuracy of the saved backbone on the command's reference and query
        // sets (the first 40 of folds 1-4, fold 0), computed here independently: a monitor that measured another
        // network (the target, a stale copy) or mismatched labels would differ
        LabelledImageSource all = DataPaths.labelled(images, "train", 1, "--eval-data");
        try (Backbone saved = Backbone.load(run.resolve("backbone"))) {
            double expected = new KnnEvaluation().accuracy(saved, Subset.first(Subset.fold(all, 5, 0, false), 40),
                    Subset.first(Subset.fold(all, 5, 0, true), 8));
            assertEquals(expected, Double.parseDouble(knn), 1e-6, "kNN accuracy of the final backbone: " + knn);
        }
        assertEquals(2, Files.readAllLines(run.resolve(MetricsLog.EPOCHS_JSON)).size());
        assertNonTrivialPng(run.resolve(Plots.CURVES));
        assertNonTrivialPng(run.resolve(Plots.EMBEDDINGS));
        assertTrue(pretrainOutput.contains("No --preset: 1-channel images of 14 px: preset small_greyscale, the"
                + " recipe measured for small images on a CPU"), pretrainOutput);
        assertTrue(pretrainOutput.contains("Time per step: ") && pretrainOutput.contains("backward")
                && pretrainOutput.contains("(mean of 12 steps)"), "where the step time went: " + pretrainOutput);
    }

    static void assertNonTrivialPng(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null && img.getWidth() >= 600 && img.getHeight() >= 300, png + " is not a real picture");
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 8, png + " has only " + colours.size() + " colours: blank");
    }

    @Test
    void resumingACompletedRunGivesTheSameBackbone() throws IOException {
        String before = Files.readString(run.resolve("backbone/metadata.json"));
        CliRunner.Result r = CliRunner.run("pretrain", "--out", run.toString(), "--resume");
        assertEquals(0, r.code(), r.err());
        String after = Files.readString(run.resolve("backbone/metadata.json"));
        assertEquals(sha(before), sha(after));
    }

    private static String sha(String metadata) {
        int i = metadata.indexOf("\"sha256\"");
        return metadata.substring(i, i + 80);
    }

    @Test
    void embedWritesCsvAndNpyInSourceOrder(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("emb.csv");
        CliRunner.Result r = CliRunner.run("embed", "--backbone", run.resolve("backbone").toString(), "--data",
                images.toString(), "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(49, lines.size());
        assertTrue(lines.get(0).startsWith("index,label,f0,f1,") && lines.get(0).endsWith(",f15"), lines.get(0));
        assertTrue(lines.get(1).startsWith("0,bottom-right,"), "class folders sorted by name: " + lines.get(1));
        assertTrue(lines.get(48).startsWith("47,top-left,"), lines.get(48));
        byte[] npy = Files.readAllBytes(dir.resolve("emb.npy"));
        String header = new String(npy, 10, 70, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (48, 16)"), header);
        int headerLength = (npy[8] & 0xFF) | (npy[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLength) % 64);
        assertEquals(10 + headerLength + 48 * 16 * 4, npy.length);
        float first = java.nio.ByteBuffer.wrap(npy, 10 + headerLength, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getFloat();
        assertEquals(Float.parseFloat(lines.get(1).split(",")[2]), first, 0f);
    }

    @Test
    void linearAndKnnEvalPrintTheThreeRowTableAndWriteMarkdown(@TempDir Path dir) throws IOException {
        Path test = TinyImageFolders.write(dir.resolve("test"), 10, 2);
        Path md = dir.resolve("linear.md");
        CliRunner.Result linear = CliRunner.run("linear-eval", "--backbone", run.resolve("backbone").toString(),
                "--train", images.toString(), "--test", test.toString(), "--out", md.toString());
        assertEquals(0, linear.code(), linear.err());
        List<String> rows = Files.readAllLines(md).stream().filter(l -> l.startsWith("| ")).toList();
        assertEquals(4, rows.size(), rows.toString());
        assertTrue(rows.get(1).startsWith("| raw pixels | ") && rows.get(2).startsWith("| untrained resnet20-small")
                && rows.get(3).contains("backbone"), rows.toString());
        CliRunner.Result knn = CliRunner.run("knn-eval", "--backbone", run.resolve("backbone").toString(), "--train",
                images.toString(), "--test", test.toString(), "--k", "5");
        assertEquals(0, knn.code(), knn.err());
        assertTrue(knn.out().contains("| features | kNN-5 accuracy |") && knn.out().contains("| raw pixels | 100.00 %"),
                knn.out());
    }

    @Test
    void usageMistakesExitWithTwoAndOneClearLine(@TempDir Path dir) {
        CliRunner.Result typo = CliRunner.run("pretrain", "--dat", images.toString(), "--out", dir.toString());
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("--dat") && typo.err().contains("--data"), "suggests --data: " + typo.err());
        assertEquals(2, CliRunner.run("pretrain", "--out", dir.resolve("x").toString()).code(), "no --data");
        assertEquals(2, CliRunner.run("pretrain", "--data", images.toString(), "--out", run.toString()).code(),
                "an existing run without --resume");
        assertEquals(2, CliRunner.run("pretrain", "--out", run.toString(), "--resume", "--steps", "5").code(),
                "--resume with settings");
        CliRunner.Result bad = CliRunner.run("pretrain", "--data", images.toString(), "--out",
                dir.resolve("y").toString(), "-o", "batchSise=8");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("batchSise"), bad.err());
        assertTrue(!Files.exists(dir.resolve("y")), "nothing written for a bad option");
        assertEquals(2, CliRunner.run("pretrain", "--data", images.toString(), "--out", dir.resolve("z").toString(),
                "--steps", "3", "--minutes", "2").code(), "two run lengths");
        CliRunner.Result missing = CliRunner.run("embed", "--backbone", dir.resolve("none").toString(), "--data",
                images.toString(), "--out", dir.resolve("e.csv").toString());
        assertEquals(1, missing.code());
        assertEquals(1, missing.err().strip().lines().count(), "one line without --verbose: " + missing.err());
        assertTrue(missing.err().contains(dir.resolve("none").toString()), missing.err());
        for (String[] unknown : new String[][] {{"finetune"}, {"finetune", "--help"}, {"finetune", "-h"}}) {
            CliRunner.Result r = CliRunner.run(unknown);
            assertEquals(2, r.code(), "an unknown sub-command fails, --help or not: " + String.join(" ", unknown));
            assertTrue(r.err().contains("finetune"), r.err());
            assertTrue(r.out().isEmpty(), "no top-level help on standard output: " + r.out());
        }
        CliRunner.Result verbose = CliRunner.run("embed", "--verbose", "--backbone", dir.resolve("none").toString(),
                "--data", images.toString(), "--out", dir.resolve("e.csv").toString());
        assertTrue(verbose.err().contains("\tat "), "a stack trace with --verbose: " + verbose.err());
    }

    /**
     * The first command a new user types: Fashion-MNIST (the jar's sample, 28 px greyscale IDX) without --preset.
     * It used to build the defaults' full-width ResNet-18 at 32 px, batch 256 (8 pairs/s, 12 GB resident on a 2-core
     * AVX2 machine); it now plans the small greyscale preset, says so, and records the choice so that --resume
     * repeats it.
     */
    @Test
    void pretrainWithoutAPresetOnFashionMnistPlansTheSmallPresetAndSaysSo(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("fashion-mnist"));
        for (String name : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"}) {
            try (var in = CliTest.class.getResourceAsStream("/org/byol4j/sample/fashion-mnist/" + name)) {
                Files.copy(in, data.resolve(name));
            }
        }
        CliRunner.Result r = CliRunner.run("pretrain", "--data", data.toString(), "--out", dir.resolve("run")
                .toString(), "--steps", "2", "-o", "batchSize=16");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("No --preset: 1-channel images of 28 px: preset small_greyscale, the recipe"
                + " measured for small images on a CPU (--preset or the option preset chooses another)."), r.out());
        String recorded = Files.readString(dir.resolve("run").resolve(PretrainCommand.RUN_FILE));
        assertTrue(recorded.contains("\"preset\": \"small_greyscale\""), recorded);
        try (Backbone b = Backbone.load(dir.resolve("run").resolve(PretrainCommand.BACKBONE))) {
            assertEquals("resnet18-small-w0.25", b.architecture().name(), "the small preset's network");
            assertEquals(28, b.imageSize());
        }
    }

    /** Joint training from the command line: BYOL + λ × cross-entropy on a class-balanced share of the labels. */
    @Test
    void pretrainWithLabelsTrainsJointlyAndSavesTheHeadWithTheBackbone(@TempDir Path dir) throws IOException {
        Path images = TinyImageFolders.write(dir.resolve("images"), 8, 1);
        Path run = dir.resolve("joint");
        CliRunner.Result r = CliRunner.run(cat(new String[] {"pretrain", "--data", images.toString(), "--out",
            run.toString(), "--steps", "3", "--labels", images.toString(), "--labels-per-class", "4", "-o",
            "supervisedWeight=0.5"}, TINY));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Classifier head (2 classes, trained jointly on 4 per class (8 images, seed 1)"),
                r.out());
        try (Backbone b = Backbone.load(run.resolve(PretrainCommand.BACKBONE))) {
            assertEquals(List.of("bottom-right", "top-left"), b.classifierHead().orElseThrow().classes());
            assertEquals("0.5", b.recipe().get("supervisedWeight"));
            assertTrue(b.recipe().get("labelledImages").startsWith("4 per class"), b.recipe().toString());
        }
        CliRunner.Result without = CliRunner.run(cat(new String[] {"pretrain", "--data", images.toString(),
            "--out", dir.resolve("no-labels").toString(), "--steps", "1", "-o", "supervisedWeight=0.5"}, TINY));
        assertNotEquals(0, without.code());
        assertTrue(without.err().contains("supervisedWeight 0.5 asks for joint training, which needs labelled"
                + " images"), without.err());
        CliRunner.Result share = CliRunner.run(cat(new String[] {"pretrain", "--data", images.toString(),
            "--out", dir.resolve("share").toString(), "--steps", "1", "--label-fraction", "0.5"}, TINY));
        assertNotEquals(0, share.code());
        assertTrue(share.err().contains("need --labels"), share.err());
    }

    @Test
    void helpShowsEverySubCommandAndDefaults() {
        CliRunner.Result top = CliRunner.run("--help");
        assertEquals(0, top.code());
        for (String c : new String[] {"pretrain", "embed", "linear-eval", "knn-eval", "export", "zoo", "demo",
            "fine-tune", "predict"}) {
            assertTrue(top.out().contains(c), c + " missing from:\n" + top.out());
        }
        CliRunner.Result pretrain = CliRunner.run("pretrain", "--help");
        assertTrue(pretrain.out().contains("--checkpoint-every") && pretrain.out().contains("Default: 200"),
                pretrain.out());
    }

    @Test
    void methodOptionsComeFromTheSpi() {
        CliRunner.Result r = CliRunner.run("pretrain", "--out", "unused", "--list-options");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("tauBase") && r.out().contains("checkpointsKept"), r.out());
    }

    @Test
    void pretrainRunsEveryMethodBehindTheSpi(@TempDir Path dir) throws IOException {
        for (String method : new String[] {"simclr", "simsiam"}) {
            Path out = dir.resolve(method);
            CliRunner.Result r = CliRunner.run(cat(new String[] {"pretrain", "--method", method, "--data",
                images.toString(), "--out", out.toString(), "--steps", "4", "--log-every", "2"}, TINY));
            assertEquals(0, r.code(), r.err());
            String metadata = Files.readString(out.resolve("backbone/metadata.json"));
            assertTrue(metadata.contains("\"method\": \"" + method + "\""), metadata);
            List<String> steps = Files.readAllLines(out.resolve(MetricsLog.STEPS));
            assertEquals(MetricsLog.STEP_COLUMNS + ",collapse_std", steps.get(0), "no tau column for a method"
                    + " without a target: " + steps);
            assertTrue(steps.get(2).startsWith("4,"), steps.toString());
            assertTrue(Files.readString(out.resolve(MetricsLog.EPOCHS_JSON)).contains("\"metrics\":{\"collapseStd\""));
        }
        CliRunner.Result options = CliRunner.run("pretrain", "--method", "simclr", "--out", "unused",
                "--list-options");
        assertTrue(options.out().contains("temperature") && !options.out().contains("tauBase"), options.out());
    }

    @Test
    void optionsCanComeFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("knn.options");
        Files.writeString(file, "--backbone " + run.resolve("backbone") + "\n--train " + images + "\n--k 3\n");
        CliRunner.Result r = CliRunner.run("knn-eval", "@" + file, "--train-images", "30");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("kNN-3 accuracy"), r.out());
    }
}
