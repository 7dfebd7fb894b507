package org.byol4j.bench;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.byol4j.backbone.Backbone;
import org.byol4j.backbone.HasBackbone;
import org.byol4j.data.IdxImageSource;
import org.byol4j.tribuo.EmbeddingDataSource;
import org.byol4j.tribuo.LinearEvaluation;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;

/**
 * Is the quality bench's judge the limit? On one shipped zoo backbone (all 60,000 / 10,000 Fashion-MNIST images):
 * LibLinear's logistic regression at several costs C and a tighter stopping tolerance than the bench's (C = 1,
 * ε = 0.01), then the same probe after re-estimating every BatchNorm's running statistics on clean training
 * images (the pretraining left them estimated on augmented views). Usage: {@code bench/run judge [--artifact ID |
 * --backbone FOLDER] [--costs C:EPS,...] [--recalibrate-batches N]} (a saved backbone folder instead of a zoo
 * artefact; 0 batches skips the re-estimation).
 */
public final class JudgeBench {

    private static final int BATCH = 500;

    private JudgeBench() {}

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        String artifact = opts.getOrDefault("--artifact", "byol-resnet18-fmnist");
        String costs = opts.getOrDefault("--costs", "1:0.01,1:0.0001,10:0.0001,0.1:0.0001,0.01:0.0001");
        int batches = Integer.parseInt(opts.getOrDefault("--recalibrate-batches", "60"));
        Path dir = Path.of(opts.getOrDefault("--data", "/usr/share/datasets/fashion-mnist"));
        IdxImageSource train = QualityBench.fashionMnist(dir, "train");
        IdxImageSource test = QualityBench.fashionMnist(dir, "t10k");
        if (opts.containsKey("--backbone")) {
            try (Backbone b = Backbone.load(Path.of(opts.get("--backbone")))) {
                judge(b, opts.get("--backbone"), costs, batches, train, test);
            }
            return;
        }
        Criteria<Image, float[]> criteria = Criteria.builder().setTypes(Image.class, float[].class)
                .optGroupId("org.byol4j").optArtifactId(artifact).build();
        try (ZooModel<Image, float[]> model = criteria.loadModel()) {
            judge(HasBackbone.of(model), artifact, costs, batches, train, test);
        }
    }

    private static void judge(Backbone b, String name, String costs, int batches, IdxImageSource train,
            IdxImageSource test) {
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> tr = new MutableDataset<>(new EmbeddingDataSource<>(train, b, labels, BATCH));
        MutableDataset<Label> te = new MutableDataset<>(new EmbeddingDataSource<>(test, b, labels, BATCH));
        System.out.printf(Locale.ROOT, "%s (%d-d), 60,000 / 10,000 images, standardised features%n", name,
                b.featureDim());
        for (String s : costs.split(",")) {
            String[] ce = s.split(":");
            double c = Double.parseDouble(ce[0]);
            double eps = Double.parseDouble(ce[1]);
            System.out.printf(Locale.ROOT, "  LibLinear L2R_LR C %-6s eps %-7s %s%n", ce[0], ce[1],
                    probe(tr, te, c, eps));
        }
        if (batches > 0) {
            recalibrate(b, train, batches);
            tr = new MutableDataset<>(new EmbeddingDataSource<>(train, b, labels, BATCH));
            te = new MutableDataset<>(new EmbeddingDataSource<>(test, b, labels, BATCH));
            System.out.printf(Locale.ROOT, "  BatchNorm statistics re-estimated on %d x %d clean training images:"
                    + " C 1 eps 0.01 %s%n", batches, BATCH, probe(tr, te, 1, 0.01));
        }
    }

    private static String probe(MutableDataset<Label> train, MutableDataset<Label> test, double cost, double eps) {
        long t0 = System.nanoTime();
        LibLinearClassificationTrainer trainer = new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), cost, 10000, eps, 0);
        double acc = new LinearEvaluation(trainer).run(train, test).accuracy();
        return String.format(Locale.ROOT, "%.2f %% (%.0f s)", 100 * acc, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Training-mode forward passes over random batches of un-augmented training images: each BatchNorm's running
     * statistics move towards those of clean images (momentum 0.9, so after 60 batches the old ones weigh 0.2 %).
     */
    private static void recalibrate(Backbone b, IdxImageSource images, int batches) {
        int c = b.architecture().inputChannels();
        int side = b.imageSize();
        int per = c * side * side;
        Random random = new Random(1);
        NDManager owner = b.block().getParameters().valueAt(0).getArray().getManager();
        for (int k = 0; k < batches; k++) {
            float[] batch = new float[BATCH * per];
            for (int i = 0; i < BATCH; i++) {
                b.preprocess(images.image(random.nextInt(images.size()))).copyTo(batch, i * per);
            }
            try (NDManager step = owner.newSubManager()) {
                NDArray x = step.create(batch, new Shape(BATCH, c, side, side));
                b.block().forward(new ParameterStore(step, false), new NDList(x), true);
            }
        }
    }
}
