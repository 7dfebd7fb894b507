package org.byol4j.backbone;

import org.byol4j.augment.ImageOps;
import org.byol4j.data.Channels;
import org.byol4j.data.PixelImage;

/**
 * The input policy of a {@link Backbone}: channels adapted to the network's ({@link Channels}), then an image whose
 * size differs from the input size is centre-cropped to a square and resized bilinearly. The model zoo's
 * translator and the Tribuo bridge use it, so every path into a backbone sees the same pixels.
 *
 * @param channels the channels the network expects
 * @param imageSize the input side in pixels
 */
public record BackbonePreprocessor(int channels, int imageSize) {

    /** Validates the values. */
    public BackbonePreprocessor {
        if (channels < 1 || imageSize < 1) {
            throw new IllegalArgumentException("channels and imageSize must be >= 1, got " + channels + ", "
                    + imageSize);
        }
    }

    /**
     * @param img any image
     * @return the image the network sees
     */
    public PixelImage apply(PixelImage img) {
        PixelImage x = Channels.adapt(img, channels);
        if (x.height() == imageSize && x.width() == imageSize) {
            return x;
        }
        int side = Math.min(x.height(), x.width());
        return ImageOps.resizedCrop(x, (x.height() - side) / 2, (x.width() - side) / 2, side, side, imageSize);
    }
}
