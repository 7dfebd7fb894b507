package org.byol4j.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What can happen between a forward and a backward pass in a long run, made to happen at once: garbage collections
 * that free the Java direct buffers nothing references any more, then small native allocations that take their
 * memory back and fill it with {@value #POISON}. A backward pass that still reads a freed buffer then sees the
 * poison.
 */
public final class GcChurn {

    /** The value written into the reclaimed memory. */
    public static final float POISON = 1e30f;

    private GcChurn() {}

    /** Collects garbage and refills the freed small native blocks with {@link #POISON}. */
    public static void now() {
        List<ByteBuffer> refill = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            System.gc();
            try {
                Thread.sleep(20); // the JDK's cleaner thread frees direct buffers after the collection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (int i = 0; i < 2000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                b.putFloat(0, POISON);
                refill.add(b);
            }
        }
    }
}
