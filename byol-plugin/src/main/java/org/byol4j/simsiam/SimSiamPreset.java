package org.byol4j.simsiam;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.byol4j.pretrain.Presets;

/**
 * Named starting points for a {@link SimSiamConfig}: {@code SimSiamConfig.builder(SimSiamPreset.SMALL_GREYSCALE)},
 * or option {@code preset=small_greyscale} through the SPI; any field can then be overridden.
 */
public enum SimSiamPreset {

    /**
     * The paper's ImageNet recipe (Chen &amp; He 2021, §4): ResNet-50 at 224 px, batch 512, SGD with base learning
     * rate 0.05 (× batch / 256), momentum 0.9, weight decay 1e-4, cosine decay without warm-up, 100 epochs,
     * projector 2048 → 2048, predictor bottleneck 512. (The paper's projector has three layers; byol4j's has the
     * two of its CIFAR experiments.)
     */
    PAPER_IMAGENET(Map.ofEntries(Map.entry("backbone", "resnet50-imagenet-w1"), Map.entry("inputChannels", "3"),
            Map.entry("imageSize", "224"), Map.entry("cropScaleMin", "0.2"), Map.entry("projectorHidden", "2048"),
            Map.entry("projectorOutput", "2048"), Map.entry("predictorHidden", "512"), Map.entry("batchSize", "512"),
            Map.entry("epochs", "100"), Map.entry("optimiser", "SGD"), Map.entry("baseLearningRate", "0.05"),
            Map.entry("warmupEpochs", "0"), Map.entry("weightDecay", "1e-4"), Map.entry("momentum", "0.9"))),

    /**
     * Small greyscale images (28 × 28 × 1) on a CPU, with the run settings of BYOL's small presets (ResNet-20,
     * batch 128, crops to 20 %, derived warm-up, schedules stretched over 4 × K) and SimSiam's CIFAR heads scaled to
     * the 64-d features: projector 1024 → 1024, predictor bottleneck 256, weight decay 5e-4 (its CIFAR value), SGD
     * base learning rate 0.06: twice the paper's CIFAR base rate (0.03 × batch / 256), as BYOL's small presets
     * learn faster with a larger step in a short run. Not tuned for SimSiam.
     */
    SMALL_GREYSCALE(small("resnet20-small-w1", 1, 28)),

    /** Small colour images (32 × 32 × 3): as {@link #SMALL_GREYSCALE} with a quarter-width ResNet-18. */
    SMALL_COLOUR(small("resnet18-small-w0.25", 3, 32));

    private final Map<String, String> options;

    SimSiamPreset(Map<String, String> options) {
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    private static Map<String, String> small(String backbone, int channels, int size) {
        Map<String, String> m = Presets.smallImages(backbone, channels, size);
        m.put("projectorHidden", "1024");
        m.put("projectorOutput", "1024");
        m.put("predictorHidden", "256");
        m.put("optimiser", "SGD");
        m.put("baseLearningRate", "0.06");
        m.put("weightDecay", "5e-4");
        m.put("momentum", "0.9");
        return m;
    }

    /** @return the {@code @Config} field values this preset sets, by field name */
    public Map<String, String> options() {
        return options;
    }
}
