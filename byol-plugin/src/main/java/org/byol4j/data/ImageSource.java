package org.byol4j.data;

/**
 * A finite, indexable collection of images for pretraining (labels, if any, are ignored). Implementations
 * are thread-safe for reads so that several pipeline workers can decode at once.
 */
public interface ImageSource {

    /** @return the number of images */
    int size();

    /** @return channels of every image this source returns (1 or 3) */
    int channels();

    /**
     * @param index in [0, size)
     * @return the image, in [0, 1]
     * @throws ImageDataException when the image cannot be read (names the file and the problem)
     */
    PixelImage image(int index);

    /** @return where the images come from (a path or a description), for provenance and messages */
    String description();
}
