package org.byol4j.spi;

import java.util.List;
import java.util.Map;

/**
 * The service a self-supervised method registers under
 * {@code META-INF/services/org.byol4j.spi.RepresentationTrainerProvider} so that {@link RepresentationTrainers}
 * finds it on the classpath. byol4j registers {@code byol}; any jar can add another method.
 * Implementations need a public no-argument constructor and must be thread-safe.
 */
public interface RepresentationTrainerProvider {

    /** @return the unique method name users ask for, e.g. {@code byol} */
    String name();

    /** @return one line saying what the method is, with its reference */
    String description();

    /** @return every option {@link #create(Map)} accepts, with types and defaults */
    List<OptionDescription> options();

    /**
     * Creates a trainer.
     *
     * @param options option name to value; absent options take their defaults
     * @return a configured trainer
     * @throws IllegalArgumentException when an option is unknown (the message lists the known ones) or its value
     *     is invalid (the message names the option and what was expected)
     */
    RepresentationTrainer create(Map<String, String> options);
}
