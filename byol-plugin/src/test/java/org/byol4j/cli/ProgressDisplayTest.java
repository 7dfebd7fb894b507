package org.byol4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.byol4j.spi.TrainingProgress;
import org.junit.jupiter.api.Test;

/** The progress display: a redrawn bar on a terminal, a line every 5 % in a log. */
class ProgressDisplayTest {

    private static TrainingProgress at(long step) {
        return new TrainingProgress(0, step, 200, 0.5, 0.1, 100, Map.of("tau", 0.99, "collapseStd", 0.05));
    }

    @Test
    void aLogGetsALineEveryFivePercentAndTheLast() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressDisplay display = new ProgressDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        for (long s = 1; s <= 200; s++) {
            display.onStep(at(s));
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(21, lines.size(), "steps 1 (0 %), 10, 20, ..., 200: " + lines);
        assertTrue(lines.get(20).startsWith("[##############################] 100% step 200/200"), lines.get(20));
        assertTrue(lines.get(10).contains("step 100/200") && lines.get(10).contains("100 pairs/s")
                && lines.get(10).contains("ETA") && lines.get(10).contains("loss 0.5000"), lines.get(10));
    }

    @Test
    void aTerminalGetsOneRedrawnLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressDisplay display = new ProgressDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        display.onStep(at(1));
        display.onStep(at(2));
        display.onStep(at(200));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\r[") && out.endsWith(System.lineSeparator()), out);
        assertEquals(2, out.chars().filter(c -> c == '\r').count(), "step 2 came too soon to redraw: " + out);
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), "redrawn in place, one newline at the end");
    }

    @Test
    void durationsReadLikeAClock() {
        assertEquals("12s", ProgressDisplay.duration(12.4));
        assertEquals("3m07s", ProgressDisplay.duration(187));
        assertEquals("1h02m", ProgressDisplay.duration(3720));
        assertEquals("?", ProgressDisplay.duration(Double.NaN));
    }
}
