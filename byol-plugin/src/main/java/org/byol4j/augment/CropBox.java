package org.byol4j.augment;

import java.util.SplittableRandom;

/**
 * A crop rectangle (top, left, height, width), sampled the way torchvision's {@code RandomResizedCrop}
 * does: up to 10 tries of an area fraction in [scaleMin, scaleMax] and a log-uniform aspect ratio in
 * [ratioMin, ratioMax]; if none fits, the largest centred box with a clamped ratio.
 */
public final class CropBox {

    private final int top;
    private final int left;
    private final int height;
    private final int width;

    CropBox(int top, int left, int height, int width) {
        this.top = top;
        this.left = left;
        this.height = height;
        this.width = width;
    }

    /**
     * @param imgHeight source height
     * @param imgWidth source width
     * @param scaleMin smallest area fraction (paper: 0.08)
     * @param scaleMax largest area fraction (paper: 1)
     * @param ratioMin smallest width/height ratio (paper: 3/4)
     * @param ratioMax largest width/height ratio (paper: 4/3)
     * @param rng the random source
     * @return a box inside the image
     */
    public static CropBox sample(int imgHeight, int imgWidth, float scaleMin, float scaleMax,
            float ratioMin, float ratioMax, SplittableRandom rng) {
        double area = (double) imgHeight * imgWidth;
        double logMin = Math.log(ratioMin);
        double logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (scaleMin + (scaleMax - scaleMin) * rng.nextDouble());
            double aspect = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int w = (int) Math.round(Math.sqrt(target * aspect));
            int h = (int) Math.round(Math.sqrt(target / aspect));
            if (w > 0 && w <= imgWidth && h > 0 && h <= imgHeight) {
                int top = rng.nextInt(imgHeight - h + 1);
                int left = rng.nextInt(imgWidth - w + 1);
                return new CropBox(top, left, h, w);
            }
        }
        double inRatio = (double) imgWidth / imgHeight;
        int w;
        int h;
        if (inRatio < ratioMin) {
            w = imgWidth;
            h = (int) Math.round(w / ratioMin);
        } else if (inRatio > ratioMax) {
            h = imgHeight;
            w = (int) Math.round(h * ratioMax);
        } else {
            w = imgWidth;
            h = imgHeight;
        }
        return new CropBox((imgHeight - h) / 2, (imgWidth - w) / 2, h, w);
    }

    /** @return first row */
    public int top() {
        return top;
    }

    /** @return first column */
    public int left() {
        return left;
    }

    /** @return rows */
    public int height() {
        return height;
    }

    /** @return columns */
    public int width() {
        return width;
    }
}
