package org.byol4j.data;

import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;

/**
 * What the folder sources share: a checked list of image files, the decoder that reads them, and the files
 * left out under {@link BadImagePolicy#SKIP_AND_REPORT}. Subclasses decide which files (and labels) there are.
 */
abstract class ImageFileSource implements ImageSource {

    private final ImageDecoder decoder;
    private final List<Path> files;
    private final List<SkippedImage> skipped;

    /**
     * @param log where to report skipped files
     * @param root the folder, for the report
     * @param decoder reads the files
     * @param files the files that decode
     * @param skipped the files left out
     */
    ImageFileSource(Logger log, Path root, ImageDecoder decoder, List<Path> files, List<SkippedImage> skipped) {
        this.decoder = decoder;
        this.files = List.copyOf(files);
        this.skipped = List.copyOf(skipped);
        if (!skipped.isEmpty()) {
            log.warn("{}: skipped {} of {} image files that do not decode; first: {}", root, skipped.size(),
                    files.size() + skipped.size(), skipped.get(0));
        }
    }

    /** {@inheritDoc} */
    @Override
    public int size() {
        return files.size();
    }

    /** {@inheritDoc} */
    @Override
    public int channels() {
        return decoder.channels();
    }

    /** {@inheritDoc} */
    @Override
    public PixelImage image(int index) {
        return decoder.decode(files.get(index));
    }

    /**
     * @param index in [0, size)
     * @return the file behind that image
     */
    public Path file(int index) {
        return files.get(index);
    }

    /** @return files left out under {@link BadImagePolicy#SKIP_AND_REPORT}, with their problems */
    public List<SkippedImage> skipped() {
        return skipped;
    }
}
