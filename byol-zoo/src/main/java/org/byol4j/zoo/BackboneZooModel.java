package org.byol4j.zoo;

import ai.djl.Model;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Translator;
import org.byol4j.backbone.Backbone;
import org.byol4j.backbone.HasBackbone;

/**
 * A zoo backbone as DJL's {@link ZooModel}: {@code newPredictor()} embeds inputs with the artefact's own
 * preprocessing, {@link #backbone()} hands the same weights to byol4j's Tribuo bridge (whose provenance then names
 * the zoo coordinates and sha256), and {@link #artifact()} has the metadata. {@code getBlock()} is the backbone's
 * inference form ({@link Backbone#inferenceBlock()}, what predictors run), which holds no parameters of its own; the
 * trained block with the parameters is {@code backbone().block()}. Closing it frees the weights.
 *
 * @param <I> the input type ({@code Image} or {@code PixelImage})
 * @param <O> the output type ({@code float[]})
 */
public final class BackboneZooModel<I, O> extends ZooModel<I, O> implements HasBackbone {

    private final Backbone backbone;
    private final ZooArtifact artifact;

    BackboneZooModel(Model model, Translator<I, O> translator, Backbone backbone, ZooArtifact artifact) {
        super(model, translator);
        this.backbone = backbone;
        this.artifact = artifact;
    }

    /** {@inheritDoc} */
    @Override
    public Backbone backbone() {
        return backbone;
    }

    /** @return the artefact's metadata (coordinates, properties, preprocessing, recipe, how it was made) */
    public ZooArtifact artifact() {
        return artifact;
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        try {
            super.close();
        } finally {
            backbone.close();
        }
    }
}
