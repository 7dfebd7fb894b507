package org.byol4j.spi;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Bridges a string option map (command line, {@link RepresentationTrainers#get}) and an OLCUT
 * {@link Configurable}: the options are exactly its {@code @Config} fields, typed by the field (String, int,
 * long, float, double, boolean, enum), described by the annotation, validated by its {@code postConfig()}.
 * So a method is configured the same way from a Tribuo configuration file, from code and from the CLI.
 */
public final class ConfigurableOptions {

    private ConfigurableOptions() {}

    /**
     * @param defaults an instance holding the default values
     * @return one description per {@code @Config} field, in declaration order (superclass fields first)
     */
    public static List<OptionDescription> describe(Configurable defaults) {
        List<OptionDescription> out = new ArrayList<>();
        for (Field f : configFields(defaults.getClass()).values()) {
            out.add(new OptionDescription(f.getName(), typeName(f.getType()), String.valueOf(read(f, defaults)),
                    f.getAnnotation(Config.class).description()));
        }
        return out;
    }

    /**
     * @param target a configured instance
     * @return every {@code @Config} field's value as text (enums by name), in declaration order (superclass fields
     *     first): what {@link #set} reads back
     */
    public static Map<String, String> values(Configurable target) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Field f : configFields(target.getClass()).values()) {
            out.put(f.getName(), String.valueOf(read(f, target)));
        }
        return out;
    }

    /**
     * Sets the named fields of {@code target}, then runs its {@code postConfig()}.
     *
     * @param target a fresh instance holding the defaults
     * @param options field name to value
     * @param <T> the configurable type
     * @return {@code target}, configured and validated
     * @throws IllegalArgumentException naming an unknown option (with the known ones listed), a value that does
     *     not parse (with the expected type), or the field {@code postConfig()} rejected
     */
    public static <T extends Configurable> T apply(T target, Map<String, String> options) {
        set(target, options);
        try {
            target.postConfig();
        } catch (PropertyException e) {
            throw new IllegalArgumentException("invalid option " + e.getMsg(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(target.getClass().getSimpleName() + " could not validate its options", e);
        }
        return target;
    }

    /**
     * Sets the named fields of {@code target} without validating the result, for a starting point (a preset) that
     * later options may still change; {@link #apply} validates.
     *
     * @param target the instance to change
     * @param options field name to value
     * @throws IllegalArgumentException naming an unknown option (with the known ones listed) or a value that does
     *     not parse (with the expected type)
     */
    public static void set(Configurable target, Map<String, String> options) {
        Map<String, Field> fields = configFields(target.getClass());
        for (Map.Entry<String, String> e : options.entrySet()) {
            Field f = fields.get(e.getKey());
            if (f == null) {
                throw new IllegalArgumentException("unknown option '" + e.getKey() + "'; known: "
                        + String.join(", ", fields.keySet()));
            }
            write(f, target, parse(f, e.getValue()));
        }
    }

    private static Map<String, Field> configFields(Class<?> type) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        Map<String, Field> out = new LinkedHashMap<>();
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(Config.class)) {
                    f.setAccessible(true);
                    out.put(f.getName(), f);
                }
            }
        }
        return out;
    }

    private static Object parse(Field f, String value) {
        Class<?> t = f.getType();
        String v = value == null ? "" : value.trim();
        try {
            if (t == String.class) {
                return value;
            } else if (t == int.class || t == Integer.class) {
                return Integer.parseInt(v);
            } else if (t == long.class || t == Long.class) {
                return Long.parseLong(v);
            } else if (t == float.class || t == Float.class) {
                return Float.parseFloat(v);
            } else if (t == double.class || t == Double.class) {
                return Double.parseDouble(v);
            } else if (t == boolean.class || t == Boolean.class) {
                if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(v);
                }
            } else if (t.isEnum()) {
                for (Object constant : t.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equalsIgnoreCase(v)) {
                        return constant;
                    }
                }
            } else {
                throw new IllegalStateException(f + " has a type options cannot set: " + t.getName());
            }
        } catch (NumberFormatException e) {
            // reported below with the expected type
        }
        throw new IllegalArgumentException("option " + f.getName() + " expects " + typeName(t) + ", got '" + value
                + "'");
    }

    private static String typeName(Class<?> t) {
        if (t.isEnum()) {
            return "one of " + Arrays.stream(t.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                    .collect(Collectors.joining(", "));
        }
        return t == String.class ? "text" : t.getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static Object read(Field f, Object target) {
        try {
            return f.get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + f, e);
        }
    }

    private static void write(Field f, Object target, Object value) {
        try {
            f.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set " + f, e);
        }
    }
}
