package org.byol4j.simclr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.byol4j.pretrain.Presets;

/**
 * Named starting points for a {@link SimClrConfig}: {@code SimClrConfig.builder(SimClrPreset.SMALL_GREYSCALE)}, or
 * option {@code preset=small_greyscale} through the SPI; any field can then be overridden.
 */
public enum SimClrPreset {

    /**
     * The paper's ImageNet recipe (Chen et al. 2020, §B.1): ResNet-50 at 224 px, batch 4096, LARS with base learning
     * rate 0.3 (× batch / 256), 10 warm-up epochs then cosine decay, weight decay 1e-6, temperature 0.1, projector
     * 2048 → 128, colour strength 1.0, crops down to 8 %, 100 epochs.
     */
    PAPER_IMAGENET(Map.ofEntries(Map.entry("backbone", "resnet50-imagenet-w1"), Map.entry("inputChannels", "3"),
            Map.entry("imageSize", "224"), Map.entry("cropScaleMin", "0.08"), Map.entry("projectorHidden", "2048"),
            Map.entry("projectorOutput", "128"), Map.entry("batchSize", "4096"), Map.entry("epochs", "100"),
            Map.entry("optimiser", "LARS"), Map.entry("baseLearningRate", "0.3"), Map.entry("warmupEpochs", "10"),
            Map.entry("weightDecay", "1e-6"), Map.entry("momentum", "0.9"), Map.entry("trustCoefficient", "0.001"),
            Map.entry("temperature", "0.1"), Map.entry("colourStrength", "1.0"))),

    /**
     * Small greyscale images (28 × 28 × 1) on a CPU, with the run settings of BYOL's small presets (ResNet-20,
     * batch 128, crops to 20 %, derived warm-up, schedules stretched over 4 × K, LARS at base learning rate 0.2 with
     * trust coefficient 0.02: BYOL's docs/RECIPE.md decision 18, the product 0.004 measured for BYOL with weight
     * matrices' steps and the paper's rate for biases and BatchNorm γ/β, which LARS does not adapt), SimCLR's CIFAR
     * temperature 0.5 and colour strength 0.5, projector 1024 → 128. Not tuned for SimCLR.
     */
    SMALL_GREYSCALE(small("resnet20-small-w1", 1, 28)),

    /** Small colour images (32 × 32 × 3): as {@link #SMALL_GREYSCALE} with a quarter-width ResNet-18. */
    SMALL_COLOUR(small("resnet18-small-w0.25", 3, 32));

    private final Map<String, String> options;

    SimClrPreset(Map<String, String> options) {
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    private static Map<String, String> small(String backbone, int channels, int size) {
        Map<String, String> m = Presets.smallImages(backbone, channels, size);
        m.put("projectorHidden", "1024");
        m.put("projectorOutput", "128");
        m.put("optimiser", "LARS");
        m.put("baseLearningRate", "0.2");
        m.put("weightDecay", "1e-6");
        m.put("momentum", "0.9");
        m.put("trustCoefficient", "0.02");
        m.put("temperature", "0.5");
        m.put("colourStrength", "0.5");
        return m;
    }

    /** @return the {@code @Config} field values this preset sets, by field name */
    public Map<String, String> options() {
        return options;
    }
}
