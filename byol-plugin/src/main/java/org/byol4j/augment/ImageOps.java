package org.byol4j.augment;

import org.byol4j.data.PixelImage;

/**
 * The pixel operations behind BYOL's augmentations, as pure functions on {@link PixelImage}s in [0, 1],
 * each matching torchvision's definition (the reference the paper's recipe is usually reproduced with).
 * Colour operations on a 1-channel image are exact no-ops where torchvision's would be identities too
 * (saturation, hue, greyscale of a grey image), and brightness/contrast act on the single channel.
 */
public final class ImageOps {

    /** ITU-R 601-2 luma weights, as torchvision's {@code rgb_to_grayscale}. */
    static final float[] LUMA = {0.299f, 0.587f, 0.114f};

    private ImageOps() {}

    /**
     * Crops the box (top, left, h, w) and resizes it to size × size with bilinear interpolation
     * (half-pixel centres, like {@code align_corners=False}; no antialiasing).
     *
     * @param img source
     * @param top first row of the box
     * @param left first column of the box
     * @param h box height ≥ 1
     * @param w box width ≥ 1
     * @param size output side
     * @return the resized crop
     */
    public static PixelImage resizedCrop(PixelImage img, int top, int left, int h, int w, int size) {
        int c = img.channels();
        float[] out = new float[c * size * size];
        float sy = (float) h / size;
        float sx = (float) w / size;
        for (int y = 0; y < size; y++) {
            float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.min((int) fy, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            float wy = fy - y0;
            for (int x = 0; x < size; x++) {
                float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.min((int) fx, w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                float wx = fx - x0;
                for (int ch = 0; ch < c; ch++) {
                    float a = img.get(ch, top + y0, left + x0);
                    float b = img.get(ch, top + y0, left + x1);
                    float d = img.get(ch, top + y1, left + x0);
                    float e = img.get(ch, top + y1, left + x1);
                    float row0 = a + (b - a) * wx;
                    float row1 = d + (e - d) * wx;
                    out[(ch * size + y) * size + x] = row0 + (row1 - row0) * wy;
                }
            }
        }
        return PixelImage.wrap(c, size, size, out);
    }

    /**
     * @param img source
     * @return the image mirrored left to right
     */
    public static PixelImage flipHorizontal(PixelImage img) {
        int c = img.channels();
        int h = img.height();
        int w = img.width();
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(ch * h + y) * w + x] = img.get(ch, y, w - 1 - x);
                }
            }
        }
        return PixelImage.wrap(c, h, w, out);
    }

    /**
     * @param img source
     * @param factor brightness factor ≥ 0
     * @return clamp(factor · x)
     */
    public static PixelImage brightness(PixelImage img, float factor) {
        float[] p = img.pixels();
        for (int i = 0; i < p.length; i++) {
            p[i] = clamp(p[i] * factor);
        }
        return PixelImage.wrap(img.channels(), img.height(), img.width(), p);
    }

    /**
     * @param img source
     * @param factor contrast factor ≥ 0
     * @return clamp(factor · x + (1 − factor) · mean(grey(x)))
     */
    public static PixelImage contrast(PixelImage img, float factor) {
        float[] grey = greyPlane(img);
        double sum = 0;
        for (float g : grey) {
            sum += g;
        }
        float mean = (float) (sum / grey.length);
        float[] p = img.pixels();
        for (int i = 0; i < p.length; i++) {
            p[i] = clamp(factor * p[i] + (1 - factor) * mean);
        }
        return PixelImage.wrap(img.channels(), img.height(), img.width(), p);
    }

    /**
     * @param img source
     * @param factor saturation factor ≥ 0
     * @return clamp(factor · x + (1 − factor) · grey(x)); identity for 1-channel images
     */
    public static PixelImage saturation(PixelImage img, float factor) {
        if (img.channels() == 1) {
            return img;
        }
        float[] grey = greyPlane(img);
        float[] p = img.pixels();
        int plane = grey.length;
        for (int i = 0; i < p.length; i++) {
            p[i] = clamp(factor * p[i] + (1 - factor) * grey[i % plane]);
        }
        return PixelImage.wrap(img.channels(), img.height(), img.width(), p);
    }

    /**
     * Rotates hue by {@code shift} turns in HSV space, like torchvision's {@code adjust_hue}.
     *
     * @param img source
     * @param shift hue shift in [−0.5, 0.5]
     * @return the shifted image; identity for 1-channel images
     */
    public static PixelImage hue(PixelImage img, float shift) {
        if (img.channels() != 3) {
            return img;
        }
        int plane = img.height() * img.width();
        float[] p = img.pixels();
        float[] hsv = new float[3];
        for (int i = 0; i < plane; i++) {
            rgbToHsv(p[i], p[plane + i], p[2 * plane + i], hsv);
            float h = hsv[0] + shift;
            h -= (float) Math.floor(h);
            hsvToRgb(h, hsv[1], hsv[2], p, i, plane);
        }
        return PixelImage.wrap(3, img.height(), img.width(), p);
    }

    /**
     * @param img source
     * @return every channel replaced by the luma 0.299R + 0.587G + 0.114B; identity for 1-channel images
     */
    public static PixelImage greyscale(PixelImage img) {
        if (img.channels() == 1) {
            return img;
        }
        float[] grey = greyPlane(img);
        float[] out = new float[img.channels() * grey.length];
        for (int ch = 0; ch < img.channels(); ch++) {
            System.arraycopy(grey, 0, out, ch * grey.length, grey.length);
        }
        return PixelImage.wrap(img.channels(), img.height(), img.width(), out);
    }

    /**
     * @param size odd kernel length ≥ 1
     * @param sigma standard deviation &gt; 0
     * @return the 1-D Gaussian kernel, summing to 1
     */
    public static float[] gaussianKernel(int size, float sigma) {
        if (size < 1 || size % 2 == 0) {
            throw new IllegalArgumentException("kernel size must be odd and >= 1, got " + size);
        }
        float[] k = new float[size];
        int half = size / 2;
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double x = i - half;
            k[i] = (float) Math.exp(-x * x / (2.0 * sigma * sigma));
            sum += k[i];
        }
        for (int i = 0; i < size; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    /**
     * Separable Gaussian blur with reflect padding, like torchvision's {@code gaussian_blur}.
     *
     * @param img source
     * @param kernel 1-D kernel from {@link #gaussianKernel}
     * @return the blurred image
     */
    public static PixelImage blur(PixelImage img, float[] kernel) {
        int c = img.channels();
        int h = img.height();
        int w = img.width();
        int half = kernel.length / 2;
        float[] tmp = new float[c * h * w];
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int k = 0; k < kernel.length; k++) {
                        s += kernel[k] * img.get(ch, y, reflect(x + k - half, w));
                    }
                    tmp[(ch * h + y) * w + x] = s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int k = 0; k < kernel.length; k++) {
                        s += kernel[k] * tmp[(ch * h + reflect(y + k - half, h)) * w + x];
                    }
                    out[(ch * h + y) * w + x] = s;
                }
            }
        }
        return PixelImage.wrap(c, h, w, out);
    }

    /**
     * @param img source
     * @param threshold values at or above it are inverted
     * @return x ≥ threshold ? 1 − x : x
     */
    public static PixelImage solarize(PixelImage img, float threshold) {
        float[] p = img.pixels();
        for (int i = 0; i < p.length; i++) {
            if (p[i] >= threshold) {
                p[i] = 1f - p[i];
            }
        }
        return PixelImage.wrap(img.channels(), img.height(), img.width(), p);
    }

    private static float[] greyPlane(PixelImage img) {
        int plane = img.height() * img.width();
        float[] p = img.pixels();
        if (img.channels() == 1) {
            return p;
        }
        float[] grey = new float[plane];
        for (int i = 0; i < plane; i++) {
            grey[i] = LUMA[0] * p[i] + LUMA[1] * p[plane + i] + LUMA[2] * p[2 * plane + i];
        }
        return grey;
    }

    private static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    private static float clamp(float v) {
        return v < 0f ? 0f : Math.min(v, 1f);
    }

    private static void rgbToHsv(float r, float g, float b, float[] hsv) {
        float max = Math.max(r, Math.max(g, b));
        float min = Math.min(r, Math.min(g, b));
        float delta = max - min;
        float h = 0f;
        if (delta > 0f) {
            if (max == r) {
                h = ((g - b) / delta) / 6f;
            } else if (max == g) {
                h = ((b - r) / delta + 2f) / 6f;
            } else {
                h = ((r - g) / delta + 4f) / 6f;
            }
            h -= (float) Math.floor(h);
        }
        hsv[0] = h;
        hsv[1] = max > 0f ? delta / max : 0f;
        hsv[2] = max;
    }

    private static void hsvToRgb(float h, float s, float v, float[] out, int i, int plane) {
        float h6 = h * 6f;
        int sector = (int) Math.floor(h6) % 6;
        float f = h6 - (float) Math.floor(h6);
        float p = v * (1 - s);
        float q = v * (1 - s * f);
        float t = v * (1 - s * (1 - f));
        float r;
        float g;
        float b;
        switch (sector) {
            case 0: r = v; g = t; b = p; break;
            case 1: r = q; g = v; b = p; break;
            case 2: r = p; g = v; b = t; break;
            case 3: r = p; g = q; b = v; break;
            case 4: r = t; g = p; b = v; break;
            default: r = v; g = p; b = q; break;
        }
        out[i] = r;
        out[plane + i] = g;
        out[2 * plane + i] = b;
    }
}
