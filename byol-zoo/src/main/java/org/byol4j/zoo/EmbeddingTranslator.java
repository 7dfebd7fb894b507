package org.byol4j.zoo;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.PixelImage;

/**
 * Turns an image into a backbone embedding with exactly the preprocessing the backbone was trained with
 * ({@link Preprocessing}, applied by the backbone's own {@link org.byol4j.backbone.Backbone#preprocess}): any size,
 * greyscale or colour. A DJL {@link Image} is read as 8-bit RGB and scaled by 1/255 (a grey image has R = G = B,
 * which the luma conversion to one channel gives back exactly). Batches go through DJL's stacking batchifier, so
 * {@code Predictor.batchPredict} embeds many images in one forward pass.
 *
 * @param <I> the input type
 */
public abstract class EmbeddingTranslator<I> implements Translator<I, float[]> {

    private final Backbone backbone;

    private EmbeddingTranslator(Backbone backbone) {
        this.backbone = backbone;
    }

    /**
     * @param backbone the backbone whose preprocessing to apply (not closed here)
     * @return the translator for DJL images
     */
    public static EmbeddingTranslator<Image> forImages(Backbone backbone) {
        return new EmbeddingTranslator<>(backbone) {
            @Override
            PixelImage pixels(TranslatorContext ctx, Image input) {
                try (NDArray hwc = input.toNDArray(ctx.getNDManager(), Image.Flag.COLOR);
                        NDArray f = hwc.toType(DataType.FLOAT32, false)) {
                    float[] v = f.toFloatArray();
                    int h = input.getHeight();
                    int w = input.getWidth();
                    float[] chw = new float[3 * h * w];
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            for (int c = 0; c < 3; c++) {
                                chw[(c * h + y) * w + x] = v[(y * w + x) * 3 + c] / 255f;
                            }
                        }
                    }
                    return PixelImage.wrap(3, h, w, chw);
                }
            }
        };
    }

    /**
     * @param backbone the backbone whose preprocessing to apply (not closed here)
     * @return the translator for byol4j's own images (values already in [0, 1])
     */
    public static EmbeddingTranslator<PixelImage> forPixelImages(Backbone backbone) {
        return new EmbeddingTranslator<>(backbone) {
            @Override
            PixelImage pixels(TranslatorContext ctx, PixelImage input) {
                return input;
            }
        };
    }

    abstract PixelImage pixels(TranslatorContext ctx, I input);

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, I input) {
        PixelImage x = backbone.preprocess(pixels(ctx, input));
        return new NDList(ctx.getNDManager().create(x.pixels(), new Shape(x.channels(), x.height(), x.width())));
    }

    /** {@inheritDoc} */
    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return list.singletonOrThrow().toFloatArray();
    }
}
