package org.byol4j.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OptionTest {

    /** Options of a made-up component, declared as a config class declares them. */
    static class Base {
        public static final Option<Base, Integer> SIZE = Option.ofInt(Base.class, "size", 4, "Side in pixels.")
                .require(v -> v >= 2, "must be >= 2").require(v -> v % 2 == 0, "must be even");
        public static final Option<Base, Float> RATE = Option.ofFloat(Base.class, "rate", 0.5f, "A rate.")
                .require(v -> v > 0, "must be > 0");
        public static final Option<Base, TimeUnit> UNIT = Option.ofEnum(Base.class, "unit", TimeUnit.SECONDS,
                "A unit.");
        /** Not an option: not public. */
        static final Option<Base, Boolean> HIDDEN = Option.ofBoolean(Base.class, "hidden", false, "Hidden.");
    }

    /** A subclass adding its own options after the base's. */
    static final class Derived extends Base {
        public static final Option<Derived, Long> SEED = Option.ofLong(Derived.class, "seed", 1L, "A seed.");
        public static final Option<Derived, String> NAME = Option.ofText(Derived.class, "name", "x", "A name.");
        public static final Option<Derived, Double> WEIGHT = Option.ofDouble(Derived.class, "weight", -1, "A weight.");
        public static final Option<Derived, Boolean> FLAG = Option.ofBoolean(Derived.class, "flag", true, "A flag.");
    }

    /** Two options of one name. */
    static final class Twice {
        public static final Option<Twice, Integer> A = Option.ofInt(Twice.class, "a", 1, "One.");
        public static final Option<Twice, Integer> B = Option.ofInt(Twice.class, "a", 2, "The same name.");
    }

    @Test
    void textParsesToTheOptionsTypeAndFormatsBackToTheSameValue() {
        assertEquals(12, Base.SIZE.parse(" 12 "));
        assertEquals(1.5e-6f, Base.RATE.parse("1.5e-6"));
        assertEquals(TimeUnit.MINUTES, Base.UNIT.parse("minutes"), "enum names in any case");
        assertEquals(7L, Derived.SEED.parse("7"));
        assertEquals(" a b ", Derived.NAME.parse(" a b "), "text is kept as typed");
        assertEquals(0.996, Derived.WEIGHT.parse("0.996"));
        assertEquals(false, Derived.FLAG.parse("FALSE"));
        for (float f : new float[] {1.5e-6f, 0.72f, 0.2f, 1f / 3}) {
            assertEquals(f, Base.RATE.parse(Base.RATE.format(f)), "round trip of " + f);
        }
        assertEquals("MINUTES", Base.UNIT.format(TimeUnit.MINUTES));
    }

    @Test
    void textThatDoesNotParseIsRefusedNamingTheOptionAndTheExpectedType() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> Base.SIZE.parse("twelve"));
        assertEquals("size", e.option());
        assertEquals("option size expects int, got 'twelve'", e.getMessage());
        assertEquals("option unit expects one of NANOSECONDS, MICROSECONDS, MILLISECONDS, SECONDS, MINUTES, HOURS,"
                + " DAYS, got 'weeks'", assertThrows(InvalidOptionException.class, () -> Base.UNIT.parse("weeks"))
                .getMessage());
        assertEquals("option flag expects boolean, got 'yes'",
                assertThrows(InvalidOptionException.class, () -> Derived.FLAG.parse("yes")).getMessage());
        assertEquals("option seed expects long, got '1.5'",
                assertThrows(InvalidOptionException.class, () -> Derived.SEED.parse("1.5")).getMessage());
    }

    @Test
    void eachRuleIsCheckedAndTheBrokenOneIsNamed() {
        assertEquals(6, Base.SIZE.check(6));
        assertEquals("size must be >= 2, got 0", assertThrows(InvalidOptionException.class,
                () -> Base.SIZE.check(0)).getMessage());
        assertEquals("size must be even, got 3", assertThrows(InvalidOptionException.class,
                () -> Base.SIZE.check(3)).getMessage());
        assertEquals("rate must be > 0, got NaN", assertThrows(InvalidOptionException.class,
                () -> Base.RATE.check(Float.NaN)).getMessage(), "NaN passes no comparison: refused by name");
        assertEquals("weight must be a finite number, got Infinity", assertThrows(InvalidOptionException.class,
                () -> Derived.WEIGHT.check(Double.POSITIVE_INFINITY)).getMessage(), "refused even without a rule");
        assertEquals("size must be set (int)", assertThrows(InvalidOptionException.class,
                () -> Base.SIZE.check(null)).getMessage());
        assertTrue(Base.SIZE.parse("1") == 1, "parsing does not check rules: a later value may still change it");
    }

    @Test
    void aDefaultThatBreaksItsOwnRuleIsADeclarationError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Option.ofInt(Base.class, "n", 0, "N.").require(v -> v > 0, "must be > 0"));
        assertTrue(e.getMessage().contains("n") && e.getMessage().contains("must be > 0"), e.getMessage());
    }

    @Test
    void aClassListsItsPublicOptionsAndItsSuperclassesInDeclarationOrder() {
        List<Option<?, ?>> all = DeclaredOptions.of(Derived.class).list();
        assertEquals(List.of(Base.SIZE, Base.RATE, Base.UNIT, Derived.SEED, Derived.NAME, Derived.WEIGHT,
                Derived.FLAG), all);
        assertSame(Base.RATE, DeclaredOptions.of(Derived.class).named("rate"));
        assertFalse(DeclaredOptions.of(Base.class).contains(Derived.SEED));
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> DeclaredOptions.of(Base.class).requireContains(Derived.SEED));
        assertEquals("option seed belongs to Derived, not to Base", e.getMessage());
        InvalidOptionException unknown = assertThrows(InvalidOptionException.class,
                () -> DeclaredOptions.of(Base.class).named("sise"));
        assertEquals("unknown option 'sise'; known: size, rate, unit", unknown.getMessage());
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> DeclaredOptions.of(Twice.class));
        assertTrue(twice.getMessage().contains("declares option a twice"), twice.getMessage());
    }

    @Test
    void valuesAreCheckedWhenGivenInCodeAndParsedWhenGivenAsText() {
        OptionValues<Derived> v = OptionValues.<Derived, Integer>of(Base.SIZE, 8).with(Derived.SEED, 3L);
        assertEquals(8, v.get(Base.SIZE));
        assertEquals(0.5f, v.get(Base.RATE), "an option not given reads as its default");
        assertFalse(v.has(Base.RATE));
        assertThrows(InvalidOptionException.class, () -> v.with(Base.SIZE, 3), "a preset's mistake fails where it is"
                + " declared");
        Map<String, String> text = new LinkedHashMap<>();
        text.put("unit", "hours");
        text.put("size", "10");
        OptionValues<Derived> parsed = v.withText(DeclaredOptions.of(Derived.class), text);
        assertEquals(Map.of("size", "10", "seed", "3", "unit", "HOURS"), parsed.text());
        assertEquals(List.of("size", "seed", "unit"), List.copyOf(parsed.text().keySet()), "first-given order");
        assertEquals(8, v.get(Base.SIZE), "immutable");
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> v.withText(DeclaredOptions.of(Base.class), Map.of("seed", "1")));
        assertEquals("unknown option 'seed'; known: size, rate, unit", e.getMessage());
        OptionValues<Derived> widened = OptionValues.<Base, Float>of(Base.RATE, 2f).<Derived>forSubclass()
                .with(Derived.FLAG, false);
        assertEquals(Map.of("rate", "2.0", "flag", "false"), widened.text());
        assertEquals(widened, OptionValues.<Derived, Float>of(Base.RATE, 2f).withAll(
                OptionValues.<Derived, Boolean>of(Derived.FLAG, false)));
    }
}
