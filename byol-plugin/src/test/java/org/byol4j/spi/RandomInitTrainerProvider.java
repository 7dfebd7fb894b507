package org.byol4j.spi;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.ImageSource;
import org.byol4j.nn.ResNet;

/**
 * A second, trivial method registered from the test classpath (and shipped in byol-plugin's test jar) to prove
 * the SPI is open: {@code random-init} "trains" by returning a freshly initialised backbone, the baseline
 * every pretraining method should beat.
 */
public final class RandomInitTrainerProvider implements RepresentationTrainerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public RandomInitTrainerProvider() {}

    @Override
    public String name() {
        return "random-init";
    }

    @Override
    public String description() {
        return "a randomly initialised backbone (baseline; test provider)";
    }

    @Override
    public List<OptionDescription> options() {
        return List.of(new OptionDescription("backbone", "text", "resnet20-small-w0.25", "Architecture name."),
                new OptionDescription("imageSize", "int", "28", "Input side in pixels."));
    }

    @Override
    public RepresentationTrainer create(Map<String, String> options) {
        Map<String, String> o = new HashMap<>(Map.of("backbone", "resnet20-small-w0.25", "imageSize", "28"));
        for (String key : options.keySet()) {
            if (!Set.of("backbone", "imageSize").contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "'; known: backbone, imageSize");
            }
        }
        o.putAll(options);
        String arch = o.get("backbone");
        int size = Integer.parseInt(o.get("imageSize"));
        return new RepresentationTrainer() {
            @Override
            public String name() {
                return "random-init";
            }

            @Override
            public Backbone train(ImageSource images, PretrainingListener listener) {
                return Backbone.randomInit(ResNet.parse(arch, images.channels()), size, 0);
            }
        };
    }
}
