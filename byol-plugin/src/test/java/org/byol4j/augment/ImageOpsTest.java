package org.byol4j.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.byol4j.data.PixelImage;
import org.junit.jupiter.api.Test;

/** Each transform on small tensors against values worked out by hand. */
class ImageOpsTest {

    private static PixelImage grey(int h, int w, float... v) {
        return new PixelImage(1, h, w, v);
    }

    @Test
    void solarizeInvertsPixelsAtOrAboveTheThreshold() {
        PixelImage out = ImageOps.solarize(grey(1, 4, 0.2f, 0.5f, 0.7f, 1.0f), 0.5f);
        assertArrayEquals(new float[] {0.2f, 0.5f, 0.3f, 0.0f}, out.pixels(), 1e-6f);
    }

    @Test
    void greyscaleUsesItu601LumaWeightsOnEveryChannel() {
        // One pixel (r, g, b) = (1, 0.5, 0): 0.299 + 0.2935 = 0.5925 on all three channels.
        PixelImage out = ImageOps.greyscale(new PixelImage(3, 1, 1, new float[] {1f, 0.5f, 0f}));
        assertArrayEquals(new float[] {0.5925f, 0.5925f, 0.5925f}, out.pixels(), 1e-6f);
        PixelImage g = grey(1, 1, 0.3f);
        assertSame(g, ImageOps.greyscale(g), "a grey image is already grey");
    }

    @Test
    void gaussianKernelIsNormalisedSymmetricAndMatchesTheFormula() {
        float[] k = ImageOps.gaussianKernel(3, 1f);
        // exp(-1/2) = 0.60653; normalised by 1 + 2·0.60653 = 2.21306.
        assertArrayEquals(new float[] {0.27407f, 0.45186f, 0.27407f}, k, 1e-5f);
        for (int size : new int[] {1, 3, 5, 23}) {
            for (float sigma : new float[] {0.1f, 1f, 2f}) {
                float sum = 0;
                for (float v : ImageOps.gaussianKernel(size, sigma)) {
                    sum += v;
                }
                assertEquals(1f, sum, 1e-5f, "kernel " + size + " sigma " + sigma);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ImageOps.gaussianKernel(4, 1f));
    }

    @Test
    void blurReflectsAtTheBorderAndKeepsConstantsConstant() {
        float[] k = {0.25f, 0.5f, 0.25f};
        // Row [0, 1, 0] on a 1×3 image: horizontal pass gives [0.5, 0.5, 0.5] with reflection
        // (x=-1 → x=1), vertical pass on one row reflects to itself.
        PixelImage out = ImageOps.blur(grey(1, 3, 0f, 1f, 0f), k);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, out.pixels(), 1e-6f);
        float[] constant = new float[25];
        java.util.Arrays.fill(constant, 0.4f);
        assertArrayEquals(constant, ImageOps.blur(grey(5, 5, constant), ImageOps.gaussianKernel(5, 2f)).pixels(),
                1e-6f);
    }

    @Test
    void brightnessContrastAndSaturationFollowTorchvision() {
        assertArrayEquals(new float[] {0.3f, 1f}, ImageOps.brightness(grey(1, 2, 0.2f, 0.8f), 1.5f).pixels(), 1e-6f);
        // Contrast blends with the mean (0.5): 0.5·x + 0.25.
        assertArrayEquals(new float[] {0.35f, 0.65f}, ImageOps.contrast(grey(1, 2, 0.2f, 0.8f), 0.5f).pixels(),
                1e-6f);
        // Saturation 0 gives the grey value on every channel; 1-channel images are untouched.
        PixelImage rgb = new PixelImage(3, 1, 1, new float[] {1f, 0.5f, 0f});
        assertArrayEquals(new float[] {0.5925f, 0.5925f, 0.5925f}, ImageOps.saturation(rgb, 0f).pixels(), 1e-6f);
        PixelImage g = grey(1, 1, 0.3f);
        assertSame(g, ImageOps.saturation(g, 0f));
        assertSame(g, ImageOps.hue(g, 0.3f));
    }

    @Test
    void hueShiftRotatesPrimaries() {
        // Red shifted by a third of a turn is green; by zero it is unchanged.
        PixelImage red = new PixelImage(3, 1, 1, new float[] {1f, 0f, 0f});
        assertArrayEquals(new float[] {0f, 1f, 0f}, ImageOps.hue(red, 1f / 3f).pixels(), 1e-5f);
        assertArrayEquals(new float[] {1f, 0f, 0f}, ImageOps.hue(red, 0f).pixels(), 1e-6f);
    }

    @Test
    void flipAndIdentityCrop() {
        assertArrayEquals(new float[] {3f, 2f, 1f, 6f, 5f, 4f},
                ImageOps.flipHorizontal(grey(2, 3, 1f, 2f, 3f, 4f, 5f, 6f)).pixels());
        PixelImage img = grey(2, 2, 0.1f, 0.2f, 0.3f, 0.4f);
        assertArrayEquals(img.pixels(), ImageOps.resizedCrop(img, 0, 0, 2, 2, 2).pixels(), 1e-6f);
        // Upsampling one row [0, 1] to 4 columns, half-pixel centres: [0, 0.25, 0.75, 1].
        PixelImage up = ImageOps.resizedCrop(grey(1, 2, 0f, 1f), 0, 0, 1, 2, 4);
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, java.util.Arrays.copyOf(up.pixels(), 4), 1e-6f);
    }

    @Test
    void cropBoxesStayInsideTheImageAndRespectScaleAndRatio() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            CropBox b = CropBox.sample(28, 40, 0.08f, 1f, 3f / 4f, 4f / 3f, rng);
            assertTrue(b.top() >= 0 && b.left() >= 0 && b.height() >= 1 && b.width() >= 1, "box " + i);
            assertTrue(b.top() + b.height() <= 28 && b.left() + b.width() <= 40, "box " + i);
        }
        // A scale range no box can meet falls back to the centred whole image (within the ratio bounds).
        CropBox fallback = CropBox.sample(10, 10, 5f, 6f, 3f / 4f, 4f / 3f, new SplittableRandom(1));
        assertEquals(0, fallback.top());
        assertEquals(10, fallback.height());
        assertEquals(10, fallback.width());
    }
}
