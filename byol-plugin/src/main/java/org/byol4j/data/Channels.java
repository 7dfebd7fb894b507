package org.byol4j.data;

/**
 * Adapts an image to the channel count a backbone expects: grey → RGB repeats the plane (the usual way an
 * RGB backbone sees a greyscale dataset); RGB → grey takes the ITU-R 601 luma 0.299R + 0.587G + 0.114B.
 */
public final class Channels {

    private Channels() {}

    /**
     * @param img source image
     * @param channels 1 or 3
     * @return the image with {@code channels} channels (the same object when nothing changes)
     * @throws IllegalArgumentException for any other combination
     */
    public static PixelImage adapt(PixelImage img, int channels) {
        if (img.channels() == channels) {
            return img;
        }
        int plane = img.height() * img.width();
        float[] src = img.pixels();
        if (img.channels() == 1 && channels == 3) {
            float[] out = new float[3 * plane];
            for (int c = 0; c < 3; c++) {
                System.arraycopy(src, 0, out, c * plane, plane);
            }
            return PixelImage.wrap(3, img.height(), img.width(), out);
        }
        if (img.channels() == 3 && channels == 1) {
            float[] out = new float[plane];
            for (int i = 0; i < plane; i++) {
                out[i] = 0.299f * src[i] + 0.587f * src[plane + i] + 0.114f * src[2 * plane + i];
            }
            return PixelImage.wrap(1, img.height(), img.width(), out);
        }
        throw new IllegalArgumentException("cannot turn a " + img.channels() + "-channel image into "
                + channels + " channels (1 and 3 are supported)");
    }
}
