package org.byol4j.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.byol4j.data.IdxImageSource;

/** The Fashion-MNIST sample shipped in the byol-plugin jar, copied out to a folder as a user would have it. */
final class FashionMnistSample {

    private static final String RESOURCES = "/org/byol4j/sample/fashion-mnist/";

    private FashionMnistSample() {}

    /**
     * @param dir where to copy the files
     * @param split {@code train} (2,000 images) or {@code t10k} (500 images)
     * @param limit images to read, 0 for all
     * @return the labelled source
     */
    static IdxImageSource load(Path dir, String split, int limit) throws IOException {
        Path images = copy(dir, split + "-images-idx3-ubyte.gz");
        Path labels = copy(dir, split + "-labels-idx1-ubyte.gz");
        return IdxImageSource.labelled(images, labels, IdxImageSource.FASHION_MNIST_CLASSES, limit);
    }

    private static Path copy(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            try (InputStream in = FashionMnistSample.class.getResourceAsStream(RESOURCES + name)) {
                if (in == null) {
                    throw new IOException("the byol-plugin jar lacks " + RESOURCES + name);
                }
                Files.copy(in, file);
            }
        }
        return file;
    }
}
