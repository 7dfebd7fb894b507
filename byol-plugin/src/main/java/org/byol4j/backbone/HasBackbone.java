package org.byol4j.backbone;

/**
 * Anything that wraps a {@link Backbone}, such as a model loaded from the byol4j model zoo: the Tribuo bridge
 * accepts it wherever it accepts a backbone, and its provenance then names the wrapped backbone's artefact.
 */
public interface HasBackbone {

    /** @return the wrapped backbone, owned by the wrapper (do not close it separately) */
    Backbone backbone();

    /**
     * @param model a DJL model, normally one loaded from the byol4j zoo through {@code Criteria}
     * @return its backbone
     * @throws IllegalArgumentException when the model does not wrap a byol4j backbone
     */
    static Backbone of(ai.djl.Model model) {
        if (model instanceof HasBackbone) {
            return ((HasBackbone) model).backbone();
        }
        throw new IllegalArgumentException("model '" + model.getName() + "' (" + model.getClass().getName()
                + ") is not a byol4j backbone; load one from the byol4j zoo (group id org.byol4j)");
    }
}
