package org.byol4j.zoo;

import ai.djl.MalformedModelException;

/**
 * The input pipeline a zoo backbone was trained with, recorded in its artefact so that a {@link EmbeddingTranslator}
 * applies it exactly rather than guessing: pixel values scaled to [0, 1] ({@code pixelScale "1/255"}), colour
 * adapted to {@code channels} (a grey image repeated into RGB; RGB to grey by ITU-R 601 luma), the largest centred
 * square cropped and resized bilinearly to {@code size} ({@code resize "centre-crop-bilinear"}), no mean/std
 * normalisation ({@code normalise "none"}: the first BatchNorm of the network does it). These are the only values
 * byol4j trains with, and any other value is refused, so a foreign artefact cannot be run with the wrong pipeline.
 *
 * @param pixelScale how 8-bit pixels become inputs; only {@code "1/255"}
 * @param channels 1 or 3
 * @param size input side in pixels
 * @param resize only {@code "centre-crop-bilinear"}
 * @param normalise only {@code "none"}
 */
public record Preprocessing(String pixelScale, int channels, int size, String resize, String normalise) {

    /** The scale byol4j uses. */
    public static final String PIXEL_SCALE = "1/255";
    /** The resize policy byol4j uses. */
    public static final String RESIZE = "centre-crop-bilinear";
    /** The normalisation byol4j uses. */
    public static final String NORMALISE = "none";

    /**
     * @param channels 1 or 3
     * @param size input side in pixels
     * @return byol4j's pipeline for that input
     */
    public static Preprocessing of(int channels, int size) {
        return new Preprocessing(PIXEL_SCALE, channels, size, RESIZE, NORMALISE);
    }

    void validate(String where) throws MalformedModelException {
        ZooArtifact.require(PIXEL_SCALE.equals(pixelScale), where, "preprocessing.pixelScale", "'" + PIXEL_SCALE
                + "'", pixelScale);
        ZooArtifact.require(channels == 1 || channels == 3, where, "preprocessing.channels", "1 or 3",
                Integer.toString(channels));
        ZooArtifact.require(size >= 8 && size <= 1024, where, "preprocessing.size", "in [8, 1024]",
                Integer.toString(size));
        ZooArtifact.require(RESIZE.equals(resize), where, "preprocessing.resize", "'" + RESIZE + "'", resize);
        ZooArtifact.require(NORMALISE.equals(normalise), where, "preprocessing.normalise", "'" + NORMALISE + "'",
                normalise);
    }
}
