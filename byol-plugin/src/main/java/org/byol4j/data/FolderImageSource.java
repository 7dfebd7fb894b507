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
 * and resize them, see docs/ARCHITECTURE.md, "Data"), with the configured channel count.
 */
public final class FolderImageSource extends ImageFileSource {

    private static final Logger logger = LoggerFactory.getLogger(FolderImageSource.class);

    private final Path root;

    /**
     * @param root the folder
     * @param channels 1 or 3
     * @param policy what to do with files that do not decode
     * @throws IllegalArgumentException when {@code root} is not a folder or holds no image
     * @throws ImageDataException for a bad file under {@link BadImagePolicy#FAIL_FAST}
     */
    public FolderImageSource(Path root, int channels, BadImagePolicy policy) {
        this(root, new ImageDecoder(channels, ImageDecoder.DEFAULT_MAX_PIXELS), policy, new ArrayList<>());
    }

    private FolderImageSource(Path root, ImageDecoder decoder, BadImagePolicy policy, List<SkippedImage> bad) {
        super(logger, root, decoder, ImageFiles.validate(ImageFiles.scan(root), decoder, policy, bad), bad);
        this.root = root;
        if (size() == 0) {
            throw new IllegalArgumentException(root + ": holds no readable image (looked for "
                    + String.join(", ", new java.util.TreeSet<>(ImageFiles.EXTENSIONS)) + " files at any depth"
                    + (bad.isEmpty() ? "" : "; " + bad.size() + " bad files were skipped") + ")");
        }
    }

    /** Fail-fast, RGB. @param root the folder */
    public FolderImageSource(Path root) {
        this(root, 3, BadImagePolicy.FAIL_FAST);
    }

    /** {@inheritDoc} */
    @Override
    public String description() {
        return "image folder " + root + " (" + size() + " images)";
    }
}
