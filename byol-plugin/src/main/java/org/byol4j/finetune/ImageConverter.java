package org.byol4j.finetune;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import java.io.Serializable;
import org.byol4j.backbone.BackbonePreprocessor;
import org.byol4j.data.Channels;
import org.byol4j.data.PixelImage;
import org.byol4j.tribuo.DenseFeatures;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.classification.Label;

/**
 * Turns a Tribuo {@link Example} of pixel features back into the image a network sees: features named
 * {@code <prefix>-<index>} (as {@code PixelDataSource} writes them: {@code px-0000} …, channel-major), values in
 * [0, 1], of a {@code channels × height × width} image ({@link #toExample} goes the other way). A pixel the example lacks is 0 (Tribuo may drop zero
 * features); a feature of another name, or an index outside the image, is refused naming the example and feature.
 */
public final class ImageConverter implements Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {

    private static final long serialVersionUID = 1L;

    @Config(mandatory = true, description = "Image width in pixels.")
    private int width;

    @Config(mandatory = true, description = "Image height in pixels.")
    private int height;

    @Config(mandatory = true, description = "Image channels: 1 (greyscale) or 3 (RGB).")
    private int channels;

    @Config(description = "Prefix of the pixel features' names: <prefix>-<index>.")
    private String featurePrefix = "px";

    private transient String[] names;

    /** For OLCUT. */
    private ImageConverter() {}

    /**
     * @param width image width in pixels
     * @param height image height in pixels
     * @param channels 1 or 3
     */
    public ImageConverter(int width, int height, int channels) {
        this.width = width;
        this.height = height;
        this.channels = channels;
        postConfig();
    }

    /** Checks the sizes. */
    @Override
    public void postConfig() {
        if (width < 1 || height < 1) {
            throw new PropertyException("", "width", "image width and height must be >= 1, got " + width + " x "
                    + height);
        }
        if (channels != 1 && channels != 3) {
            throw new PropertyException("", "channels", "channels must be 1 or 3, got " + channels);
        }
        if (featurePrefix == null || featurePrefix.isEmpty()) {
            throw new PropertyException("", "featurePrefix", "the feature prefix must not be empty");
        }
    }

    /** @return the image width */
    public int width() {
        return width;
    }

    /** @return the image height */
    public int height() {
        return height;
    }

    /** @return the image channels */
    public int channels() {
        return channels;
    }

    /**
     * @param example an example of pixel features
     * @param where the example's position, for messages (e.g. {@code example 17 of the training set})
     * @return its image
     * @throws IllegalArgumentException naming the example and the feature that is not a pixel of this image
     */
    public PixelImage convert(Example<?> example, String where) {
        int size = channels * height * width;
        float[] pixels = new float[size];
        String prefix = featurePrefix + "-";
        for (Feature f : example) {
            String name = f.getName();
            int index = -1;
            if (name.startsWith(prefix)) {
                try {
                    index = Integer.parseInt(name.substring(prefix.length()));
                } catch (NumberFormatException e) {
                    index = -1;
                }
            }
            if (index < 0 || index >= size) {
                throw new IllegalArgumentException(where + ": feature '" + name + "' is not a pixel of a " + channels
                        + " x " + height + " x " + width + " image (expected " + prefix + "0000 to " + prefix
                        + (size - 1) + ", channel-major, as PixelDataSource writes them)");
            }
            pixels[index] = (float) f.getValue();
        }
        return PixelImage.wrap(channels, height, width, pixels);
    }

    /**
     * The other direction: an image of any size as an example of this converter's pixel features. Channels are
     * adapted (grey to RGB by copying, RGB to grey by luminance); for a square converter the image is centre-cropped
     * to a square and resized, as embedding does; otherwise it must already be {@code width × height}.
     *
     * @param image the image, values in [0, 1]
     * @param output the example's output ({@code LabelFactory.UNKNOWN_LABEL} for one to predict)
     * @param where the image's origin, for messages
     * @return the example
     * @throws IllegalArgumentException naming {@code where} when a non-square converter gets an image of another size
     */
    public Example<Label> toExample(PixelImage image, Label output, String where) {
        PixelImage fitted;
        if (width == height) {
            fitted = new BackbonePreprocessor(channels, width).apply(image);
        } else if (image.width() == width && image.height() == height) {
            fitted = Channels.adapt(image, channels);
        } else {
            throw new IllegalArgumentException(where + ": image is " + image.width() + " x " + image.height()
                    + ", expected " + width + " x " + height);
        }
        if (names == null) {
            names = DenseFeatures.names(featurePrefix, channels * height * width);
        }
        return DenseFeatures.example(output, names, fitted.pixels());
    }

    /** {@inheritDoc} */
    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "ImageConverter");
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "ImageConverter(" + channels + " x " + height + " x " + width + ", " + featurePrefix + "-*)";
    }
}
