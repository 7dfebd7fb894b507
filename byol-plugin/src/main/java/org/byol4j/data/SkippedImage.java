package org.byol4j.data;

import java.nio.file.Path;

/**
 * A file an image-folder source left out under {@link BadImagePolicy#SKIP_AND_REPORT}.
 *
 * @param file the file
 * @param problem why it was left out
 */
public record SkippedImage(Path file, String problem) {}
