package org.byol4j.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The registry of representation-learning methods on the classpath, found with {@link ServiceLoader}:
 * {@code RepresentationTrainers.get("byol", Map.of("epochs", "100"))}. Lookups fail with messages that list
 * what exists; two providers with one name fail with both classes named rather than one winning silently.
 */
public final class RepresentationTrainers {

    private final Map<String, RepresentationTrainerProvider> byName;

    private RepresentationTrainers(Map<String, RepresentationTrainerProvider> byName) {
        this.byName = byName;
    }

    /**
     * The providers visible to the thread's context class loader (or this class's, when there is none).
     *
     * @return the registry
     * @throws IllegalStateException when a provider cannot be loaded or two share a name
     */
    public static RepresentationTrainers load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return load(loader == null ? RepresentationTrainers.class.getClassLoader() : loader);
    }

    /**
     * @param loader where to look for {@code META-INF/services} registrations
     * @return the registry of the providers {@code loader} sees
     * @throws IllegalStateException when a provider cannot be loaded or two share a name
     */
    public static RepresentationTrainers load(ClassLoader loader) {
        List<RepresentationTrainerProvider> found = new ArrayList<>();
        try {
            for (RepresentationTrainerProvider p : ServiceLoader.load(RepresentationTrainerProvider.class, loader)) {
                found.add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a RepresentationTrainerProvider registered on the classpath could not"
                    + " be loaded: " + e.getMessage(), e);
        }
        return of(found);
    }

    /**
     * @param providers the providers to index
     * @return a registry of exactly these
     * @throws IllegalStateException when two share a name (both classes are named)
     */
    public static RepresentationTrainers of(List<RepresentationTrainerProvider> providers) {
        Map<String, RepresentationTrainerProvider> byName = new TreeMap<>();
        for (RepresentationTrainerProvider p : providers) {
            RepresentationTrainerProvider clash = byName.putIfAbsent(p.name(), p);
            if (clash != null) {
                throw new IllegalStateException("two representation trainers are named '" + p.name() + "': "
                        + clash.getClass().getName() + " and " + p.getClass().getName()
                        + "; remove one of their jars from the classpath");
            }
        }
        return new RepresentationTrainers(Collections.unmodifiableMap(byName));
    }

    /**
     * Shorthand for {@code load().create(name, options)}.
     *
     * @param name method name, e.g. {@code byol}
     * @param options the method's options
     * @return a configured trainer
     */
    public static RepresentationTrainer get(String name, Map<String, String> options) {
        return load().create(name, options);
    }

    /** @return the registered method names, sorted */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * @param name method name
     * @return its provider
     * @throws IllegalArgumentException when no provider has that name (the known names are listed)
     */
    public RepresentationTrainerProvider provider(String name) {
        RepresentationTrainerProvider p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no representation trainer named '" + name + "'; available: "
                    + (byName.isEmpty() ? "none (is byol-plugin on the classpath?)" : String.join(", ", names())));
        }
        return p;
    }

    /**
     * @param name method name
     * @param options the method's options
     * @return a configured trainer
     * @throws IllegalArgumentException for an unknown name or an invalid option (the message lists what exists)
     */
    public RepresentationTrainer create(String name, Map<String, String> options) {
        return provider(name).create(options);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return byName.values().stream().map(p -> p.name() + ": " + p.description())
                .collect(Collectors.joining("\n"));
    }
}
