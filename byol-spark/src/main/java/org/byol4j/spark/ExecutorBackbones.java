package org.byol4j.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.byol4j.backbone.Backbone;

/**
 * The backbones of one executor JVM: each loaded once, on first use, keyed by its sha256, and shared by every task
 * the executor runs (DJL's Spark design: one model per JVM, loaded lazily). A backbone whose weights on this
 * executor differ from the ones the driver planned with is refused, naming both hashes. They are closed when the JVM
 * exits.
 */
public final class ExecutorBackbones {

    private static final Map<String, BackboneRef.Opened> LOADED = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LOADED.values().forEach(BackboneRef.Opened::close),
                "byol4j-backbones-close"));
    }

    private ExecutorBackbones() {}

    /**
     * @param ref the backbone
     * @param sha256 the hash of its weights as the driver saw them
     * @return the backbone, loaded on this JVM's first request for that hash
     * @throws IllegalStateException when the weights found here have another hash
     */
    public static Backbone get(BackboneRef ref, String sha256) {
        BackboneRef.Opened opened = LOADED.computeIfAbsent(sha256, k -> {
            BackboneRef.Opened o = ref.open();
            if (!o.backbone().sha256().equals(k)) {
                String found = o.backbone().sha256();
                o.close();
                throw new IllegalStateException("backbone " + ref.spec() + " has sha256 " + found + " on this executor,"
                        + " but " + k + " where the job was planned: the folder differs between machines");
            }
            LOADS.incrementAndGet();
            return o;
        });
        return opened.backbone();
    }

    /** @return how many backbones this JVM has loaded so far (once per hash) */
    public static int loads() {
        return LOADS.get();
    }
}
