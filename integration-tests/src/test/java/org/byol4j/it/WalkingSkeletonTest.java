package org.byol4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.byol4j.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code byol demo} end to end on the Fashion-MNIST sample shipped in the jar, with tiny settings. */
class WalkingSkeletonTest {

    private static double accuracy(String out, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "[^:]*:\\s+([0-9.]+) %").matcher(out);
        assertTrue(m.find(), "no accuracy for '" + label + "' in:\n" + out);
        return Double.parseDouble(m.group(1)) / 100;
    }

    @Test
    void demoPretrainsEmbedsAndComparesWithRawPixels(@TempDir Path empty) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            code = Main.run(new String[] {"demo", "--data", empty.toString(), "--pretrain-images", "256",
                "--steps", "12", "--batch", "32", "--train-images", "1000", "--test-images", "300",
                "--backbone", "resnet20-small-w0.5"});
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertEquals(0, code, out);
        assertTrue(out.contains("sample of Fashion-MNIST"), out);
        assertTrue(out.contains("epoch 1  step 8/12") && out.contains("epoch 2  step 12/12"), out);
        double pixels = accuracy(out, "raw pixels");
        double embedding = accuracy(out, "BYOL embeddings");
        // Ten balanced classes: chance is 10 %. Both probes must learn something real.
        assertTrue(pixels > 0.5, "raw-pixel probe accuracy " + pixels);
        assertTrue(embedding > 0.2, "embedding probe accuracy " + embedding);
        double untrained = accuracy(out, "untrained backbone");
        double knn = accuracy(out, "kNN on BYOL embeddings");
        assertTrue(untrained > 0.2 && knn > 0.2, "untrained " + untrained + ", kNN " + knn);
    }

    @Test
    void unknownCommandsAndOptionsAreUsageErrors() {
        assertEquals(2, Main.run(new String[] {"frobnicate"}));
        assertEquals(2, Main.run(new String[] {"demo", "--epoch", "3"}));
        assertEquals(2, Main.run(new String[] {"demo", "--steps", "three"}));
        assertEquals(2, Main.run(new String[] {"demo", "--minutes", "-1"}));
    }
}
