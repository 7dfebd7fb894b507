package org.byol4j.byol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.byol4j.spi.ConfigurableOptions;
import org.byol4j.spi.OptionDescription;
import org.byol4j.spi.RepresentationTrainer;
import org.byol4j.spi.RepresentationTrainerProvider;

/**
 * Registers {@code byol} with {@link org.byol4j.spi.RepresentationTrainers}. Its options are the
 * {@link ByolConfig} fields (the recipe), {@code preset} (a {@link ByolPreset} the other options override) and
 * four that only say how to run it: {@code checkpointDir}, {@code checkpointEvery}, {@code checkpointsKept} and
 * {@code workers}.
 */
public final class ByolTrainerProvider implements RepresentationTrainerProvider {

    static final String CHECKPOINT_DIR = "checkpointDir";
    static final String CHECKPOINT_EVERY = "checkpointEvery";
    static final String CHECKPOINTS_KEPT = "checkpointsKept";
    static final String WORKERS = "workers";
    static final String PRESET = "preset";
    private static final int DEFAULT_CHECKPOINT_EVERY = 1000;

    /** Called by {@link java.util.ServiceLoader}. */
    public ByolTrainerProvider() {}

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "byol";
    }

    /** {@inheritDoc} */
    @Override
    public String description() {
        return "Bootstrap Your Own Latent (Grill et al., NeurIPS 2020, arXiv:2006.07733)";
    }

    /** {@inheritDoc} */
    @Override
    public List<OptionDescription> options() {
        List<OptionDescription> out = new ArrayList<>();
        out.add(new OptionDescription(PRESET, "one of paper_imagenet, small_greyscale, small_colour", "none",
                "A named recipe (ByolPreset) to start from; the other options override its fields."));
        out.addAll(ConfigurableOptions.describe(new ByolConfig()));
        out.add(new OptionDescription(CHECKPOINT_DIR, "path", "none",
                "Directory to checkpoint into and resume from; none disables checkpoints."));
        out.add(new OptionDescription(CHECKPOINT_EVERY, "int", Integer.toString(DEFAULT_CHECKPOINT_EVERY),
                "Optimiser steps between checkpoints (epoch ends are always checkpointed)."));
        out.add(new OptionDescription(CHECKPOINTS_KEPT, "int", Integer.toString(ByolTrainer.DEFAULT_CHECKPOINTS_KEPT),
                "How many of the newest checkpoints to keep; a damaged newest one falls back to the one before."));
        out.add(new OptionDescription(WORKERS, "int", "number of cores", "View-generation threads."));
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public RepresentationTrainer create(Map<String, String> options) {
        Map<String, String> recipe = new HashMap<>(options);
        String dir = recipe.remove(CHECKPOINT_DIR);
        int every = positive(recipe.remove(CHECKPOINT_EVERY), CHECKPOINT_EVERY, DEFAULT_CHECKPOINT_EVERY);
        int kept = positive(recipe.remove(CHECKPOINTS_KEPT), CHECKPOINTS_KEPT, ByolTrainer.DEFAULT_CHECKPOINTS_KEPT);
        int workers = positive(recipe.remove(WORKERS), WORKERS, Runtime.getRuntime().availableProcessors());
        String preset = recipe.remove(PRESET);
        ByolConfig config = new ByolConfig();
        if (preset != null && !preset.isBlank()) {
            ConfigurableOptions.set(config, ByolPreset.of(preset).options());
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
        return new ByolTrainer(config, dir == null || dir.isBlank() ? null : Path.of(dir), every, kept, workers);
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
