package org.byol4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.byol4j.data.BadImagePolicy;
import org.byol4j.data.FolderImageSource;
import org.byol4j.data.IdxImageSource;
import org.byol4j.data.ImageFolderSource;
import org.byol4j.data.ImageSource;
import org.byol4j.data.LabelledImageSource;

/**
 * How a {@code --data}-style path on the command line becomes an image source:
 * <ul>
 *   <li>an IDX image file ({@code *-images-idx3-ubyte[.gz]}); labelled when its label file
 *       ({@code -labels-idx1-ubyte}) lies beside it;</li>
 *   <li>a folder holding IDX files such as {@code train-images-idx3-ubyte.gz} and {@code t10k-...} (Debian's
 *       Fashion-MNIST): the requested split;</li>
 *   <li>a folder of class folders (labelled, the folder names are the classes);</li>
 *   <li>a folder of images (unlabelled).</li>
 * </ul>
 * Fashion-MNIST files get their class names.
 */
final class DataPaths {

    private static final String IMAGES = "-images-idx3-ubyte";
    private static final String LABELS = "-labels-idx1-ubyte";

    private DataPaths() {}

    /**
     * @param path what the user gave
     * @param split {@code train} or {@code t10k}: which IDX pair to take from a folder of IDX files
     * @param channels channels to decode image files to (1 or 3)
     * @param option the option's name, for errors
     * @return unlabelled view of the images
     */
    static ImageSource images(Path path, String split, int channels, String option) {
        Path idx = idxFile(path, split);
        if (idx != null) {
            Path labels = labelFile(idx);
            return labels == null ? IdxImageSource.unlabelled(idx) : labelledIdx(idx, labels);
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(option + " " + path + ": expected an IDX image file or a folder of"
                    + " images, of class folders or of IDX files; it does not exist or is neither");
        }
        return hasSubfolders(path) ? new ImageFolderSource(path, channels, BadImagePolicy.SKIP_AND_REPORT)
                : new FolderImageSource(path, channels, BadImagePolicy.SKIP_AND_REPORT);
    }

    /**
     * @param path what the user gave
     * @param split {@code train} or {@code t10k}
     * @param channels channels to decode image files to
     * @param option the option's name, for errors
     * @return the labelled images
     * @throws IllegalArgumentException when the path has no labels (named)
     */
    static LabelledImageSource labelled(Path path, String split, int channels, String option) {
        Path idx = idxFile(path, split);
        if (idx != null) {
            Path labels = labelFile(idx);
            if (labels == null) {
                throw new IllegalArgumentException(option + " " + idx + ": no label file beside it (expected "
                        + idx.getFileName().toString().replace(IMAGES, LABELS) + ")");
            }
            return labelledIdx(idx, labels);
        }
        if (Files.isDirectory(path) && hasSubfolders(path)) {
            return new ImageFolderSource(path, channels, BadImagePolicy.SKIP_AND_REPORT);
        }
        throw new IllegalArgumentException(option + " " + path + ": expected labelled images: an IDX image file"
                + " with its label file beside it, a folder of IDX files, or a folder of class folders");
    }

    /**
     * @param path what the user gave
     * @param split {@code train} or {@code t10k}
     * @return whether {@code path} is a folder holding that split's IDX image file
     */
    static boolean holdsIdxSplit(Path path, String split) {
        return Files.isDirectory(path) && idxFile(path, split) != null;
    }

    private static LabelledImageSource labelledIdx(Path idx, Path labels) {
        boolean fashion = idx.toString().toLowerCase(java.util.Locale.ROOT).contains("fashion");
        return IdxImageSource.labelled(idx, labels, fashion ? IdxImageSource.FASHION_MNIST_CLASSES : null, 0);
    }

    /** @return the IDX image file the path names or holds for the split, or null when it is not IDX data */
    private static Path idxFile(Path path, String split) {
        if (Files.isRegularFile(path)) {
            return path.getFileName().toString().contains(IMAGES) ? path : null;
        }
        for (String suffix : new String[] {".gz", ""}) {
            Path f = path.resolve(split + IMAGES + suffix);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    private static Path labelFile(Path idx) {
        Path labels = idx.resolveSibling(idx.getFileName().toString().replace(IMAGES, LABELS));
        return Files.isRegularFile(labels) ? labels : null;
    }

    private static boolean hasSubfolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(Files::isDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
