package org.byol4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Images (and optionally labels) in LeCun's IDX format, as MNIST and Fashion-MNIST ship them, gzipped or
 * not (detected from the content, not the name). Images are 8-bit greyscale (magic 0x00000803), labels
 * 8-bit class ids (magic 0x00000801); a label id {@code k} maps to the class name {@code classNames.get(k)},
 * by default the decimal id ({@code "0"} … {@code "9"}); {@link #FASHION_MNIST_CLASSES} gives the
 * dataset's own names.
 *
 * <p>Everything is read and checked at construction (wrong magic, counts that do not match the file length,
 * label and image counts that differ, label ids without a class name); pixels stay as bytes (1 byte per pixel
 * in memory) and become floats on access.
 */
public final class IdxImageSource implements LabelledImageSource {

    /** Fashion-MNIST's class names by label id (Xiao et al. 2017). */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover",
            "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final int IMAGE_MAGIC = 0x00000803;
    private static final int LABEL_MAGIC = 0x00000801;

    private final Path imageFile;
    private final int count;
    private final int rows;
    private final int cols;
    private final byte[] pixels;
    private final byte[] labels;
    private final List<String> classNames;

    private IdxImageSource(Path imageFile, int count, int rows, int cols, byte[] pixels, byte[] labels,
            List<String> classNames) {
        this.imageFile = imageFile;
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
        this.labels = labels;
        this.classNames = classNames;
    }

    /**
     * Reads unlabelled images.
     *
     * @param images IDX image file
     * @return the source; {@link #label(int)} is unavailable
     * @throws ImageDataException naming the file and the problem
     */
    public static IdxImageSource unlabelled(Path images) {
        return read(images, null, List.of(), 0);
    }

    /**
     * Reads images with labels named by their decimal id.
     *
     * @param images IDX image file
     * @param labelFile IDX label file with the same count
     * @return the source
     * @throws ImageDataException naming the file and the problem
     */
    public static IdxImageSource labelled(Path images, Path labelFile) {
        return labelled(images, labelFile, null, 0);
    }

    /**
     * Reads images with labels.
     *
     * @param images IDX image file
     * @param labelFile IDX label file with the same count
     * @param classNames name of each label id, or null for the decimal ids
     * @param limit read only the first {@code limit} images (0 = all)
     * @return the source
     * @throws ImageDataException naming the file and the problem
     */
    public static IdxImageSource labelled(Path images, Path labelFile, List<String> classNames, int limit) {
        return read(images, labelFile, classNames, limit);
    }

    private static IdxImageSource read(Path images, Path labelFile, List<String> names, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        int count;
        int rows;
        int cols;
        byte[] pixels;
        try (DataInputStream in = open(images)) {
            checkMagic(images, in, IMAGE_MAGIC, "an IDX image file (unsigned bytes, 3 dimensions)");
            count = readDim(images, in, "image count");
            rows = readDim(images, in, "rows");
            cols = readDim(images, in, "columns");
            if ((long) rows * cols > 16_777_216L) {
                throw new ImageDataException(images, "images of " + rows + "x" + cols + " exceed 16M pixels");
            }
            int n = limit > 0 ? Math.min(limit, count) : count;
            long bytes = (long) n * rows * cols;
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new ImageDataException(images, n + " images of " + rows + "x" + cols
                        + " do not fit one array; pass a limit");
            }
            pixels = new byte[(int) bytes];
            readExactly(images, in, pixels, "header says " + count + " images of " + rows + "x" + cols);
            if (limit == 0 && in.read() != -1) {
                throw new ImageDataException(images, "file is longer than its header says (" + count
                        + " images of " + rows + "x" + cols + ")");
            }
            count = n;
        } catch (IOException e) {
            throw new ImageDataException(images, "cannot read IDX images: " + e.getMessage(), e);
        }
        byte[] labels = null;
        List<String> classNames = List.of();
        if (labelFile != null) {
            labels = readLabels(labelFile, images, count, limit > 0);
            int maxId = 0;
            for (byte b : labels) {
                maxId = Math.max(maxId, b & 0xFF);
            }
            classNames = names != null ? List.copyOf(names) : decimalNames(maxId + 1);
            if (maxId >= classNames.size()) {
                throw new ImageDataException(labelFile, "label id " + maxId + " has no class name (" + classNames.size()
                        + " names given)");
            }
        }
        return new IdxImageSource(images, count, rows, cols, pixels, labels, classNames);
    }

    private static byte[] readLabels(Path labelFile, Path images, int count, boolean limited) {
        try (DataInputStream in = open(labelFile)) {
            checkMagic(labelFile, in, LABEL_MAGIC, "an IDX label file (unsigned bytes, 1 dimension)");
            int n = readDim(labelFile, in, "label count");
            if (limited ? n < count : n != count) {
                throw new ImageDataException(labelFile, "holds " + n + " labels but " + images + " holds "
                        + count + " images");
            }
            byte[] labels = new byte[count];
            readExactly(labelFile, in, labels, "header says " + n + " labels");
            if (!limited && in.read() != -1) {
                throw new ImageDataException(labelFile, "file is longer than its header says (" + n + " labels)");
            }
            return labels;
        } catch (IOException e) {
            throw new ImageDataException(labelFile, "cannot read IDX labels: " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImageDataException(file, "no such file");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw), 1 << 16) : raw);
    }

    private static void checkMagic(Path file, DataInputStream in, int magic, String expected) throws IOException {
        int found;
        try {
            found = in.readInt();
        } catch (EOFException e) {
            throw new ImageDataException(file, "file is empty or shorter than an IDX header; expected " + expected);
        }
        if (found != magic) {
            throw new ImageDataException(file, String.format("wrong magic number 0x%08X, expected 0x%08X (%s)",
                    found, magic, expected));
        }
    }

    private static int readDim(Path file, DataInputStream in, String what) throws IOException {
        int v;
        try {
            v = in.readInt();
        } catch (EOFException e) {
            throw new ImageDataException(file, "header ends before the " + what);
        }
        if (v <= 0) {
            throw new ImageDataException(file, what + " is " + v + ", expected a positive number");
        }
        return v;
    }

    private static void readExactly(Path file, DataInputStream in, byte[] dest, String header) throws IOException {
        try {
            in.readFully(dest);
        } catch (EOFException e) {
            throw new ImageDataException(file, "file is truncated: " + header + " but the data ends early");
        }
    }

    private static List<String> decimalNames(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(Integer.toString(i));
        }
        return Collections.unmodifiableList(names);
    }

    /** {@inheritDoc} */
    @Override
    public int size() {
        return count;
    }

    /** {@inheritDoc} */
    @Override
    public int channels() {
        return 1;
    }

    /** @return image height in pixels */
    public int height() {
        return rows;
    }

    /** @return image width in pixels */
    public int width() {
        return cols;
    }

    /** {@inheritDoc} */
    @Override
    public PixelImage image(int index) {
        int plane = rows * cols;
        float[] out = new float[plane];
        int base = index * plane;
        for (int i = 0; i < plane; i++) {
            out[i] = (pixels[base + i] & 0xFF) / 255f;
        }
        return PixelImage.wrap(1, rows, cols, out);
    }

    /** {@inheritDoc} */
    @Override
    public String label(int index) {
        if (labels == null) {
            throw new IllegalStateException(imageFile + " was read without a label file");
        }
        return classNames.get(labels[index] & 0xFF);
    }

    /** {@inheritDoc} */
    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** {@inheritDoc} */
    @Override
    public String description() {
        return imageFile.toAbsolutePath().toString() + (count > 0 ? " (" + count + " images)" : "");
    }
}
