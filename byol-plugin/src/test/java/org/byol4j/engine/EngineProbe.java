package org.byol4j.engine;

/** Started in a fresh JVM by {@link OfflineEngineTest}: starts the engine and prints what it found. */
public final class EngineProbe {

    private EngineProbe() {}

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        try (var manager = OfflineEngine.get().newBaseManager(); var x = manager.ones(new ai.djl.ndarray.types.Shape(2))) {
            System.out.println("engine=" + OfflineEngine.get().getEngineName() + " version="
                    + OfflineEngine.get().getVersion() + " offline=" + System.getProperty("ai.djl.offline")
                    + " sum=" + x.sum().getFloat());
        }
    }
}
