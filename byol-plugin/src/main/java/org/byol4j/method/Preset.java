package org.byol4j.method;

import org.byol4j.options.OptionValues;

/**
 * A named recipe of a method: values of its options, type-checked when the preset is declared, that a run starts
 * from and any option then overrides. A method's presets are an enum implementing this ({@code ByolPreset}).
 *
 * @param <C> the method's config
 */
public interface Preset<C extends PretrainingConfig> {

    /** @return the option values this preset sets */
    OptionValues<C> settings();
}
