package org.byol4j.bench;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.zoo.BackboneZooModel;

/**
 * {@code bench/run embed}: embedding throughput of a zoo backbone (no gradients, inference BatchNorm) on the
 * 10,000 Fashion-MNIST test images, against a PyTorch reference of the same network with the same weights in the
 * same run ({@code bench/compare/embed_ref.py}, Debian's {@code python3-torch}, run after byol4j, never at the same
 * time). Reports, best of {@code --rounds} after one warm-up pass: {@code Backbone.embed} end to end at each batch
 * size ({@code --batches}); a {@code Predictor.batchPredict} through {@code Criteria}; the forward pass alone at
 * {@code --batch}, through the trained block (BatchNorm as its own pass) and through the backbone's inference block
 * (BatchNorm folded into the convolutions); PyTorch eager, eager channels-last and TorchScript frozen for inference
 * under {@code torch.inference_mode()}; and the largest differences between the embeddings. Options:
 * {@code --artifact byol-resnet18-fmnist}, {@code --data DIR}, {@code --batches 100,250,500,1000},
 * {@code --batch 500}, {@code --rounds 3}, {@code --python /usr/bin/python3} (or {@code none}), {@code --json F}.
 */
public final class EmbedBench {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final int COMPARED = 1000;

    private EmbedBench() {}

    /**
     * @param args see the class documentation
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--artifact", "byol-resnet18-fmnist", "--data",
                "/usr/share/datasets/fashion-mnist", "--batches", "100,250,500,1000", "--batch", "500", "--rounds",
                "3", "--python", "/usr/bin/python3"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!o.containsKey(args[i]) && !args[i].equals("--json")) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + o.keySet() + ", --json");
            }
            o.put(args[i], args[i + 1]);
        }
        Path dir = Path.of(o.get("--data"));
        Path idx = dir.resolve("t10k-images-idx3-ubyte.gz");
        IdxImageSource test = IdxImageSource.labelled(idx, dir.resolve("t10k-labels-idx1-ubyte.gz"),
                IdxImageSource.FASHION_MNIST_CLASSES, 0);
        int rounds = Integer.parseInt(o.get("--rounds"));
        int batch = Integer.parseInt(o.get("--batch"));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("config", o);
        report.put("machine", QualityBench.machine());
        Criteria<PixelImage, float[]> criteria = Criteria.builder().setTypes(PixelImage.class, float[].class)
                .optGroupId("org.byol4j").optArtifactId(o.get("--artifact")).build();
        Path scratch = Files.createTempDirectory("byol4j-embed-bench");
        try (ZooModel<PixelImage, float[]> zoo = criteria.loadModel();
                Predictor<PixelImage, float[]> predictor = zoo.newPredictor()) {
            Backbone backbone = ((BackboneZooModel<?, ?>) zoo).backbone();
            backbone.embed(test, batch); // warm-up: allocator pools, JIT
            System.out.printf(Locale.ROOT, "%s (%s), %d test images at %d x %d, %d cores, %s, best of %d%n",
                    o.get("--artifact"), backbone.architecture().name(), test.size(), backbone.imageSize(),
                    backbone.imageSize(), Runtime.getRuntime().availableProcessors(),
                    QualityBench.machine().get("isa"), rounds);
            Map<String, Double> embed = new LinkedHashMap<>();
            for (String b : o.get("--batches").split(",")) {
                int size = Integer.parseInt(b.trim());
                embed.put(Integer.toString(size), best(rounds, test.size(), () -> backbone.embed(test, size)));
            }
            report.put("embed_images_per_second_by_batch", embed);
            List<PixelImage> images = new ArrayList<>(test.size());
            for (int i = 0; i < test.size(); i++) {
                images.add(test.image(i));
            }
            Map<String, Double> ours = new LinkedHashMap<>();
            ours.put("criteria_batch_predict", best(rounds, test.size(), () -> {
                for (int start = 0; start < images.size(); start += batch) {
                    predictor.batchPredict(images.subList(start, Math.min(images.size(), start + batch)));
                }
                return null;
            }));
            float[] pixels = preprocessed(backbone, images);
            ours.put("forward_trained_block", forwardRate(backbone, backbone.block(), pixels, batch, rounds));
            ours.put("forward_inference_block", forwardRate(backbone, backbone.inferenceBlock(), pixels, batch,
                    rounds));
            report.put("byol4j_images_per_second", ours);
            float[] folded = forward(backbone, backbone.inferenceBlock(), pixels, COMPARED);
            float[] plain = forward(backbone, backbone.block(), pixels, COMPARED);
            report.put("max_abs_diff_folded_vs_trained_block", maxAbsDiff(folded, plain));
            report.put("max_abs_embedding", maxAbs(plain));

            JsonObject torch = null;
            if (!o.get("--python").equals("none")) {
                Path params = scratch.resolve("params.bin");
                Path embeddings = scratch.resolve("embeddings.bin");
                writeParameters(backbone.block(), params);
                writeFloats(plain, embeddings);
                torch = pytorch(o.get("--python"), backbone, params, idx, embeddings, batch, rounds);
                report.put("pytorch", GSON.fromJson(torch, Map.class));
            }
            print(o, embed, ours, torch, report);
        } finally {
            try (var files = Files.list(scratch)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(scratch);
        }
        Path json = Path.of(o.getOrDefault("--json", "bench/results/embed-" + Instant.now().toString()
                .replace(':', '-').substring(0, 19) + ".json"));
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, GSON.toJson(report), StandardCharsets.UTF_8);
        System.out.println("written to " + json);
    }

    private static void print(Map<String, String> o, Map<String, Double> embed, Map<String, Double> ours,
            JsonObject torch, Map<String, Object> report) {
        System.out.println("| batch | Backbone.embed, images/s |");
        System.out.println("|---|---|");
        embed.forEach((b, rate) -> System.out.printf(Locale.ROOT, "| %s | %.0f |%n", b, rate));
        double eager = torch == null ? Double.NaN : torch.get("eager").getAsDouble();
        System.out.printf(Locale.ROOT, "%nbatch %s | images/s | × PyTorch eager%n", o.get("--batch"));
        System.out.println("|---|---|---|");
        List<Pair<String, Double>> rows = new ArrayList<>();
        rows.add(new Pair<>("byol4j Predictor.batchPredict (Criteria, from images)", ours.get("criteria_batch_predict")));
        rows.add(new Pair<>("byol4j forward, trained block (BatchNorm passes)", ours.get("forward_trained_block")));
        rows.add(new Pair<>("byol4j forward, inference block (BatchNorm folded)", ours.get("forward_inference_block")));
        if (torch != null) {
            rows.add(new Pair<>("PyTorch eager, inference_mode", eager));
            rows.add(new Pair<>("PyTorch eager channels-last", torch.get("eager_channels_last").getAsDouble()));
            rows.add(new Pair<>("PyTorch TorchScript frozen + optimize_for_inference",
                    torch.get("torchscript_frozen").getAsDouble()));
        }
        for (Pair<String, Double> row : rows) {
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f |%n", row.getKey(), row.getValue(),
                    row.getValue() / eager);
        }
        System.out.printf(Locale.ROOT, "%nlargest |embedding| %.3g; folded vs trained block %.3g",
                (double) report.get("max_abs_embedding"), (double) report.get("max_abs_diff_folded_vs_trained_block"));
        if (torch != null) {
            System.out.printf(Locale.ROOT, "; PyTorch vs byol4j (trained block) %.3g over %d images",
                    torch.get("max_abs_diff").getAsDouble(), torch.get("compared").getAsInt());
        }
        System.out.println();
    }

    /** Images per second of the best of {@code rounds} runs of {@code work} over {@code count} images. */
    private static double best(int rounds, int count, java.util.concurrent.Callable<?> work) throws Exception {
        double best = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            work.call();
            best = Math.max(best, count / ((System.nanoTime() - t0) / 1e9));
        }
        return best;
    }

    private static float[] preprocessed(Backbone backbone, List<PixelImage> images) {
        int per = backbone.architecture().inputChannels() * backbone.imageSize() * backbone.imageSize();
        float[] all = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            backbone.preprocess(images.get(i)).copyTo(all, i * per);
        }
        return all;
    }

    /** The forward pass alone over already preprocessed pixels, {@code batch} images at a time. */
    private static double forwardRate(Backbone backbone, Block block, float[] pixels, int batch, int rounds)
            throws Exception {
        int per = backbone.architecture().inputChannels() * backbone.imageSize() * backbone.imageSize();
        int count = pixels.length / per;
        forward(backbone, block, pixels, count); // warm-up
        try (NDManager manager = OfflineEngine.get().newBaseManager()) {
            return best(rounds, count, () -> {
                for (int start = 0; start < count; start += batch) {
                    int n = Math.min(batch, count - start);
                    try (NDManager step = manager.newSubManager()) {
                        NDArray x = step.create(java.util.Arrays.copyOfRange(pixels, start * per, (start + n) * per),
                                inputShape(backbone, n));
                        block.forward(new ParameterStore(step, false), new NDList(x), false).singletonOrThrow()
                                .toFloatArray();
                    }
                }
                return null;
            });
        }
    }

    /** Embeddings of the first {@code count} images through {@code block}, in one pass. */
    private static float[] forward(Backbone backbone, Block block, float[] pixels, int count) {
        int per = backbone.architecture().inputChannels() * backbone.imageSize() * backbone.imageSize();
        try (NDManager step = OfflineEngine.get().newBaseManager()) {
            NDArray x = step.create(java.util.Arrays.copyOfRange(pixels, 0, count * per), inputShape(backbone, count));
            return block.forward(new ParameterStore(step, false), new NDList(x), false).singletonOrThrow()
                    .toFloatArray();
        }
    }

    private static Shape inputShape(Backbone backbone, int n) {
        return new Shape(n, backbone.architecture().inputChannels(), backbone.imageSize(), backbone.imageSize());
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** The block's parameters for embed_ref.py: a JSON line of [name, shape] in order, then float32 LE values. */
    private static void writeParameters(Block block, Path file) throws IOException {
        List<Object[]> header = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            header.add(new Object[] {p.getKey(), p.getValue().getArray().getShape().getShape()});
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            out.write((new Gson().toJson(header) + "\n").getBytes(StandardCharsets.UTF_8));
            for (Pair<String, Parameter> p : block.getParameters()) {
                writeFloats(p.getValue().getArray().toFloatArray(), out);
            }
        }
    }

    private static void writeFloats(float[] values, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            writeFloats(values, out);
        }
    }

    private static void writeFloats(float[] values, OutputStream out) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        out.write(bytes.array());
    }

    private static JsonObject pytorch(String python, Backbone backbone, Path params, Path idx, Path embeddings,
            int batch, int rounds) throws IOException, InterruptedException {
        return PythonReference.run(python, "embed_ref.py", backbone.architecture().name(),
                Integer.toString(backbone.architecture().inputChannels()), params.toString(), idx.toString(),
                embeddings.toString(), Integer.toString(Runtime.getRuntime().availableProcessors()),
                Integer.toString(batch), Integer.toString(rounds));
    }
}
