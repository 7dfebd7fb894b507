package org.byol4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.data.PixelImage;

/**
 * The transfer dataset of the zoo table: the UCI optical-recognition handwritten digits as shipped by scikit-learn
 * ({@code sklearn/datasets/data/digits.csv.gz}, Debian package {@code python3-sklearn}): 1,797 greyscale 8×8
 * images of the digits 0–9, 16 grey levels, ink high. Each CSV row holds 64 pixel values in 0–16, row-major, then
 * the class. Pixels become {@code value / 16} so ink is 1 and background 0, as in Fashion-MNIST.
 */
final class SklearnDigits implements LabelledImageSource {

    /** Where Debian's {@code python3-sklearn} installs the file. */
    static final Path DEBIAN_PATH = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz");

    private static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private final Path file;
    private final List<PixelImage> images;
    private final List<String> labels;

    private SklearnDigits(Path file, List<PixelImage> images, List<String> labels) {
        this.file = file;
        this.images = images;
        this.labels = labels;
    }

    /**
     * @param file {@code digits.csv.gz}
     * @return every image, in file order
     * @throws IOException when the file is missing or a row is not 64 pixels in [0, 16] and a class in [0, 9]
     */
    static SklearnDigits load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": the scikit-learn digits file is missing (apt-get install python3-sklearn,"
                    + " or pass --digits FILE)");
        }
        List<PixelImage> images = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.US_ASCII))) {
            String line;
            int row = 0;
            while ((line = r.readLine()) != null) {
                row++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                if (cells.length != 65) {
                    throw new IOException(file + " row " + row + ": expected 64 pixels and a class, got "
                            + cells.length + " values");
                }
                float[] px = new float[64];
                for (int i = 0; i < 64; i++) {
                    float v = parse(file, row, cells[i]);
                    if (v < 0 || v > 16) {
                        throw new IOException(file + " row " + row + " pixel " + i + ": expected 0-16, got " + v);
                    }
                    px[i] = v / 16f;
                }
                float c = parse(file, row, cells[64]);
                if (c != Math.rint(c) || c < 0 || c > 9) {
                    throw new IOException(file + " row " + row + ": expected a class 0-9, got " + cells[64]);
                }
                images.add(new PixelImage(1, 8, 8, px));
                labels.add(CLASSES.get((int) c));
            }
        }
        return new SklearnDigits(file, List.copyOf(images), List.copyOf(labels));
    }

    private static float parse(Path file, int row, String cell) throws IOException {
        try {
            return Float.parseFloat(cell.trim());
        } catch (NumberFormatException e) {
            throw new IOException(file + " row " + row + ": '" + cell + "' is not a number", e);
        }
    }

    @Override
    public String label(int index) {
        return labels.get(index);
    }

    @Override
    public List<String> classNames() {
        return CLASSES;
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public PixelImage image(int index) {
        return images.get(index);
    }

    @Override
    public String description() {
        return "scikit-learn digits (UCI optdigits, 8x8) " + file + " (" + size() + " images)";
    }
}
