package org.byol4j.pretrain;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.byol4j.data.ImageSource;
import org.byol4j.method.Preset;
import org.byol4j.method.Presets;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.options.InvalidOptionException;
import org.byol4j.options.Option;
import org.byol4j.options.OptionValues;
import org.byol4j.spi.OptionDescription;
import org.byol4j.spi.RepresentationTrainer;
import org.byol4j.spi.RepresentationTrainerProvider;

/**
 * The part of a {@link RepresentationTrainerProvider} that every {@link PretrainingConfig}-based method shares: its
 * options are the config's {@link org.byol4j.options.Option}s (the recipe), {@code preset} (a named recipe the other
 * options override) and the {@link RunSettings}, which say only how to run it. A method's provider only names
 * itself, its config and its presets.
 */
public abstract class PretrainingProvider<C extends PretrainingConfig> implements RepresentationTrainerProvider {

    static final String PRESET = "preset";
    /** The {@code preset} value that starts from the method's own defaults, with no choice from the data. */
    public static final String NO_PRESET = "none";

    private final String name;
    private final String description;
    private final Supplier<C> configs;
    private final List<String> presetNames;
    private final Function<String, OptionValues<C>> presets;

    /**
     * For subclasses, whose public no-argument constructors {@link java.util.ServiceLoader} calls.
     *
     * @param name the method's name, e.g. {@code byol}
     * @param description one line saying what the method is, with its reference
     * @param configs makes a config holding the method's defaults
     * @param presets the method's named recipes (an enum's constants)
     * @param <E> the preset enum
     */
    protected <E extends Enum<E> & Preset<C>> PretrainingProvider(String name, String description,
            Supplier<C> configs, E[] presets) {
        this.name = name;
        this.description = description;
        this.configs = configs;
        this.presetNames = Presets.names(presets);
        this.presets = preset -> Presets.of(presets, preset).settings();
    }

    /** {@inheritDoc} */
    @Override
    public final String name() {
        return name;
    }

    /** @return the names of the method's presets, e.g. {@code small_greyscale} */
    public final List<String> presetNames() {
        return presetNames;
    }

    /**
     * @param preset a preset's name, any case
     * @return the option values it sets
     * @throws IllegalArgumentException listing the presets when the method has none of that name
     */
    public final OptionValues<C> preset(String preset) {
        return presets.apply(preset);
    }

    /** {@inheritDoc} */
    @Override
    public final String description() {
        return description;
    }

    /** {@inheritDoc} */
    @Override
    public List<OptionDescription> options() {
        List<OptionDescription> out = new ArrayList<>();
        out.add(new OptionDescription(PRESET, "one of " + String.join(", ", presetNames) + ", or " + NO_PRESET,
                "chosen from the images", "A named recipe to start from; the other options override its values."
                        + " Unset, the small greyscale or colour preset that fits the images is chosen when training"
                        + " starts; " + NO_PRESET + " starts from the method's own defaults."));
        PretrainingConfig defaults = configs.get();
        for (Option<?, ?> o : defaults.declaredOptions().list()) {
            out.add(describe(o, defaults.get(o)));
        }
        for (Option<?, ?> o : RunSettings.options().list()) {
            out.add(describe(o, o.defaultValue()));
        }
        return out;
    }

    private static OptionDescription describe(Option<?, ?> option, Object defaultValue) {
        String shown = option.format(defaultValue);
        return new OptionDescription(option.name(), option.typeName(), shown.isEmpty() ? "none" : shown,
                option.description());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Without a {@code preset} option the trainer chooses one from the images it trains on ({@link PresetChoice}:
     * the method's small greyscale or colour preset, at the images' side), with these options over it; it logs what
     * it chose and why. {@code preset=none} starts from the method's own defaults.
     */
    @Override
    public RepresentationTrainer create(Map<String, String> options) {
        Pretrainer validated = pretrainer(options);
        String preset = options.get(PRESET);
        return preset == null || preset.isBlank() ? new DataAwarePretrainer(this, options) : validated;
    }

    /**
     * @param images a run's images
     * @return the preset a run on them without one starts from ({@link PresetChoice}), if the method has one that fits
     */
    public Optional<PresetChoice> presetFor(ImageSource images) {
        return PresetChoice.of(images, presetNames, presets::apply);
    }

    /**
     * @param options the recipe's options, {@code preset} (optional: without it, or {@value #NO_PRESET}, the
     *     method's defaults) and the run settings
     * @return the trainer they configure
     * @throws IllegalArgumentException naming an unknown option or an invalid value
     */
    Pretrainer pretrainer(Map<String, String> options) {
        Map<String, String> recipe = new HashMap<>(options);
        Map<String, String> run = new HashMap<>();
        for (Option<?, ?> o : RunSettings.options().list()) {
            if (recipe.containsKey(o.name())) {
                run.put(o.name(), recipe.remove(o.name()));
            }
        }
        String preset = recipe.remove(PRESET);
        PretrainingConfig.Builder<C> builder = PretrainingConfig.newBuilder(configs.get());
        try {
            if (preset != null && !preset.isBlank() && !preset.trim().equalsIgnoreCase(NO_PRESET)) {
                builder.set(presets.apply(preset));
            }
            return new Pretrainer(builder.optOptions(recipe).build(), RunSettings.fromText(run));
        } catch (InvalidOptionException e) {
            if (e.getMessage().startsWith("unknown option")) {
                throw new InvalidOptionException(e.option(), e.getMessage() + ", " + PRESET + ", "
                        + String.join(", ", RunSettings.options().list().stream().map(Option::name).toList()));
            }
            throw e;
        } catch (PropertyException e) {
            throw new InvalidOptionException(e.getProperty(), e.getMsg());
        }
    }
}
