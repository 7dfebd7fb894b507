package org.byol4j.byol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.byol4j.data.ViewBatch;
import org.byol4j.optim.Lars;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.optim.TauSchedule;
import org.junit.jupiter.api.Test;

class MemoryLeakTest {

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /**
     * 200 full steps (forward, backward, LARS, EMA) leave no NDArray behind, and RSS stays flat. RSS first
     * rises for about 200 steps while the Java heap and the native allocator's pools reach their working size
     * (measured: +220 MiB, then flat within 10 MiB up to step 1,000), so it is compared after that warm-up.
     */
    @Test
    void twoHundredStepsLeaveNoArraysBehind() throws IOException {
        ByolConfig config = TinyRuns.tinyConfig().build();
        TauSchedule tau = TauSchedule.cosine(0.996, 400);
        try (ByolNetworks nets = new ByolNetworks(config);
                StatefulOptimizer opt = Lars.builder().setLearningRateTracker((id, n) -> 0.1f).build()) {
            ByolStep step = new ByolStep(nets, opt, false);
            ViewBatch batch = TinyRuns.randomBatch(config, 3);
            for (int k = 0; k < 200; k++) { // warm-up: optimiser buffers, heap and allocator pools
                step.run(batch);
                nets.target.update(nets.online, tau.tau(k + 1));
            }
            int arraysBefore = nets.manager.getManagedArrays().size();
            long rssBefore = rssKiB();
            for (int k = 200; k < 400; k++) {
                step.run(batch);
                nets.target.update(nets.online, tau.tau(k + 1));
            }
            assertEquals(arraysBefore, nets.manager.getManagedArrays().size(), "NDArrays leaked over 200 steps");
            long growth = rssKiB() - rssBefore;
            assertTrue(growth < 48 * 1024, "RSS grew by " + growth + " KiB over 200 steps");
        }
    }
}
