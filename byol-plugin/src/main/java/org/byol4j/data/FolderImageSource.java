package org.byol4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unlabelled images for pretraining: every JPEG, PNG, BMP or GIF file anywhere below a folder (symbolic links
 * followed, loops detected, hidden files skipped), in sorted path order. Every file is decoded once when the
 * source is built, so a bad file is found before training starts: {@link BadImagePolicy#FAIL_FAST} refuses the
 * folder naming the file and the problem; {@link BadImagePolicy#SKIP_AND_REPORT} leaves it out and reports it
 * in {@link #skipped()} and in a log summary. Images are returned at their own size (views and embeddings crop
 * and resize them, see the README), with the configured channel count.
 */
public final class FolderImageSource implements ImageSource {

    private static final Logger logger = LoggerFactory.getLogger(FolderImageSource.class);

    private final Path root;
    private final ImageDecoder decoder;
    private final List<Path> files;
    private final List<SkippedImage> skipped;

    /**
     * @param root the folder
     * @param channels 1 or 3
     * @param policy what to do with files that do not decode
     * @throws IllegalArgumentException when {@code root} is not a folder or holds no image
     * @throws ImageDataException for a bad file under {@link BadImagePolicy#FAIL_FAST}
     */
    public FolderImageSource(Path root, int channels, BadImagePolicy policy) {
        this.root = root;
        this.decoder = new ImageDecoder(channels, ImageDecoder.DEFAULT_MAX_PIXELS);
        List<SkippedImage> bad = new ArrayList<>();
        this.files = List.copyOf(ImageFiles.validate(ImageFiles.scan(root), decoder, policy, bad));
        this.skipped = List.copyOf(bad);
        report(logger, root, files.size(), skipped);
        if (files.isEmpty()) {
            throw new IllegalArgumentException(root + ": holds no readable image (looked for "
                    + String.join(", ", new java.util.TreeSet<>(ImageFiles.EXTENSIONS)) + " files at any depth"
                    + (skipped.isEmpty() ? "" : "; " + skipped.size() + " bad files were skipped") + ")");
        }
    }

    /** Fail-fast, RGB. @param root the folder */
    public FolderImageSource(Path root) {
        this(root, 3, BadImagePolicy.FAIL_FAST);
    }

    static void report(Logger log, Path root, int kept, List<SkippedImage> skipped) {
        if (!skipped.isEmpty()) {
            log.warn("{}: skipped {} of {} image files that do not decode; first: {}", root, skipped.size(),
                    kept + skipped.size(), skipped.get(0));
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

    /** {@inheritDoc} */
    @Override
    public String description() {
        return "image folder " + root + " (" + files.size() + " images)";
    }
}
