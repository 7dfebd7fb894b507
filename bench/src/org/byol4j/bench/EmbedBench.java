package org.byol4j.bench;

import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.zoo.BackboneZooModel;

/**
 * {@code bench/run embed}: embedding throughput of the shipped CPU zoo backbone (no gradients, batched, inference
 * BatchNorm), the figure the speed issue's target (≥ 2,000 images/s at 28 × 28 on 2 cores) is about. Embeds the
 * 10,000 Fashion-MNIST test images at each batch size, best of {@code --rounds 3}, after one warm-up pass, and
 * reports images per second. Options: {@code --artifact byol-resnet20-fmnist}, {@code --data DIR},
 * {@code --batches 100,250,500,1000}.
 */
public final class EmbedBench {

    private EmbedBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        Path dir = Path.of(o.getOrDefault("--data", "/usr/share/datasets/fashion-mnist"));
        IdxImageSource test = IdxImageSource.labelled(dir.resolve("t10k-images-idx3-ubyte.gz"),
                dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxImageSource.FASHION_MNIST_CLASSES, 0);
        int rounds = Integer.parseInt(o.getOrDefault("--rounds", "3"));
        Criteria<PixelImage, float[]> criteria = Criteria.builder().setTypes(PixelImage.class, float[].class)
                .optGroupId("org.byol4j").optArtifactId(o.getOrDefault("--artifact", "byol-resnet20-fmnist")).build();
        try (ZooModel<PixelImage, float[]> zoo = criteria.loadModel()) {
            Backbone backbone = ((BackboneZooModel<?, ?>) zoo).backbone();
            backbone.embed(test, 500); // warm-up: allocator pools, JIT
            System.out.printf(Locale.ROOT, "%s, %d test images at %d x %d, %d cores, best of %d%n",
                    backbone.architecture().name(), test.size(), backbone.imageSize(), backbone.imageSize(),
                    Runtime.getRuntime().availableProcessors(), rounds);
            System.out.println("| batch | images/s |");
            System.out.println("|---|---|");
            for (String b : o.getOrDefault("--batches", "100,250,500,1000").split(",")) {
                int batch = Integer.parseInt(b.trim());
                double best = 0;
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    backbone.embed(test, batch);
                    best = Math.max(best, test.size() / ((System.nanoTime() - t0) / 1e9));
                }
                System.out.printf(Locale.ROOT, "| %d | %.0f |%n", batch, best);
            }
        }
    }
}
