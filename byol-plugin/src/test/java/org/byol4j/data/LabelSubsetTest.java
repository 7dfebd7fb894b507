package org.byol4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The class-balanced label subsets of the semi-supervised table: balance, determinism, and what they refuse. */
class LabelSubsetTest {

    /** 30 images of class a, 20 of b, 10 of c, interleaved; image i's only pixel is i. */
    private static final LabelledImageSource SOURCE = new LabelledImageSource() {
        private String labelOf(int i) {
            int k = i % 6;
            return k < 3 ? "a" : k < 5 ? "b" : "c";
        }

        @Override
        public int size() {
            return 60;
        }

        @Override
        public int channels() {
            return 1;
        }

        @Override
        public PixelImage image(int index) {
            return new PixelImage(1, 1, 1, new float[] {index});
        }

        @Override
        public String label(int index) {
            return labelOf(index);
        }

        @Override
        public List<String> classNames() {
            return List.of("a", "b", "c");
        }

        @Override
        public String description() {
            return "60 test images";
        }
    };

    private static Map<String, Integer> counts(Subset s) {
        Map<String, Integer> out = new TreeMap<>();
        for (int i = 0; i < s.size(); i++) {
            out.merge(s.label(i), 1, Integer::sum);
        }
        return out;
    }

    private static List<Integer> pixels(Subset s) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            out.add((int) s.image(i).get(0, 0, 0));
        }
        return out;
    }

    @Test
    void aBalancedDrawTakesAsManyOfEveryClassInSourceOrder() {
        Subset s = Subset.balanced(SOURCE, 4, 7);
        assertEquals(Map.of("a", 4, "b", 4, "c", 4), counts(s));
        List<Integer> p = pixels(s);
        assertEquals(p.stream().sorted().toList(), p, "source order");
        for (int i = 0; i < s.size(); i++) {
            assertEquals(SOURCE.label((int) s.image(i).get(0, 0, 0)), s.label(i), "labels follow their images");
        }
        assertTrue(s.description().contains("seed 7") && s.description().contains("4 per class"), s.description());
    }

    @Test
    void theSameSeedDrawsTheSameImagesAndAnotherSeedOthers() {
        assertEquals(pixels(Subset.balanced(SOURCE, 5, 1)), pixels(Subset.balanced(SOURCE, 5, 1)));
        assertNotEquals(pixels(Subset.balanced(SOURCE, 5, 1)), pixels(Subset.balanced(SOURCE, 5, 2)));
        List<Integer> drawn = pixels(Subset.balanced(SOURCE, 10, 3));
        for (int i = 5; i < 60; i += 6) {
            assertTrue(drawn.contains(i), "class c has exactly 10 images: all are drawn, " + i + " missing");
        }
    }

    @Test
    void aFractionDrawsThatShareOfEachClass() {
        Subset tenth = Subset.fraction(SOURCE, 0.1, 5);
        assertEquals(Map.of("a", 3, "b", 2, "c", 1), counts(tenth));
        assertEquals(pixels(tenth), pixels(Subset.fraction(SOURCE, 0.1, 5)));
        assertEquals(60, Subset.fraction(SOURCE, 1.0, 5).size());
    }

    @Test
    void aDrawThatWouldLeaveAClassShortIsRefusedNamingIt() {
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> Subset.balanced(SOURCE, 11, 1));
        assertTrue(tooMany.getMessage().contains("class 'c' has 10 images") && tooMany.getMessage()
                .contains("60 test images"), tooMany.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Subset.fraction(SOURCE, 0.01, 1));
        assertTrue(empty.getMessage().contains("class 'a'") && empty.getMessage().contains("asks for 0"),
                empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Subset.balanced(SOURCE, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Subset.fraction(SOURCE, 1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> Subset.fraction(SOURCE, Double.NaN, 1));
    }
}
