package org.byol4j.augment;

import java.util.SplittableRandom;
import org.byol4j.data.PixelImage;

/**
 * One of BYOL's two augmentation pipelines (Grill et al. 2020, appendix B, Table 6), applied per image:
 * random resized crop → horizontal flip → colour jitter (brightness, contrast, saturation, hue in random
 * order) with probability p → greyscale with probability p → Gaussian blur with probability p → solarize with
 * probability p. The two views differ only in the blur and solarize probabilities
 * ({@link #byolView1(int)}: 1.0 / 0.0; {@link #byolView2(int)}: 0.1 / 0.2).
 *
 * <p>Small images: the blur kernel is 10 % of the output side rounded to an odd size, at least 3 (23 px at
 * 224, 3 px at 28–32), σ stays in [0.1, 2.0] as in the paper so the kernel bounds the blur; crop scale and
 * ratio are kept. Greyscale images: saturation, hue and greyscale are exact no-ops (as they are in
 * torchvision for a grey image); brightness and contrast act on the single channel.
 */
public final class ViewAugmentation {

    /** The paper's largest blur σ, in pixels of a 224 px view. */
    public static final float PAPER_SIGMA_MAX = 2f;
    /** The paper's smallest σ as a share of the largest (0.1 of 2.0). */
    public static final float SIGMA_MIN_SHARE = 0.05f;

    private final int outputSize;
    private final float scaleMin;
    private final float scaleMax;
    private final float ratioMin;
    private final float ratioMax;
    private final float flipProbability;
    private final float jitterProbability;
    private final float brightness;
    private final float contrast;
    private final float saturation;
    private final float hue;
    private final float greyscaleProbability;
    private final float blurProbability;
    private final float sigmaMin;
    private final float sigmaMax;
    private final int blurKernelSize;
    private final float solarizeProbability;
    private final float solarizeThreshold;

    private ViewAugmentation(Builder b) {
        this.outputSize = b.outputSize;
        this.scaleMin = b.scaleMin;
        this.scaleMax = b.scaleMax;
        this.ratioMin = b.ratioMin;
        this.ratioMax = b.ratioMax;
        this.flipProbability = b.flipProbability;
        this.jitterProbability = b.jitterProbability;
        this.brightness = b.brightness;
        this.contrast = b.contrast;
        this.saturation = b.saturation;
        this.hue = b.hue;
        this.greyscaleProbability = b.greyscaleProbability;
        this.blurProbability = b.blurProbability;
        this.sigmaMin = b.sigmaMin;
        this.sigmaMax = b.sigmaMax;
        this.blurKernelSize = b.blurKernelSize > 0 ? b.blurKernelSize : defaultKernelSize(b.outputSize);
        this.solarizeProbability = b.solarizeProbability;
        this.solarizeThreshold = b.solarizeThreshold;
    }

    /**
     * @param outputSize side of the square output
     * @return a builder with the paper's shared settings and no blur or solarize
     */
    public static Builder builder(int outputSize) {
        return new Builder(outputSize);
    }

    /**
     * @param outputSize side of the square output
     * @return the paper's first view: blur p = 1.0, solarize p = 0.0
     */
    public static ViewAugmentation byolView1(int outputSize) {
        return byolView1(outputSize, 0.08f);
    }

    /**
     * @param outputSize side of the square output
     * @param cropScaleMin smallest crop area fraction (paper: 0.08)
     * @return the paper's first view with another smallest crop
     */
    public static ViewAugmentation byolView1(int outputSize, float cropScaleMin) {
        return byolView1(outputSize, cropScaleMin, PAPER_SIGMA_MAX);
    }

    /**
     * @param outputSize side of the square output
     * @param cropScaleMin smallest crop area fraction (paper: 0.08)
     * @param sigmaMax largest blur σ in pixels (paper: 2.0); the smallest is {@value #SIGMA_MIN_SHARE} of it
     * @return the paper's first view with another smallest crop and blur strength
     */
    public static ViewAugmentation byolView1(int outputSize, float cropScaleMin, float sigmaMax) {
        return builder(outputSize).optCropScale(cropScaleMin, 1f).optBlurProbability(1f)
                .optBlurSigma(SIGMA_MIN_SHARE * sigmaMax, sigmaMax).optSolarizeProbability(0f).build();
    }

    /**
     * @param outputSize side of the square output
     * @return the paper's second view: blur p = 0.1, solarize p = 0.2
     */
    public static ViewAugmentation byolView2(int outputSize) {
        return byolView2(outputSize, 0.08f);
    }

    /**
     * @param outputSize side of the square output
     * @param cropScaleMin smallest crop area fraction (paper: 0.08)
     * @return the paper's second view with another smallest crop
     */
    public static ViewAugmentation byolView2(int outputSize, float cropScaleMin) {
        return byolView2(outputSize, cropScaleMin, PAPER_SIGMA_MAX);
    }

    /**
     * @param outputSize side of the square output
     * @param cropScaleMin smallest crop area fraction (paper: 0.08)
     * @param sigmaMax largest blur σ in pixels (paper: 2.0); the smallest is {@value #SIGMA_MIN_SHARE} of it
     * @return the paper's second view with another smallest crop and blur strength
     */
    public static ViewAugmentation byolView2(int outputSize, float cropScaleMin, float sigmaMax) {
        return builder(outputSize).optCropScale(cropScaleMin, 1f).optBlurProbability(0.1f)
                .optBlurSigma(SIGMA_MIN_SHARE * sigmaMax, sigmaMax).optSolarizeProbability(0.2f).build();
    }

    /**
     * The view SimCLR applies to both images (Chen et al. 2020, appendix A): random resized crop, flip, colour jitter
     * of strength s, i.e. brightness, contrast and saturation 0.8 s and hue 0.2 s, with p = 0.8, greyscale p = 0.2,
     * blur p = 0.5, no solarisation. Strength 1.0 is SimCLR's ImageNet setting; 0.5 is its CIFAR setting and MoCo
     * v2's, which SimSiam uses (Chen &amp; He 2021).
     *
     * @param outputSize side of the square output
     * @param cropScaleMin smallest crop area fraction (SimCLR: 0.08)
     * @param sigmaMax largest blur σ in pixels (2.0 at 224 px); the smallest is {@value #SIGMA_MIN_SHARE} of it
     * @param strength colour-jitter strength s, &gt; 0
     * @return the view
     */
    public static ViewAugmentation simclrView(int outputSize, float cropScaleMin, float sigmaMax, float strength) {
        if (!(strength > 0)) {
            throw new IllegalArgumentException("colour strength must be > 0, got " + strength);
        }
        return builder(outputSize).optCropScale(cropScaleMin, 1f)
                .optColourJitter(0.8f, 0.8f * strength, 0.8f * strength, 0.8f * strength, 0.2f * strength)
                .optBlurProbability(0.5f).optBlurSigma(SIGMA_MIN_SHARE * sigmaMax, sigmaMax)
                .optSolarizeProbability(0f).build();
    }

    /**
     * The blur kernel for a given output side: 10 % of it, odd, at least 3.
     *
     * @param outputSize side in pixels
     * @return the kernel length
     */
    public static int defaultKernelSize(int outputSize) {
        int k = Math.max(3, Math.round(outputSize * 0.1f));
        return k % 2 == 0 ? k + 1 : k;
    }

    /**
     * The augmentation of supervised training (fine-tuning, joint training's labelled images): a random resized crop
     * and a horizontal flip, nothing else.
     *
     * @param outputSize side of the square output
     * @param cropScaleMin smallest share of the image a crop keeps
     * @param flipProbability probability of a horizontal flip
     * @return the augmentation
     */
    public static ViewAugmentation cropAndFlip(int outputSize, float cropScaleMin, float flipProbability) {
        return builder(outputSize).optCropScale(cropScaleMin, 1f).optFlipProbability(flipProbability)
                .optColourJitter(0f, 0f, 0f, 0f, 0f).optGreyscaleProbability(0f).optBlurProbability(0f)
                .optSolarizeProbability(0f).build();
    }

    /**
     * The same pipeline for a multi-crop local view (Caron et al. 2020, SwAV §3.2): another output side and crop
     * scale, the blur σ scaled with the side (so it blurs the same share of the view) and the blur kernel the default
     * for the new side; jitter, greyscale, flip and solarize as they are.
     *
     * @param side side of the local view, ≥ 1
     * @param cropScaleMin smallest crop area fraction of the local view
     * @param cropScaleMax largest crop area fraction, ≥ {@code cropScaleMin}
     * @return the local view's augmentation
     * @throws IllegalArgumentException naming a setting out of range
     */
    public ViewAugmentation localView(int side, float cropScaleMin, float cropScaleMax) {
        float shrink = side / (float) outputSize;
        return new Builder(side).optCropScale(cropScaleMin, cropScaleMax).optFlipProbability(flipProbability)
                .optColourJitter(jitterProbability, brightness, contrast, saturation, hue)
                .optGreyscaleProbability(greyscaleProbability).optBlurProbability(blurProbability)
                .optBlurSigma(sigmaMin * shrink, sigmaMax * shrink).optSolarizeProbability(solarizeProbability)
                .build();
    }

    /** @return the side of the square output */
    public int outputSize() {
        return outputSize;
    }

    /** @return the blur kernel length in pixels */
    public int blurKernelSize() {
        return blurKernelSize;
    }

    /**
     * Augments one image; the same image and random state give the same view.
     *
     * @param img source in [0, 1]
     * @param rng random source, advanced
     * @return the view, outputSize × outputSize with the source's channels
     */
    public PixelImage apply(PixelImage img, SplittableRandom rng) {
        CropBox box = CropBox.sample(img.height(), img.width(), scaleMin, scaleMax, ratioMin, ratioMax, rng);
        PixelImage x = ImageOps.resizedCrop(img, box.top(), box.left(), box.height(), box.width(), outputSize);
        if (rng.nextDouble() < flipProbability) {
            x = ImageOps.flipHorizontal(x);
        }
        if (rng.nextDouble() < jitterProbability) {
            x = colourJitter(x, rng);
        }
        if (rng.nextDouble() < greyscaleProbability) {
            x = ImageOps.greyscale(x);
        }
        if (rng.nextDouble() < blurProbability) {
            float sigma = sigmaMin + (sigmaMax - sigmaMin) * (float) rng.nextDouble();
            x = ImageOps.blur(x, ImageOps.gaussianKernel(blurKernelSize, sigma));
        }
        if (rng.nextDouble() < solarizeProbability) {
            x = ImageOps.solarize(x, solarizeThreshold);
        }
        return x;
    }

    private PixelImage colourJitter(PixelImage x, SplittableRandom rng) {
        int[] order = {0, 1, 2, 3};
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float fb = factor(brightness, rng);
        float fc = factor(contrast, rng);
        float fs = factor(saturation, rng);
        float fh = (float) ((rng.nextDouble() * 2 - 1) * hue);
        for (int op : order) {
            switch (op) {
                case 0: x = ImageOps.brightness(x, fb); break;
                case 1: x = ImageOps.contrast(x, fc); break;
                case 2: x = ImageOps.saturation(x, fs); break;
                default: x = ImageOps.hue(x, fh); break;
            }
        }
        return x;
    }

    private static float factor(float strength, SplittableRandom rng) {
        float lo = Math.max(0f, 1f - strength);
        return lo + (1f + strength - lo) * (float) rng.nextDouble();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "crop(%d, scale=[%s,%s], ratio=[%s,%s]) flip(%s) jitter(p=%s, %s/%s/%s/%s) grey(%s) "
                        + "blur(p=%s, sigma=[%s,%s], k=%d) solarize(p=%s, t=%s)",
                outputSize, scaleMin, scaleMax, ratioMin, ratioMax, flipProbability, jitterProbability,
                brightness, contrast, saturation, hue, greyscaleProbability, blurProbability, sigmaMin, sigmaMax,
                blurKernelSize, solarizeProbability, solarizeThreshold);
    }

    /** Builder in DJL's style, starting from the paper's shared settings. */
    public static final class Builder {
        private final int outputSize;
        private float scaleMin = 0.08f;
        private float scaleMax = 1f;
        private float ratioMin = 3f / 4f;
        private float ratioMax = 4f / 3f;
        private float flipProbability = 0.5f;
        private float jitterProbability = 0.8f;
        private float brightness = 0.4f;
        private float contrast = 0.4f;
        private float saturation = 0.2f;
        private float hue = 0.1f;
        private float greyscaleProbability = 0.2f;
        private float blurProbability;
        private float sigmaMin = 0.1f;
        private float sigmaMax = 2f;
        private int blurKernelSize;
        private float solarizeProbability;
        private float solarizeThreshold = 0.5f;

        private Builder(int outputSize) {
            this.outputSize = outputSize;
        }

        /**
         * @param min smallest crop area fraction
         * @param max largest crop area fraction
         * @return this builder
         */
        public Builder optCropScale(float min, float max) {
            this.scaleMin = min;
            this.scaleMax = max;
            return this;
        }

        /**
         * @param p flip probability
         * @return this builder
         */
        public Builder optFlipProbability(float p) {
            this.flipProbability = p;
            return this;
        }

        /**
         * @param p colour-jitter probability
         * @param brightness brightness strength
         * @param contrast contrast strength
         * @param saturation saturation strength
         * @param hue hue strength, ≤ 0.5
         * @return this builder
         */
        public Builder optColourJitter(float p, float brightness, float contrast, float saturation, float hue) {
            this.jitterProbability = p;
            this.brightness = brightness;
            this.contrast = contrast;
            this.saturation = saturation;
            this.hue = hue;
            return this;
        }

        /**
         * @param p greyscale probability
         * @return this builder
         */
        public Builder optGreyscaleProbability(float p) {
            this.greyscaleProbability = p;
            return this;
        }

        /**
         * @param p blur probability
         * @return this builder
         */
        public Builder optBlurProbability(float p) {
            this.blurProbability = p;
            return this;
        }

        /**
         * @param kernelSize odd blur kernel length; default 10 % of the output side
         * @return this builder
         */
        public Builder optBlurKernelSize(int kernelSize) {
            this.blurKernelSize = kernelSize;
            return this;
        }

        /**
         * @param min smallest Gaussian blur σ in pixels (paper: 0.1)
         * @param max largest σ in pixels (paper: 2.0, at 224 px)
         * @return this builder
         */
        public Builder optBlurSigma(float min, float max) {
            this.sigmaMin = min;
            this.sigmaMax = max;
            return this;
        }

        /**
         * @param p solarize probability
         * @return this builder
         */
        public Builder optSolarizeProbability(float p) {
            this.solarizeProbability = p;
            return this;
        }

        /**
         * @return the augmentation
         * @throws IllegalArgumentException naming the setting out of range
         */
        public ViewAugmentation build() {
            if (outputSize < 1) {
                throw new IllegalArgumentException("outputSize must be >= 1, got " + outputSize);
            }
            if (!(scaleMin > 0f && scaleMin <= scaleMax && scaleMax <= 1f)) {
                throw new IllegalArgumentException("crop scale must satisfy 0 < min <= max <= 1, got ["
                        + scaleMin + ", " + scaleMax + "]");
            }
            checkProbability("flipProbability", flipProbability);
            checkProbability("jitterProbability", jitterProbability);
            checkProbability("greyscaleProbability", greyscaleProbability);
            checkProbability("blurProbability", blurProbability);
            checkProbability("solarizeProbability", solarizeProbability);
            if (brightness < 0f || contrast < 0f || saturation < 0f || !(hue >= 0f && hue <= 0.5f)) {
                throw new IllegalArgumentException("colour jitter strengths must be >= 0 and hue <= 0.5, got "
                        + brightness + "/" + contrast + "/" + saturation + "/" + hue);
            }
            if (blurKernelSize != 0 && (blurKernelSize < 1 || blurKernelSize % 2 == 0)) {
                throw new IllegalArgumentException("blurKernelSize must be odd, got " + blurKernelSize);
            }
            if (!(sigmaMin > 0f && sigmaMin <= sigmaMax) || Float.isInfinite(sigmaMax)) {
                throw new IllegalArgumentException("blur sigma must satisfy 0 < min <= max, got [" + sigmaMin + ", "
                        + sigmaMax + "]");
            }
            return new ViewAugmentation(this);
        }

        private static void checkProbability(String name, float p) {
            if (!(p >= 0f && p <= 1f)) {
                throw new IllegalArgumentException(name + " must be in [0, 1], got " + p);
            }
        }
    }
}
