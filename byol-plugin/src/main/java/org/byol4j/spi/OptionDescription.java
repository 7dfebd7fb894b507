package org.byol4j.spi;

/**
 * One option a {@link RepresentationTrainerProvider} accepts, as listed to users (CLI help, error messages).
 *
 * @param name the key in the options map
 * @param type what a value must be, e.g. {@code int}, {@code float}, or {@code one of LARS, SGD, ADAMW}
 * @param defaultValue the value used when the option is absent
 * @param description what it controls, with the paper's value where there is one
 */
public record OptionDescription(String name, String type, String defaultValue, String description) {

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return name + " (" + type + ", default " + defaultValue + "): " + description;
    }
}
