package org.byol4j.pretrain;

import static org.byol4j.method.PretrainingConfig.IMAGE_SIZE;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.byol4j.data.ImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.options.OptionValues;

/**
 * The preset a run that names none starts from, chosen from its images: {@code small_greyscale} for 1-channel images,
 * {@code small_colour} for 3-channel ones (every method registered by byol4j has both), trained at the images' own
 * side when it differs from the preset's, within [{@value #SMALLEST_SIDE}, {@value #LARGEST_SIDE}] px. The small
 * presets are what this project measured on a 2-core CPU (docs/RECIPE.md); the shared defaults (a full-width
 * ResNet-18 at 32 px, 3 channels, batch 256) ran on Fashion-MNIST at 8 pairs/s with 12 GB resident on a 2-core AVX2
 * machine, where the small preset runs at 220–600. A method without these presets gets no choice (its defaults).
 *
 * @param preset the preset's name
 * @param imageSize the side to train at, or 0 for the preset's own
 * @param channels the images' channels
 * @param side the largest shorter side among the images looked at
 * @param presetSide the preset's own image side
 */
public record PresetChoice(String preset, int imageSize, int channels, int side, int presetSide) {

    /** Larger images are trained at this side: the small presets' networks at a cost a CPU can carry (not measured). */
    public static final int LARGEST_SIDE = 64;
    /** Smaller images are upsampled to this side, so that the ResNets' three downsamplings leave a 2 × 2 map. */
    public static final int SMALLEST_SIDE = 16;
    /** Images looked at for their size. */
    private static final int SAMPLED = 8;

    /**
     * @param images the run's images
     * @param presets the method's preset names
     * @param presetOptions a preset's option values, by preset name
     * @return the choice, or empty when the method has no preset for the images' channel count
     */
    public static Optional<PresetChoice> of(ImageSource images, List<String> presets,
            Function<String, OptionValues<?>> presetOptions) {
        int channels = images.channels();
        String name = channels == 1 ? "small_greyscale" : "small_colour";
        if (!presets.contains(name) || images.size() == 0) {
            return Optional.empty();
        }
        int looked = Math.min(SAMPLED, images.size());
        int stride = images.size() / looked;
        int side = 0;
        for (int i = 0; i < looked; i++) {
            PixelImage img = images.image(i * stride);
            side = Math.max(side, Math.min(img.height(), img.width()));
        }
        int presetSide = presetOptions.apply(name).get(IMAGE_SIZE);
        int size = Math.max(SMALLEST_SIDE, Math.min(LARGEST_SIDE, side));
        return Optional.of(new PresetChoice(name, size == presetSide ? 0 : size, channels, side, presetSide));
    }

    /**
     * @param options the user's options
     * @return one line saying what was chosen and why, for the user
     */
    public String describe(Map<String, String> options) {
        boolean resized = imageSize > 0 && !options.containsKey(IMAGE_SIZE.name());
        return String.format(Locale.ROOT, "%d-channel images of %d px: preset %s%s, the recipe measured for small"
                + " images on a CPU (--preset or the option preset chooses another)", channels, side, preset,
                resized ? " at " + imageSize + " px instead of its " + presetSide : "");
    }

    /**
     * @param options the user's options (they win over the choice)
     * @return the options with the chosen preset, and the chosen side unless the user set {@code imageSize}
     */
    public Map<String, String> applyTo(Map<String, String> options) {
        Map<String, String> out = new LinkedHashMap<>(options);
        out.put(PretrainingProvider.PRESET, preset);
        if (imageSize > 0) {
            out.putIfAbsent(IMAGE_SIZE.name(), Integer.toString(imageSize));
        }
        return out;
    }
}
