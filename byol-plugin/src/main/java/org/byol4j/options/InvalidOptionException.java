package org.byol4j.options;

/**
 * An option that is unknown, does not parse, or breaks a rule; the message names it and says what was expected.
 */
public final class InvalidOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;

    /**
     * @param option the option's name, as given
     * @param message what was wrong, naming the option
     */
    public InvalidOptionException(String option, String message) {
        super(message);
        this.option = option;
    }

    /** @return the option's name, as given */
    public String option() {
        return option;
    }
}
