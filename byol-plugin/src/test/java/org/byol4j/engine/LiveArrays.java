package org.byol4j.engine;

import ai.djl.ndarray.NDManager;

/** The engine's count of live arrays, for tests that prove a scope leaves nothing behind. */
public final class LiveArrays {

    private LiveArrays() {}

    /** @return the arrays alive under the engine's root manager, in every manager below it */
    public static int count() {
        try (NDManager probe = OfflineEngine.get().newBaseManager()) {
            return root(probe).getManagedArrays().size();
        }
    }

    /**
     * @param manager any manager of the engine
     * @return the engine's top manager, which reaches every live array through its sub-managers
     */
    public static NDManager root(NDManager manager) {
        NDManager top = manager;
        while (top.getParentManager() != null && top.getParentManager() != top) {
            top = top.getParentManager();
        }
        return top;
    }
}
