package org.byol4j.options;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Option}s a class declares: its {@code public static final Option} constants and those of its
 * superclasses (superclass first, each in declaration order). This is how a config class lists its options without
 * naming them a second time.
 */
public final class DeclaredOptions {

    private static final ClassValue<DeclaredOptions> CACHE = new ClassValue<>() {
        @Override
        protected DeclaredOptions computeValue(Class<?> type) {
            return new DeclaredOptions(type);
        }
    };

    private final Class<?> type;
    private final Map<String, Option<?, ?>> byName;

    private DeclaredOptions(Class<?> type) {
        this.type = type;
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        Map<String, Option<?, ?>> found = new LinkedHashMap<>();
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (f.getType() == Option.class && Modifier.isStatic(m) && Modifier.isPublic(m)
                        && Modifier.isFinal(m)) {
                    Option<?, ?> option = read(f);
                    if (found.put(option.name(), option) != null) {
                        throw new IllegalStateException(type.getName() + " declares option " + option.name()
                                + " twice");
                    }
                }
            }
        }
        this.byName = Collections.unmodifiableMap(found);
    }

    /**
     * @param type a class declaring options
     * @return its options and its superclasses'
     */
    public static DeclaredOptions of(Class<?> type) {
        return CACHE.get(type);
    }

    /** @return every option, superclass first, each class in declaration order */
    public List<Option<?, ?>> list() {
        return List.copyOf(byName.values());
    }

    /**
     * @param name an option's name
     * @return the option
     * @throws InvalidOptionException naming the unknown option and listing the known ones
     */
    public Option<?, ?> named(String name) {
        Option<?, ?> o = byName.get(name);
        if (o == null) {
            throw new InvalidOptionException(name, "unknown option '" + name + "'; known: "
                    + String.join(", ", byName.keySet()));
        }
        return o;
    }

    /**
     * @param option an option
     * @return whether this class has it
     */
    public boolean contains(Option<?, ?> option) {
        return byName.get(option.name()) == option;
    }

    /**
     * @param option an option
     * @throws InvalidOptionException when this class does not have it
     */
    public void requireContains(Option<?, ?> option) {
        if (!contains(option)) {
            throw new InvalidOptionException(option.name(), "option " + option.name() + " belongs to "
                    + option.owner().getSimpleName() + ", not to " + type.getSimpleName());
        }
    }

    private static Option<?, ?> read(Field f) {
        try {
            return (Option<?, ?>) f.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + f, e);
        }
    }
}
