package org.byol4j.engine;

import ai.djl.engine.Engine;

/**
 * The one place byol4j starts DJL's PyTorch engine, always in offline mode.
 *
 * <p>DJL otherwise tries to download native libraries and to reach a telemetry endpoint the first time
 * an engine starts. byol4j ships libtorch in the {@code pytorch-native-cpu} jar (or the CUDA jar of the
 * {@code cuda} profile), so nothing needs the network. Offline mode is set here, in code, so that any
 * program using the library gets it, not only our scripts. A user who explicitly set
 * {@code ai.djl.offline} (system property) keeps their value.
 */
public final class OfflineEngine {

    /** The DJL engine name byol4j runs on. */
    public static final String ENGINE_NAME = "PyTorch";

    private static final String OFFLINE_PROPERTY = "ai.djl.offline";

    private OfflineEngine() {}

    /**
     * Returns the PyTorch engine, started offline.
     *
     * @return the engine
     * @throws IllegalStateException when the PyTorch engine is not on the classpath
     */
    public static synchronized Engine get() {
        if (System.getProperty(OFFLINE_PROPERTY) == null) {
            System.setProperty(OFFLINE_PROPERTY, "true");
        }
        if (!Engine.hasEngine(ENGINE_NAME)) {
            throw new IllegalStateException(
                    "DJL's PyTorch engine is not on the classpath: add ai.djl.pytorch:pytorch-engine and "
                            + "ai.djl.pytorch:pytorch-native-cpu (classifier linux-x86_64), see the README's set-up");
        }
        return Engine.getEngine(ENGINE_NAME);
    }

    /**
     * Seeds the engine's random generator (weight initialisation) for reproducible runs.
     *
     * @param seed the seed
     */
    public static void seed(int seed) {
        get().setRandomSeed(seed);
    }
}
