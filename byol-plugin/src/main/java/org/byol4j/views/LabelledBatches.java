package org.byol4j.views;

import java.util.SplittableRandom;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.data.Channels;
import org.byol4j.data.ImageSource;
import org.byol4j.data.PixelImage;

/**
 * Feeds supervised training (fine-tuning, and the labelled half of joint training): shuffles labelled images each
 * epoch and augments one view of each. Like {@link ViewLoader}, a batch is a function of (seed, epoch, batch)
 * alone (the order from (seed, epoch), each image's augmentation from (seed, epoch, position)), so any batch can be
 * made again, which is what exact resume needs. The last incomplete batch of an epoch is dropped. Batches are made
 * on the calling thread: at the small image sizes this serves, augmenting a batch costs a few milliseconds against a
 * training step's hundreds.
 */
public final class LabelledBatches {

    private final ImageSource images;
    private final int[] labels;
    private final ViewAugmentation augmentation;
    private final int channels;
    private final int batchSize;
    private final long seed;
    private int orderEpoch = -1;
    private int[] order;

    /**
     * @param images the images
     * @param labels the class id of each image, in source order
     * @param augmentation the view each image gets
     * @param channels channels the network expects (images are adapted)
     * @param batchSize images per batch, in [1, images.size()]
     * @param seed the seed of the order and the augmentations
     * @throws IllegalArgumentException when the labels do not match the images or the batch does not fit
     */
    public LabelledBatches(ImageSource images, int[] labels, ViewAugmentation augmentation, int channels,
            int batchSize, long seed) {
        if (labels.length != images.size()) {
            throw new IllegalArgumentException(images.description() + ": " + images.size() + " images but "
                    + labels.length + " labels");
        }
        if (batchSize < 1 || batchSize > images.size()) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be in [1, " + images.size()
                    + "]: " + images.description() + " has " + images.size() + " images");
        }
        this.images = images;
        this.labels = labels.clone();
        this.augmentation = augmentation;
        this.channels = channels;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** @return images per batch */
    public int batchSize() {
        return batchSize;
    }

    /** @return the images' description and how many there are */
    public String description() {
        return images.description();
    }

    /** @return full batches per epoch */
    public int batchesPerEpoch() {
        return images.size() / batchSize;
    }

    /**
     * @param step steps taken before this one: the batch is number {@code step % batchesPerEpoch()} of epoch
     *     {@code step / batchesPerEpoch()}
     * @return that batch
     */
    public LabelledBatch forStep(long step) {
        int perEpoch = batchesPerEpoch();
        return batch((int) (step / perEpoch), (int) (step % perEpoch));
    }

    /**
     * @param epoch the epoch
     * @param batch the batch within it, in [0, batchesPerEpoch())
     * @return the batch's views and labels
     */
    public synchronized LabelledBatch batch(int epoch, int batch) {
        if (epoch != orderEpoch) {
            order = ViewLoader.permutation(images.size(), seed, epoch);
            orderEpoch = epoch;
        }
        int side = augmentation.outputSize();
        int per = channels * side * side;
        float[] pixels = new float[batchSize * per];
        int[] ids = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            int position = batch * batchSize + i;
            int index = order[position];
            PixelImage img = Channels.adapt(images.image(index), channels);
            SplittableRandom rng = ViewLoader.sampleRandom(seed, epoch, position);
            augmentation.apply(img, rng).copyTo(pixels, i * per);
            ids[i] = labels[index];
        }
        return new LabelledBatch(pixels, ids, batchSize, channels, side);
    }
}
