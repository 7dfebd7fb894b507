package org.byol4j.options;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Values for some {@link Option}s of {@code O}, type-checked when written: a preset ({@code
 * OptionValues.of(BACKBONE, "resnet18-small-w0.25").with(BATCH_SIZE, 128)}), a method's own defaults, a run's
 * settings. Immutable: {@link #with} returns a copy. Iterates in the order values were first given.
 *
 * @param <O> the class whose options these are; an option of {@code O} or of a superclass of it may be given
 */
public final class OptionValues<O> {

    private static final OptionValues<?> EMPTY = new OptionValues<>(Map.of());

    private final Map<Option<?, ?>, Object> values;

    private OptionValues(Map<Option<?, ?>, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * @param <O> the class whose options these are
     * @return no values
     */
    @SuppressWarnings("unchecked")
    public static <O> OptionValues<O> empty() {
        return (OptionValues<O>) EMPTY;
    }

    /**
     * @param option an option
     * @param value its value
     * @param <O> the class whose options these are
     * @param <T> the value type
     * @return one value
     * @throws InvalidOptionException when the value breaks the option's rules
     */
    public static <O, T> OptionValues<O> of(Option<? super O, T> option, T value) {
        return OptionValues.<O>empty().with(option, value);
    }

    /**
     * @param option an option
     * @param value its value
     * @param <T> the value type
     * @return a copy with the value set (replacing one given before)
     * @throws InvalidOptionException when the value breaks the option's rules
     */
    public <T> OptionValues<O> with(Option<? super O, T> option, T value) {
        return put(option, option.check(value));
    }

    /**
     * @param more values for options of {@code O} or its superclasses
     * @return a copy with {@code more} written over these
     */
    public OptionValues<O> withAll(OptionValues<? super O> more) {
        Map<Option<?, ?>, Object> out = new LinkedHashMap<>(values);
        out.putAll(more.values);
        return new OptionValues<>(out);
    }

    /**
     * @param options the options of the class these values are for (see {@link DeclaredOptions})
     * @param text option name to value as typed
     * @return a copy with each value parsed by its option (not yet checked against its rules: {@link Option#check})
     * @throws InvalidOptionException naming an unknown option (with the known ones listed) or a value that does not
     *     parse (with the expected type)
     */
    public OptionValues<O> withText(DeclaredOptions options, Map<String, String> text) {
        OptionValues<O> out = this;
        for (Map.Entry<String, String> e : text.entrySet()) {
            Option<?, ?> option = options.named(e.getKey());
            out = out.put(option, option.parse(e.getValue()));
        }
        return out;
    }

    /**
     * Widens these values to a subclass of {@code O}, whose builders and presets accept every option of {@code O}.
     *
     * @param <S> the subclass
     * @return these values, typed for {@code S}
     */
    @SuppressWarnings("unchecked")
    public <S extends O> OptionValues<S> forSubclass() {
        return (OptionValues<S>) this;
    }

    /**
     * @param option an option
     * @param <T> its value type
     * @return the value given for it, or its default when none was
     */
    public <T> T get(Option<?, T> option) {
        Object v = values.get(option);
        return v == null ? option.defaultValue() : option.type().cast(v);
    }

    /**
     * @param option an option
     * @return whether a value was given for it
     */
    public boolean has(Option<?, ?> option) {
        return values.containsKey(option);
    }

    /** @return the options given values, in order */
    public Set<Option<?, ?>> options() {
        return values.keySet();
    }

    /** @return option name to value as text ({@link Option#format}), in order: what {@link #withText} reads back */
    public Map<String, String> text() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((o, v) -> out.put(o.name(), o.format(v)));
        return out;
    }

    private OptionValues<O> put(Option<?, ?> option, Object value) {
        Map<Option<?, ?>, Object> out = new LinkedHashMap<>(values);
        out.put(option, value);
        return new OptionValues<>(out);
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof OptionValues<?> other && values.equals(other.values);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return text().toString();
    }
}
