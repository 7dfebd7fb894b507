package org.byol4j.pretrain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.byol4j.data.ImageSource;
import org.byol4j.spi.ConfigurableOptions;
import org.byol4j.spi.OptionDescription;
import org.byol4j.spi.RepresentationTrainer;
import org.byol4j.spi.RepresentationTrainerProvider;

/**
 * The part of a {@link RepresentationTrainerProvider} that every {@link PretrainingConfig}-based method shares: its
 * options are the config's {@code @Config} fields (the recipe), {@code preset} (a named recipe the other options
 * override) and four that only say how to run it: {@code checkpointDir}, {@code checkpointEvery},
 * {@code checkpointsKept} and {@code workers}. A method's provider only names itself, its config and its presets.
 */
public abstract class PretrainingProvider implements RepresentationTrainerProvider {

    static final String CHECKPOINT_DIR = "checkpointDir";
    static final String CHECKPOINT_EVERY = "checkpointEvery";
    static final String CHECKPOINTS_KEPT = "checkpointsKept";
    static final String WORKERS = "workers";
    static final String PRESET = "preset";
    /** The {@code preset} value that starts from the method's own defaults, with no choice from the data. */
    public static final String NO_PRESET = "none";
    private static final int DEFAULT_CHECKPOINT_EVERY = 1000;

    private final String name;
    private final String description;
    private final Supplier<PretrainingConfig> configs;
    private final List<String> presetNames;
    private final Function<String, Map<String, String>> presets;

    /**
     * For subclasses, whose public no-argument constructors {@link java.util.ServiceLoader} calls.
     *
     * @param name the method's name, e.g. {@code byol}
     * @param description one line saying what the method is, with its reference
     * @param configs makes a config holding the method's defaults
     * @param presets the method's named recipes (an enum's constants)
     * @param options a preset's field values
     * @param <E> the preset enum
     */
    protected <E extends Enum<E>> PretrainingProvider(String name, String description,
            Supplier<PretrainingConfig> configs, E[] presets, Function<E, Map<String, String>> options) {
        this.name = name;
        this.description = description;
        this.configs = configs;
        this.presetNames = Presets.names(presets);
        this.presets = preset -> options.apply(Presets.of(presets, preset));
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
                "chosen from the images", "A named recipe to start from; the other options override its fields."
                        + " Unset, the small greyscale or colour preset that fits the images is chosen when training"
                        + " starts; " + NO_PRESET + " starts from the method's own defaults."));
        out.addAll(ConfigurableOptions.describe(configs.get()));
        out.add(new OptionDescription(CHECKPOINT_DIR, "path", "none",
                "Directory to checkpoint into and resume from; none disables checkpoints."));
        out.add(new OptionDescription(CHECKPOINT_EVERY, "int", Integer.toString(DEFAULT_CHECKPOINT_EVERY),
                "Optimiser steps between checkpoints (epoch ends are always checkpointed)."));
        out.add(new OptionDescription(CHECKPOINTS_KEPT, "int", Integer.toString(Pretrainer.DEFAULT_CHECKPOINTS_KEPT),
                "How many of the newest checkpoints to keep; a damaged newest one falls back to the one before."));
        out.add(new OptionDescription(WORKERS, "int", "number of cores", "View-generation threads."));
        return out;
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
        return PresetChoice.of(images, presetNames, presets);
    }

    /**
     * @param options the recipe's fields, {@code preset} (optional: without it, or {@value #NO_PRESET}, the
     *     method's defaults) and the run options
     * @return the trainer they configure
     * @throws IllegalArgumentException naming an unknown option or an invalid value
     */
    Pretrainer pretrainer(Map<String, String> options) {
        Map<String, String> recipe = new HashMap<>(options);
        String dir = recipe.remove(CHECKPOINT_DIR);
        int every = positive(recipe.remove(CHECKPOINT_EVERY), CHECKPOINT_EVERY, DEFAULT_CHECKPOINT_EVERY);
        int kept = positive(recipe.remove(CHECKPOINTS_KEPT), CHECKPOINTS_KEPT, Pretrainer.DEFAULT_CHECKPOINTS_KEPT);
        int workers = positive(recipe.remove(WORKERS), WORKERS, Runtime.getRuntime().availableProcessors());
        String preset = recipe.remove(PRESET);
        PretrainingConfig config = configs.get();
        if (preset != null && !preset.isBlank() && !preset.trim().equalsIgnoreCase(NO_PRESET)) {
            ConfigurableOptions.set(config, presets.apply(preset));
        }
        try {
            config = ConfigurableOptions.apply(config, recipe);
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("unknown option")) {
                throw new IllegalArgumentException(e.getMessage() + ", " + PRESET + ", " + CHECKPOINT_DIR + ", "
                        + CHECKPOINT_EVERY + ", " + CHECKPOINTS_KEPT + ", " + WORKERS, e);
            }
            throw e;
        }
        return new Pretrainer(config, dir == null || dir.isBlank() ? null : Path.of(dir), every, kept, workers);
    }

    private static int positive(String value, String name, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("option " + name + " expects a whole number >= 1, got '" + value + "'");
    }
}
