package org.byol4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.byol4j.backbone.OpenedBackbone;
import picocli.CommandLine.Option;

/**
 * The backbone a command works with: a folder written by {@code byol pretrain}, or a model of the byol4j zoo
 * ({@link OpenedBackbone}). Exactly one of the two options.
 */
final class BackboneChoice {

    @Option(names = "--backbone", required = true, description = "A backbone folder (e.g. <pretrain --out>/backbone).")
    Path folder;

    @Option(names = "--zoo", required = true, description = "A byol4j zoo artefact id, e.g. byol-resnet18-fmnist"
            + " (`byol zoo list` shows them).")
    String artifact;

    /**
     * @return the backbone, loaded and verified
     * @throws IOException when the folder is not a readable backbone (the file is named)
     * @throws IllegalArgumentException when the zoo has no such artefact
     */
    OpenedBackbone open() throws IOException {
        return folder != null ? OpenedBackbone.folder(folder) : OpenedBackbone.zoo(artifact);
    }

    /** @return what was chosen, as {@link OpenedBackbone#open(String)} reads it back */
    String reference() {
        return folder != null ? folder.toString() : artifact;
    }
}
