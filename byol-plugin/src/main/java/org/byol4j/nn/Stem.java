package org.byol4j.nn;

/** The first layers of a backbone, chosen by input size (see {@link ResNet} and {@link MobileNetV2}). */
public enum Stem {
    /**
     * torchvision's ImageNet stem: for a ResNet 7×7 convolution with stride 2, then 3×3 max-pool with stride 2; for
     * MobileNetV2 a 3×3 convolution with stride 2.
     */
    IMAGENET,
    /**
     * The small-image stem of CIFAR recipes (28–64 px): one 3×3 convolution with stride 1 and no max-pool; MobileNetV2
     * also keeps stride 1 in its 24-channel stage.
     */
    SMALL;

    /** @return the lower-case token used in configuration names, e.g. {@code small} */
    public String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
