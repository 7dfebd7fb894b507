package org.byol4j.zoo;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/**
 * Registers the {@link ByolModelZoo} with DJL through {@code META-INF/services/ai.djl.repository.zoo.ZooProvider}, so
 * that a plain {@code Criteria} with group id {@value ByolModelZoo#GROUP_ID} finds byol4j's backbones.
 */
public final class ByolZooProvider implements ZooProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public ByolZooProvider() {}

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "byol4j";
    }

    /** {@inheritDoc} */
    @Override
    public ModelZoo getModelZoo() {
        return new ByolModelZoo();
    }
}
