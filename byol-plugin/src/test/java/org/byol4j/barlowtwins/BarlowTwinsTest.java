package org.byol4j.barlowtwins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.byol4j.backbone.Backbone;
import org.byol4j.cli.Main;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.spi.RepresentationTrainers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fourth method, Barlow Twins, written in this package of the test tree and registered by one services line: the
 * SPI lists it and the command line pretrains with it, with no edit anywhere else (docs/ARCHITECTURE.md).
 */
class BarlowTwinsTest {

    /**
     * By hand: z1 = [[1, 1], [−1, −1]] and z2 = [[1, −1], [−1, 1]] are already standardised over the batch, so
     * C = z1ᵀz2 / 2 = [[1, −1], [1, −1]]; the diagonal gives (1 − 1)² + (1 + 1)² = 4, the off-diagonal
     * λ((−1)² + 1²) = 1 at λ = 0.5: L = 5 (less 1e-4 for the variance's ε).
     */
    @Test
    void theLossOfAKnownPairIsComputedByHand() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray z1 = m.create(new float[] {1, 1, -1, -1}, new Shape(2, 2));
            NDArray z2 = m.create(new float[] {1, -1, -1, 1}, new Shape(2, 2));
            assertEquals(5f, BarlowTwinsMethod.loss(z1, z2, 0.5f).getFloat(), 1e-3f);
        }
    }

    @Test
    void theCommandLinePretrainsWithAMethodFromTheTestTree(@TempDir Path dir) throws IOException {
        assertTrue(RepresentationTrainers.load().names().contains("barlowtwins"));
        Path data = Files.createDirectories(dir.resolve("fashion-mnist"));
        for (String name : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"}) {
            try (InputStream in = BarlowTwinsTest.class.getResourceAsStream("/org/byol4j/sample/fashion-mnist/"
                    + name)) {
                Files.copy(in, data.resolve(name));
            }
        }
        Path run = dir.resolve("run");
        int code = Main.run(new String[] {"pretrain", "--method", "barlowtwins", "--data", data.toString(), "--out",
            run.toString(), "--steps", "4", "--architecture", "resnet20-small-w0.25", "-o", "projectorHidden=32",
            "-o", "projectorOutput=32", "-o", "batchSize=16", "--checkpoint-every", "2"});
        assertEquals(0, code);
        try (Backbone b = Backbone.load(run.resolve("backbone"))) {
            assertEquals("barlowtwins", b.recipe().get("method"));
            assertEquals("0.02", b.recipe().get("lambda"), "the small_greyscale preset the data chose");
            assertEquals("4", b.recipe().get("totalSteps"));
        }
    }
}
