package org.byol4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labelled images laid out like torchvision's {@code ImageFolder}: {@code root/<class>/**}{@code /*.png}. Class
 * names are the sub-folder names, sorted (class id = position in {@link #classNames()}, as torchvision numbers
 * them); images of a class may sit at any depth below its folder; files directly in {@code root} and hidden
 * entries are ignored. Bad files are handled by the {@link BadImagePolicy}, as in {@link FolderImageSource}.
 * Use it with Tribuo through {@code EmbeddingDataSource} and a {@code LabelFactory}: the class name is the label.
 */
public final class ImageFolderSource extends ImageFileSource implements LabelledImageSource {

    private static final Logger logger = LoggerFactory.getLogger(ImageFolderSource.class);

    private final Path root;
    private final List<String> classNames;
    private final List<Integer> labels;

    /** The result of scanning a folder of class folders. */
    private record Scan(List<String> classNames, List<Path> files, List<Integer> labels, List<SkippedImage> bad) {}

    /**
     * @param root the folder of class folders
     * @param channels 1 or 3
     * @param policy what to do with files that do not decode
     * @throws IllegalArgumentException when {@code root} is not a folder, has no class folder, or a class folder
     *     holds no readable image (each named)
     * @throws ImageDataException for a bad file under {@link BadImagePolicy#FAIL_FAST}
     */
    public ImageFolderSource(Path root, int channels, BadImagePolicy policy) {
        this(root, new ImageDecoder(channels, ImageDecoder.DEFAULT_MAX_PIXELS), policy);
    }

    private ImageFolderSource(Path root, ImageDecoder decoder, BadImagePolicy policy) {
        this(root, decoder, scan(root, decoder, policy));
    }

    private ImageFolderSource(Path root, ImageDecoder decoder, Scan scan) {
        super(logger, root, decoder, scan.files(), scan.bad());
        this.root = root;
        this.classNames = List.copyOf(scan.classNames());
        this.labels = List.copyOf(scan.labels());
    }

    /** Fail-fast, RGB. @param root the folder of class folders */
    public ImageFolderSource(Path root) {
        this(root, 3, BadImagePolicy.FAIL_FAST);
    }

    private static Scan scan(Path root, ImageDecoder decoder, BadImagePolicy policy) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + ": is not a folder (expected one sub-folder per class)");
        }
        List<Path> classDirs;
        try (Stream<Path> entries = Files.list(root)) {
            classDirs = entries.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(root + ": cannot be listed", e);
        }
        if (classDirs.isEmpty()) {
            throw new IllegalArgumentException(root + ": has no class sub-folders (expected root/<class>/<image>)");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<SkippedImage> bad = new ArrayList<>();
        for (int c = 0; c < classDirs.size(); c++) {
            List<Path> good = ImageFiles.validate(ImageFiles.scan(classDirs.get(c)), decoder, policy, bad);
            if (good.isEmpty()) {
                throw new IllegalArgumentException(classDirs.get(c) + ": class folder holds no readable image"
                        + " (every class needs at least one; remove the folder or add images)");
            }
            for (Path f : good) {
                files.add(f);
                labels.add(c);
            }
        }
        List<String> names = classDirs.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
        return new Scan(names, files, labels, bad);
    }

    /** {@inheritDoc} */
    @Override
    public String label(int index) {
        return classNames.get(labels.get(index));
    }

    /** {@inheritDoc} */
    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** {@inheritDoc} */
    @Override
    public String description() {
        return "image folder " + root + " (" + size() + " images, " + classNames.size() + " classes)";
    }
}
