package org.byol4j.backbone;

import java.util.List;
import org.byol4j.io.AtomicFiles;

/**
 * A linear classifier on a backbone's pooled features, trained with it (joint training's supervised head): the
 * class names in the order of its outputs, and its weight and bias in DJL's parameter format. Saved beside the
 * backbone's own weights ({@link BackboneFiles}), checksum-verified on load.
 *
 * @param classes class names, index = output
 * @param parameters the head's weight (classes × feature dimension) and bias, in DJL's format
 */
public record ClassifierHead(List<String> classes, byte[] parameters) {

    /** Copies both, so that the head cannot change under its backbone. */
    public ClassifierHead {
        if (classes.size() < 2) {
            throw new IllegalArgumentException("a classifier head needs at least two classes, got " + classes);
        }
        classes = List.copyOf(classes);
        parameters = parameters.clone();
    }

    /** @return a copy of the head's parameters */
    @Override
    public byte[] parameters() {
        return parameters.clone();
    }

    /** @return hex sha256 of the parameters */
    public String sha256() {
        return AtomicFiles.sha256(parameters);
    }
}
