package org.byol4j.engine;

import ai.djl.ndarray.NDManager;

/** The engine's count of live arrays, for tests that prove a scope leaves nothing behind. */
public final class LiveArrays {

    private LiveArrays() {}

    /** @return the arrays alive under the engine's root manager, in every manager below it */
    public static int count() {
        try (NDManager probe = OfflineEngine.get().newBaseManager()) {
            NDManager root = probe;
            while (root.getParentManager() != null && root.getParentManager() != root) {
                root = root.getParentManager();
            }
            return root.getManagedArrays().size();
        }
    }
}
