package org.byol4j.nn;

/** The first layers of a ResNet, chosen by input size. */
public enum Stem {
    /** torchvision's ImageNet stem: 7×7 convolution with stride 2, then 3×3 max-pool with stride 2. */
    IMAGENET,
    /** The small-image stem of CIFAR recipes: one 3×3 convolution with stride 1 and no max-pool (28–64 px). */
    SMALL;

    /** @return the lower-case token used in configuration names, e.g. {@code small} */
    public String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
