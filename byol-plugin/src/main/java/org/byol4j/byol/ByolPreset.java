package org.byol4j.byol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.byol4j.pretrain.Presets;

/**
 * Named starting points for a {@link ByolConfig}: {@code ByolConfig.builder(ByolPreset.SMALL_GREYSCALE)}, or
 * option {@code preset=small_greyscale} through the SPI; any field can then be overridden. Each preset is a map
 * of {@code @Config} field values, so it prints, documents and applies the same way everywhere.
 */
public enum ByolPreset {

    /**
     * The paper's ImageNet recipe (Grill et al. 2020, §3.3 and appendix C): ResNet-50 at 224 px, projector and
     * predictor 4096 → 256, batch 4096, LARS base lr 0.2 with 10 warm-up epochs, weight decay 1.5e-6,
     * τ_base 0.996, 1,000 epochs, crops down to 8 % of the image. A GPU cluster recipe.
     */
    PAPER_IMAGENET(Map.ofEntries(Map.entry("backbone", "resnet50-imagenet-w1"), Map.entry("inputChannels", "3"),
            Map.entry("imageSize", "224"), Map.entry("cropScaleMin", "0.08"), Map.entry("projectorHidden", "4096"),
            Map.entry("projectorOutput", "256"), Map.entry("batchSize", "4096"), Map.entry("epochs", "1000"),
            Map.entry("optimiser", "LARS"), Map.entry("baseLearningRate", "0.2"), Map.entry("warmupEpochs", "10"),
            Map.entry("weightDecay", "1.5e-6"), Map.entry("momentum", "0.9"), Map.entry("trustCoefficient", "0.001"),
            Map.entry("tauBase", "0.996"))),

    /**
     * Small greyscale images such as Fashion-MNIST (28 × 28 × 1), sized for a CPU: a quarter-width ResNet-18 with
     * the small-image stem (128-d features; measured: 1.2 points of linear accuracy over ResNet-20 at about equal
     * wall time, both seeds, and 1.09× its step rate), projector 1024 → 256, batch 128, training views at 0.72 of
     * the image side, 20 px of 28 (measured: twice the steps per minute and +1.2 points of linear accuracy in a
     * 10-minute budget, both seeds; 16 px was no better and diverged once), LARS with the paper's base lr 0.2 and
     * trust coefficient 0.02 (weight matrices take the steps of base lr 4.0 at trust 0.001, which beat 2.0 by 1.3
     * points, both seeds; BatchNorm parameters and biases, which LARS does not adapt, keep the paper's rate instead
     * of a 20 × larger one under which a BatchNorm γ ran away in three runs), crops down to 35 % of the image
     * (measured: +0.7 points over 20 % at 1,200 steps, both seeds; 8 % of 28 px would be an 8 × 8 crop), the
     * paper's blur (σ up to 2 px; 0.25 px lost 5 points), warm-up and τ_base derived from the run length
     * ({@link org.byol4j.pretrain.RunLength}, {@link TauRule}), and schedules stretched over 4 × K (measured: +2.0
     * points over full annealing at 1,030 steps, both seeds). The measurements are in docs/RECIPE.md.
     */
    SMALL_GREYSCALE(small("resnet18-small-w0.25", 1, 28)),

    /**
     * Small colour images such as CIFAR-10 (32 × 32 × 3): as {@link #SMALL_GREYSCALE}, with 23 px colour views of
     * 32 px images (the same 0.72 of the side; not measured on colour images here).
     */
    SMALL_COLOUR(small("resnet18-small-w0.25", 3, 32));

    private final Map<String, String> options;

    ByolPreset(Map<String, String> options) {
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    private static Map<String, String> small(String backbone, int channels, int size) {
        Map<String, String> m = Presets.smallImages(backbone, channels, size);
        m.put("projectorHidden", "1024");
        m.put("projectorOutput", "256");
        m.put("optimiser", "LARS");
        m.put("baseLearningRate", "0.2");
        m.put("weightDecay", "1.5e-6");
        m.put("momentum", "0.9");
        m.put("trustCoefficient", "0.02");
        m.put("tauBase", "-1");
        m.put("cropScaleMin", "0.35");
        m.put("viewScale", "0.72");
        return m;
    }

    /** @return the {@code @Config} field values this preset sets, by field name */
    public Map<String, String> options() {
        return options;
    }

    /**
     * @param name a preset name, any case ({@code small_greyscale}, {@code SMALL-GREYSCALE})
     * @return the preset
     * @throws IllegalArgumentException listing the presets when none has that name
     */
    public static ByolPreset of(String name) {
        return Presets.of(values(), name);
    }
}
