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
public final class ImageFolderSource implements LabelledImageSource {

    private static final Logger logger = LoggerFactory.getLogger(ImageFolderSource.class);

    private final Path root;
    private final ImageDecoder decoder;
    private final List<String> classNames;
    private final List<Path> files = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();
    private final List<SkippedImage> skipped;

    /**
     * @param root the folder of class folders
     * @param channels 1 or 3
     * @param policy what to do with files that do not decode
     * @throws IllegalArgumentException when {@code root} is not a folder, has no class folder, or a class folder
     *     holds no readable image (each named)
     * @throws ImageDataException for a bad file under {@link BadImagePolicy#FAIL_FAST}
     */
    public ImageFolderSource(Path root, int channels, BadImagePolicy policy) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + ": is not a folder (expected one sub-folder per class)");
        }
        this.root = root;
        this.decoder = new ImageDecoder(channels, ImageDecoder.DEFAULT_MAX_PIXELS);
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
        this.classNames = classDirs.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
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
        this.skipped = List.copyOf(bad);
        FolderImageSource.report(logger, root, files.size(), skipped);
    }

    /** Fail-fast, RGB. @param root the folder of class folders */
    public ImageFolderSource(Path root) {
        this(root, 3, BadImagePolicy.FAIL_FAST);
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

    /** {@inheritDoc} */
    @Override
    public String label(int index) {
        return classNames.get(labels.get(index));
    }

    /** {@inheritDoc} */
    @Override
    public List<String> classNames() {
        return List.copyOf(classNames);
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
        return "image folder " + root + " (" + files.size() + " images, " + classNames.size() + " classes)";
    }
}
