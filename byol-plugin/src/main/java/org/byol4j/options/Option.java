package org.byol4j.options;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One option, declared once as a {@code public static final} constant of the class that owns it: its name, value
 * type, default, description and validation. Everything else is derived from the declaration: typed builder calls
 * ({@code builder.set(BATCH_SIZE, 128)}), typed reads ({@code config.get(BATCH_SIZE)}), text options
 * ({@code -o batchSize=128}, an OLCUT configuration file), the recipe recorded in backbones, provenance and checkpoints,
 * the CLI's option list and type-checked presets ({@link OptionValues}).
 *
 * <pre>{@code
 * public static final Option<PretrainingConfig, Integer> BATCH_SIZE = Option.ofInt(PretrainingConfig.class,
 *         "batchSize", 256, "Images per optimiser step.").require(v -> v >= 2, "must be >= 2");
 * }</pre>
 *
 * <p>Immutable; {@link #require} returns a new option.
 *
 * @param <O> the class that declares the option; a builder or preset of {@code O} (or of a subclass) accepts it
 * @param <T> the value type: {@code String}, {@code Integer}, {@code Long}, {@code Float}, {@code Double},
 *     {@code Boolean} or an enum
 */
public final class Option<O, T> {

    private final Class<O> owner;
    private final String name;
    private final Class<T> type;
    private final T defaultValue;
    private final String description;
    private final List<Rule<T>> rules;

    private record Rule<T>(Predicate<? super T> valid, String expected) {}

    private Option(Class<O> owner, String name, Class<T> type, T defaultValue, String description,
            List<Rule<T>> rules) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
        this.defaultValue = Objects.requireNonNull(defaultValue, "default of " + name);
        this.description = Objects.requireNonNull(description, "description of " + name);
        this.rules = List.copyOf(rules);
    }

    private static <O, T> Option<O, T> of(Class<O> owner, String name, Class<T> type, T value, String description) {
        return new Option<>(owner, name, type, value, description, List.of());
    }

    /**
     * @param owner the declaring class
     * @param name the option's name, as typed in {@code -o name=value}
     * @param defaultValue the value when none is given
     * @param description what it controls, with the paper's value where there is one
     * @param <O> the declaring class
     * @return a text option
     */
    public static <O> Option<O, String> ofText(Class<O> owner, String name, String defaultValue, String description) {
        return of(owner, name, String.class, defaultValue, description);
    }

    /**
     * @param owner the declaring class
     * @param name the option's name
     * @param defaultValue the value when none is given
     * @param description what it controls
     * @param <O> the declaring class
     * @return a whole-number option
     */
    public static <O> Option<O, Integer> ofInt(Class<O> owner, String name, int defaultValue, String description) {
        return of(owner, name, Integer.class, defaultValue, description);
    }

    /**
     * @param owner the declaring class
     * @param name the option's name
     * @param defaultValue the value when none is given
     * @param description what it controls
     * @param <O> the declaring class
     * @return a long whole-number option
     */
    public static <O> Option<O, Long> ofLong(Class<O> owner, String name, long defaultValue, String description) {
        return of(owner, name, Long.class, defaultValue, description);
    }

    /**
     * @param owner the declaring class
     * @param name the option's name
     * @param defaultValue the value when none is given
     * @param description what it controls
     * @param <O> the declaring class
     * @return a single-precision option; NaN and infinities are always refused
     */
    public static <O> Option<O, Float> ofFloat(Class<O> owner, String name, float defaultValue, String description) {
        return of(owner, name, Float.class, defaultValue, description);
    }

    /**
     * @param owner the declaring class
     * @param name the option's name
     * @param defaultValue the value when none is given
     * @param description what it controls
     * @param <O> the declaring class
     * @return a double-precision option; NaN and infinities are always refused
     */
    public static <O> Option<O, Double> ofDouble(Class<O> owner, String name, double defaultValue,
            String description) {
        return of(owner, name, Double.class, defaultValue, description);
    }

    /**
     * @param owner the declaring class
     * @param name the option's name
     * @param defaultValue the value when none is given
     * @param description what it controls
     * @param <O> the declaring class
     * @return a yes/no option ({@code true} or {@code false} as text)
     */
    public static <O> Option<O, Boolean> ofBoolean(Class<O> owner, String name, boolean defaultValue,
            String description) {
        return of(owner, name, Boolean.class, defaultValue, description);
    }

    /**
     * @param owner the declaring class
     * @param name the option's name
     * @param defaultValue the value when none is given; its enum is the option's type
     * @param description what it controls
     * @param <O> the declaring class
     * @param <E> the enum
     * @return an option whose text is a constant's name, any case
     */
    public static <O, E extends Enum<E>> Option<O, E> ofEnum(Class<O> owner, String name, E defaultValue,
            String description) {
        return of(owner, name, defaultValue.getDeclaringClass(), defaultValue, description);
    }

    /**
     * @param valid the rule a value must meet (on top of any this option has)
     * @param expected what a valid value is, as the error message's middle: {@code "must be >= 2"} gives
     *     {@code "batchSize must be >= 2, got 1"}
     * @return a new option with the rule added
     * @throws IllegalArgumentException when the default itself breaks the rule
     */
    public Option<O, T> require(Predicate<? super T> valid, String expected) {
        if (!valid.test(defaultValue)) {
            throw new IllegalArgumentException("the default of " + name + " breaks its own rule: " + expected);
        }
        List<Rule<T>> more = new ArrayList<>(rules);
        more.add(new Rule<>(valid, expected));
        return new Option<>(owner, name, type, defaultValue, description, more);
    }

    /** @return the class that declares this option */
    public Class<O> owner() {
        return owner;
    }

    /** @return the option's name, e.g. {@code batchSize} */
    public String name() {
        return name;
    }

    /** @return the value type */
    public Class<T> type() {
        return type;
    }

    /** @return the value used when none is given */
    public T defaultValue() {
        return defaultValue;
    }

    /** @return what the option controls */
    public String description() {
        return description;
    }

    /** @return what a value must be, as users read it: {@code int}, {@code text}, {@code one of LARS, SGD, ADAMW} */
    public String typeName() {
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                    .collect(Collectors.joining(", "));
        }
        if (type == Integer.class) {
            return "int";
        }
        return type == String.class ? "text" : type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a value as typed ({@code -o name=text}, a configuration file)
     * @return the value, not yet checked against this option's rules ({@link #check}): a preset or a later option
     *     may still change the value, or another that a rule of the whole recipe relates it to
     * @throws InvalidOptionException naming the option, the expected type and the text
     */
    public T parse(String text) {
        String v = text == null ? "" : text.trim();
        try {
            if (type == String.class) {
                return type.cast(text == null ? "" : text);
            } else if (type == Integer.class) {
                return type.cast(Integer.parseInt(v));
            } else if (type == Long.class) {
                return type.cast(Long.parseLong(v));
            } else if (type == Float.class) {
                return type.cast(Float.parseFloat(v));
            } else if (type == Double.class) {
                return type.cast(Double.parseDouble(v));
            } else if (type == Boolean.class) {
                if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                    return type.cast(Boolean.parseBoolean(v));
                }
            } else {
                for (T constant : type.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equalsIgnoreCase(v)) {
                        return constant;
                    }
                }
            }
        } catch (NumberFormatException e) {
            // reported below with the expected type
        }
        throw new InvalidOptionException(name, "option " + name + " expects " + typeName() + ", got '" + text + "'");
    }

    /**
     * @param value a value
     * @return {@code value}
     * @throws InvalidOptionException naming the option when the value is missing, not a finite number (for
     *     float and double options) or breaks a rule
     */
    public T check(T value) {
        if (value == null) {
            throw new InvalidOptionException(name, name + " must be set (" + typeName() + ")");
        }
        if (!type.isInstance(value)) {
            throw new InvalidOptionException(name, name + " expects " + typeName() + ", got " + value.getClass()
                    .getSimpleName() + " " + value);
        }
        if (value instanceof Float f && !Float.isFinite(f) || value instanceof Double d && !Double.isFinite(d)) {
            String expected = rules.isEmpty() ? "must be a finite number" : rules.get(0).expected();
            throw new InvalidOptionException(name, name + " " + expected + ", got " + value);
        }
        for (Rule<T> r : rules) {
            if (!r.valid().test(value)) {
                throw new InvalidOptionException(name, name + " " + r.expected() + ", got " + format(value));
            }
        }
        return value;
    }

    /**
     * @param value a value of this option
     * @return its text, which {@link #parse} reads back to the same value (enums by name)
     */
    public String format(Object value) {
        return value instanceof Enum<?> e ? e.name() : String.valueOf(value);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return name + " (" + typeName() + ", default " + format(defaultValue) + ")";
    }
}
