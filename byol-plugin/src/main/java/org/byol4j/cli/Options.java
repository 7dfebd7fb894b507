package org.byol4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --name value} options of one sub-command, checked against the names it accepts (with defaults), so a
 * typo gets an error that lists what exists.
 */
final class Options {

    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    /** A command-line mistake; reported with exit code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * @param args {@code --name value} pairs
     * @param defaults accepted names (with leading {@code --}) and their default values
     * @return the options
     * @throws UsageException for unknown names or a missing value
     */
    static Options parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!defaults.containsKey(name)) {
                throw new UsageException("unknown option '" + name + "'; known: " + String.join(", ", defaults.keySet()));
            }
            if (i + 1 >= args.length) {
                throw new UsageException("option " + name + " needs a value");
            }
            values.put(name, args[++i]);
        }
        return new Options(values);
    }

    String string(String name) {
        return values.get(name);
    }

    int integer(String name, int min) {
        String v = values.get(name);
        int parsed;
        try {
            parsed = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a whole number, got '" + v + "'");
        }
        if (parsed < min) {
            throw new UsageException(name + " must be >= " + min + ", got " + parsed);
        }
        return parsed;
    }

    double positiveNumber(String name) {
        String v = values.get(name);
        double parsed;
        try {
            parsed = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a number, got '" + v + "'");
        }
        if (!(parsed > 0) || Double.isInfinite(parsed)) {
            throw new UsageException(name + " must be a positive number, got " + v);
        }
        return parsed;
    }
}
