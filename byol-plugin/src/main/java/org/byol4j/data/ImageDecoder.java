package org.byol4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes one image file (JPEG, PNG, BMP, GIF: whatever {@link ImageIO} reads) into a {@link PixelImage} in
 * [0, 1], refusing bad input with an {@link ImageDataException} that names the file and the problem: an empty
 * file, content no decoder recognises, dimensions above the limit (a decompression bomb is caught from its header,
 * before any pixel memory is allocated), and truncated or corrupt data (including the JPEG decoder's
 * "premature end" warnings, which ImageIO would otherwise paper over with grey pixels).
 */
public final class ImageDecoder {

    /** Default pixel limit: 40 megapixels, well above any photo a backbone is trained on. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    private final int channels;
    private final long maxPixels;

    /**
     * @param channels 1 (grey: RGB is converted by ITU-R 601 luma) or 3 (RGB: grey is repeated)
     * @param maxPixels width × height above which an image is refused
     */
    public ImageDecoder(int channels, long maxPixels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be >= 1, got " + maxPixels);
        }
        this.channels = channels;
        this.maxPixels = maxPixels;
    }

    /** @return channels of the images this decoder returns */
    public int channels() {
        return channels;
    }

    /**
     * @param file the image file
     * @return its pixels, {@link #channels()} channels, at the file's own size
     * @throws ImageDataException naming the file and the problem
     */
    public PixelImage decode(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageDataException(file, "cannot be read: " + e, e);
        }
        return decode(bytes, file, file.toString());
    }

    /**
     * @param bytes an encoded image (JPEG, PNG, BMP or GIF)
     * @param origin where the bytes came from (a path or URI), named in errors
     * @return its pixels, {@link #channels()} channels, at the image's own size
     * @throws ImageDataException naming the origin and the problem
     */
    public PixelImage decode(byte[] bytes, String origin) {
        return decode(bytes, null, origin);
    }

    private PixelImage decode(byte[] bytes, Path file, String origin) {
        if (bytes == null || bytes.length == 0) {
            throw bad(file, origin, "is empty (0 bytes); expected a JPEG, PNG, BMP or GIF image", null);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw bad(file, origin, "is not an image: no decoder recognises its content (expected JPEG, PNG, BMP"
                        + " or GIF)", null);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w < 1 || h < 1 || (long) w * h > maxPixels) {
                    throw bad(file, origin, "declares " + w + " x " + h + " pixels, outside 1 .. " + maxPixels
                            + " pixels (a decompression bomb or a corrupt header); refused before decoding", null);
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage img = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw bad(file, origin, "is truncated or corrupt: " + String.join("; ", warnings), null);
                }
                return toPixels(img);
            } finally {
                reader.dispose();
            }
        } catch (ImageDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw bad(file, origin, "is truncated or corrupt " + reader(origin) + ": " + e.getMessage(), e);
        }
    }

    private static ImageDataException bad(Path file, String origin, String problem, Throwable cause) {
        return file != null ? new ImageDataException(file, problem, cause)
                : new ImageDataException(origin, problem, cause);
    }

    private static String reader(String origin) {
        String name = origin.substring(origin.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "image" : "(" + name.substring(dot + 1) + " data)";
    }

    private PixelImage toPixels(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        Raster raster = img.getRaster();
        boolean grey = img.getColorModel().getNumColorComponents() == 1 && raster.getNumBands() <= 2
                && img.getColorModel().getPixelSize() <= 16 && img.getType() != BufferedImage.TYPE_BYTE_INDEXED
                && img.getType() != BufferedImage.TYPE_BYTE_BINARY;
        float[] out = new float[channels * plane];
        if (grey) {
            float max = (1 << img.getColorModel().getComponentSize(0)) - 1;
            float[] row = new float[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    float v = row[x] / max;
                    for (int c = 0; c < channels; c++) {
                        out[c * plane + y * w + x] = v;
                    }
                }
            }
            return PixelImage.wrap(channels, h, w, out);
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            float r = ((argb[i] >> 16) & 0xff) / 255f;
            float g = ((argb[i] >> 8) & 0xff) / 255f;
            float b = (argb[i] & 0xff) / 255f;
            if (channels == 1) {
                out[i] = 0.299f * r + 0.587f * g + 0.114f * b;
            } else {
                out[i] = r;
                out[plane + i] = g;
                out[2 * plane + i] = b;
            }
        }
        return PixelImage.wrap(channels, h, w, out);
    }
}
