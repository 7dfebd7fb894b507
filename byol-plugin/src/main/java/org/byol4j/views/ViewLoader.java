package org.byol4j.views;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.data.Channels;
import org.byol4j.data.ImageSource;
import org.byol4j.data.PixelImage;

/**
 * Feeds pretraining: shuffles a source each epoch, decodes and augments every view of a {@link ViewPlan} per image
 * on worker threads, and hands out {@link ViewBatch}es in order through a bounded prefetch window (at most
 * {@code 2 × workers} batches in flight, so memory stays flat).
 *
 * <p>Reproducible regardless of the worker count: the epoch's order comes from (seed, epoch) and each
 * image's augmentations from its own generator seeded by (seed, epoch, position), drawn in the plan's order (global
 * views, then local ones), so any worker computes the same views, and a plan with local views gives the same global
 * views as the plan without them. An epoch can start at any batch, which is what exact resume needs. The last
 * incomplete batch of an epoch is dropped.
 */
public final class ViewLoader implements AutoCloseable {

    private final ImageSource source;
    private final ViewPlan plan;
    private final int channels;
    private final int batchSize;
    private final long seed;
    private final int window;
    private final ExecutorService workers;

    /**
     * @param source the images
     * @param plan the views of each image
     * @param channels channels the network expects
     * @param batchSize images per batch, ≤ source size
     * @param seed run seed
     * @param workers decoding threads ≥ 1
     */
    public ViewLoader(ImageSource source, ViewPlan plan, int channels, int batchSize, long seed, int workers) {
        if (batchSize < 1 || batchSize > source.size()) {
            throw new IllegalArgumentException("batchSize " + batchSize + " must be in [1, " + source.size()
                    + "]: " + source.description() + " has " + source.size() + " images");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.source = source;
        this.plan = plan;
        this.channels = channels;
        this.batchSize = batchSize;
        this.seed = seed;
        this.window = 2 * workers;
        this.workers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "byol4j-views");
            t.setDaemon(true);
            return t;
        });
    }

    /** @return full batches per epoch */
    public int batchesPerEpoch() {
        return source.size() / batchSize;
    }

    /**
     * @param epoch the epoch (its shuffle and augmentations depend on it)
     * @param firstBatch the batch to start at, for resuming mid-epoch
     * @return the remaining batches of that epoch, in order
     */
    public Iterator<ViewBatch> epoch(int epoch, int firstBatch) {
        int[] order = permutation(source.size(), seed, epoch);
        return new Iterator<>() {
            private final Deque<Future<ViewBatch>> pending = new ArrayDeque<>();
            private int nextToSubmit = firstBatch;

            @Override
            public boolean hasNext() {
                fill();
                return !pending.isEmpty();
            }

            @Override
            public ViewBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    return pending.removeFirst().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a batch", e);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException) {
                        throw (RuntimeException) cause;
                    }
                    throw new IllegalStateException(cause);
                }
            }

            private void fill() {
                while (pending.size() < window && nextToSubmit < batchesPerEpoch()) {
                    int b = nextToSubmit++;
                    pending.addLast(workers.submit(() -> makeBatch(order, epoch, b)));
                }
            }
        };
    }

    private ViewBatch makeBatch(int[] order, int epoch, int batch) {
        float[][] global = new float[plan.global().size()][batchSize * channels * plan.globalSide()
                * plan.globalSide()];
        float[][] local = new float[plan.local().size()][batchSize * channels * plan.localSide() * plan.localSide()];
        for (int i = 0; i < batchSize; i++) {
            int position = batch * batchSize + i;
            PixelImage img = Channels.adapt(source.image(order[position]), channels);
            SplittableRandom rng = sampleRandom(seed, epoch, position);
            augment(img, rng, plan.global(), global, i);
            augment(img, rng, plan.local(), local, i);
        }
        return new ViewBatch(List.of(global), List.of(local), batchSize, channels, plan.globalSide(),
                plan.localSide());
    }

    private void augment(PixelImage img, SplittableRandom rng, List<ViewAugmentation> views, float[][] out,
            int index) {
        for (int v = 0; v < views.size(); v++) {
            int per = out[v].length / batchSize;
            views.get(v).apply(img, rng).copyTo(out[v], index * per);
        }
    }

    /**
     * The order of an epoch: a shuffle of [0, n) that depends only on (seed, epoch).
     *
     * @param n the number of images
     * @param seed run seed
     * @param epoch epoch
     * @return the permutation
     */
    static int[] permutation(int n, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * The generator of one sample's augmentations.
     *
     * @param seed run seed
     * @param epoch epoch
     * @param position position in the epoch's order
     * @return a generator that depends only on the three values
     */
    static SplittableRandom sampleRandom(long seed, int epoch, int position) {
        long mixed = seed ^ (0xC2B2AE3D27D4EB4FL * (epoch + 1)) ^ (0x165667B19E3779F9L * (position + 1L));
        return new SplittableRandom(mixed);
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        workers.shutdownNow();
    }
}
