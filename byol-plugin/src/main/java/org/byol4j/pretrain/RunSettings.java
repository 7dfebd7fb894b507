package org.byol4j.pretrain;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.options.DeclaredOptions;
import org.byol4j.options.Option;
import org.byol4j.options.OptionValues;

/**
 * How a run is carried out, as opposed to what it learns (the recipe, a {@link PretrainingConfig}): where it
 * checkpoints, how often, how many checkpoints it keeps, how many threads make views. None of these change the trained
 * weights, so none is part of the recipe, the backbone's metadata or the checkpoint compatibility check: a run may
 * resume with other settings. Immutable; each setting is an {@link Option} declared here.
 */
public final class RunSettings {

    /** Checkpoints kept unless told otherwise: the newest and the one before it. */
    public static final int DEFAULT_CHECKPOINTS_KEPT = 2;

    /** Where to checkpoint and resume from. */
    public static final Option<RunSettings, String> CHECKPOINT_DIR = Option.ofText(RunSettings.class,
            "checkpointDir", "", "Directory to checkpoint into and resume from; empty disables checkpoints.");

    /** Steps between checkpoints. */
    public static final Option<RunSettings, Integer> CHECKPOINT_EVERY = Option.ofInt(RunSettings.class,
            "checkpointEvery", 1000, "Optimiser steps between checkpoints (epoch ends are always checkpointed).")
            .require(v -> v >= 1, "must be >= 1");

    /** Checkpoints kept. */
    public static final Option<RunSettings, Integer> CHECKPOINTS_KEPT = Option.ofInt(RunSettings.class,
            "checkpointsKept", DEFAULT_CHECKPOINTS_KEPT, "How many of the newest checkpoints to keep; a damaged"
                    + " newest one falls back to the one before.").require(v -> v >= 1, "must be >= 1");

    /** View-generation threads. */
    public static final Option<RunSettings, Integer> WORKERS = Option.ofInt(RunSettings.class, "workers",
            Math.max(1, Runtime.getRuntime().availableProcessors()), "View-generation threads (default: the"
                    + " number of cores).").require(v -> v >= 1, "must be >= 1");

    private static final RunSettings DEFAULTS = new RunSettings(OptionValues.empty());

    private final OptionValues<RunSettings> values;

    private RunSettings(OptionValues<RunSettings> values) {
        this.values = values;
    }

    /** @return no checkpoints, one view-generation thread per core */
    public static RunSettings defaults() {
        return DEFAULTS;
    }

    /**
     * @param text setting name to value as typed (the run options of {@code RepresentationTrainers.create})
     * @return the settings, the defaults for those not given
     * @throws org.byol4j.options.InvalidOptionException naming an unknown setting, or one that does not parse or is
     *     out of range
     */
    public static RunSettings fromText(Map<String, String> text) {
        OptionValues<RunSettings> v = OptionValues.<RunSettings>empty().withText(options(), text);
        for (Option<?, ?> o : v.options()) {
            check(v, o);
        }
        return new RunSettings(v);
    }

    private static <T> void check(OptionValues<RunSettings> values, Option<?, T> option) {
        option.check(values.get(option));
    }

    /** @return every setting, in declaration order */
    public static DeclaredOptions options() {
        return DeclaredOptions.of(RunSettings.class);
    }

    /**
     * @param option a setting
     * @param value its value
     * @param <T> the value type
     * @return a copy with the setting changed
     * @throws org.byol4j.options.InvalidOptionException when the value is out of range
     */
    public <T> RunSettings with(Option<RunSettings, T> option, T value) {
        return new RunSettings(values.with(option, value));
    }

    /**
     * @param dir where to checkpoint and resume from, or null for no checkpoints
     * @return a copy checkpointing into {@code dir}
     */
    public RunSettings withCheckpointDir(Path dir) {
        return with(CHECKPOINT_DIR, dir == null ? "" : dir.toString());
    }

    /**
     * @param option a setting
     * @param <T> the value type
     * @return its value
     */
    public <T> T get(Option<RunSettings, T> option) {
        return values.get(option);
    }

    /** @return the checkpoint directory, if the run checkpoints */
    public Optional<Path> checkpointDir() {
        String dir = get(CHECKPOINT_DIR);
        return dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "RunSettings" + values;
    }
}
