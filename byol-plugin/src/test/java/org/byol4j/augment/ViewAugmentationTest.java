package org.byol4j.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.byol4j.data.PixelImage;
import org.junit.jupiter.api.Test;

class ViewAugmentationTest {

    private static PixelImage ramp(int channels, int side) {
        float[] v = new float[channels * side * side];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 37 % 101) / 100f;
        }
        return new PixelImage(channels, side, side, v);
    }

    @Test
    void blurKernelIsTenPercentOfTheSideOddAndAtLeastThree() {
        assertEquals(3, ViewAugmentation.defaultKernelSize(16));
        assertEquals(3, ViewAugmentation.defaultKernelSize(28));
        assertEquals(3, ViewAugmentation.defaultKernelSize(32));
        assertEquals(7, ViewAugmentation.defaultKernelSize(64));
        assertEquals(23, ViewAugmentation.defaultKernelSize(224));
        assertEquals(3, ViewAugmentation.byolView1(28).blurKernelSize());
    }

    @Test
    void blurSigmaIsAKnobWithThePapersRangeByDefault() {
        assertTrue(ViewAugmentation.byolView1(28).toString().contains("sigma=[0.1,2.0]"),
                ViewAugmentation.byolView1(28).toString());
        String scaled = ViewAugmentation.byolView2(28, 0.2f, 0.25f).toString();
        assertTrue(scaled.contains("sigma=[0.0125,0.25]") && scaled.contains("blur(p=0.1"), scaled);
        PixelImage img = ramp(1, 28);
        // With a tiny sigma the 3-tap kernel is almost the identity: the blurred view stays within 1e-3 of the
        // same view without blur.
        PixelImage tiny = ViewAugmentation.builder(28).optCropScale(1f, 1f).optFlipProbability(0f)
                .optColourJitter(0f, 0f, 0f, 0f, 0f).optBlurProbability(1f).optBlurSigma(0.0125f, 0.0125f).build()
                .apply(img, new SplittableRandom(1));
        float[] a = tiny.pixels();
        float[] b = img.pixels();
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 1e-3f);
        }
        assertThrows(IllegalArgumentException.class, () -> ViewAugmentation.builder(28).optBlurSigma(0f, 1f).build());
        assertThrows(IllegalArgumentException.class, () -> ViewAugmentation.builder(28).optBlurSigma(2f, 1f).build());
    }

    @Test
    void theSameSeedGivesTheSameViewAndAnotherSeedAnotherView() {
        PixelImage img = ramp(3, 32);
        ViewAugmentation v2 = ViewAugmentation.byolView2(24);
        PixelImage a = v2.apply(img, new SplittableRandom(11));
        PixelImage b = v2.apply(img, new SplittableRandom(11));
        PixelImage c = v2.apply(img, new SplittableRandom(12));
        assertArrayEquals(a.pixels(), b.pixels());
        assertFalse(Arrays.equals(a.pixels(), c.pixels()));
        assertEquals(3, a.channels());
        assertEquals(24, a.height());
        assertEquals(24, a.width());
        for (float p : a.pixels()) {
            assertTrue(p >= 0f && p <= 1f, "pixel out of [0, 1]: " + p);
        }
    }

    @Test
    void withEverythingElseOffTheViewIsTheSolarizedWholeImage() {
        PixelImage img = ramp(1, 8);
        ViewAugmentation solarizeOnly = ViewAugmentation.builder(8).optCropScale(1f, 1f).optFlipProbability(0f)
                .optColourJitter(0f, 0.4f, 0.4f, 0.2f, 0.1f).optGreyscaleProbability(0f).optBlurProbability(0f)
                .optSolarizeProbability(1f).build();
        // Scale 1 with ratio in [3/4, 4/3] on a square image crops the whole 8×8; resizing 8→8 is the identity.
        PixelImage expected = ImageOps.solarize(img, 0.5f);
        assertArrayEquals(expected.pixels(), solarizeOnly.apply(img, new SplittableRandom(3)).pixels(), 1e-6f);
    }

    @Test
    void solarizeFrequencyMatchesView2Probability() {
        // View 2's solarize p = 0.2 and view 1's p = 0: count how often a bright constant image comes out dark.
        PixelImage white = new PixelImage(1, 8, 8, filled(64, 0.9f));
        ViewAugmentation v1 = ViewAugmentation.builder(8).optColourJitter(0f, 0, 0, 0, 0).optBlurProbability(1f)
                .optSolarizeProbability(0f).build();
        ViewAugmentation v2 = ViewAugmentation.builder(8).optColourJitter(0f, 0, 0, 0, 0).optBlurProbability(0.1f)
                .optSolarizeProbability(0.2f).build();
        int n = 4000;
        int dark1 = 0;
        int dark2 = 0;
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            dark1 += v1.apply(white, rng).pixels()[0] < 0.5f ? 1 : 0;
            dark2 += v2.apply(white, rng).pixels()[0] < 0.5f ? 1 : 0;
        }
        assertEquals(0, dark1);
        // Binomial(4000, 0.2): mean 800, sd 25; ±5 sd.
        assertTrue(Math.abs(dark2 - 800) < 125, "solarized " + dark2 + " of " + n);
    }

    @Test
    void invalidSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ViewAugmentation.builder(8).optBlurKernelSize(4).build());
        assertTrue(e.getMessage().contains("blurKernelSize"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ViewAugmentation.builder(8).optSolarizeProbability(1.5f).build());
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ViewAugmentation.builder(8).optCropScale(0f, 1f).build());
        assertTrue(e.getMessage().contains("crop scale"), e.getMessage());
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
