package org.byol4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepresentationTrainersTest {

    /** Claims byol's name; registered only by the duplicate-name test. */
    public static final class ImpostorProvider implements RepresentationTrainerProvider {
        /** For ServiceLoader. */
        public ImpostorProvider() {}

        @Override
        public String name() {
            return "byol";
        }

        @Override
        public String description() {
            return "impostor";
        }

        @Override
        public List<OptionDescription> options() {
            return List.of();
        }

        @Override
        public RepresentationTrainer create(Map<String, String> options) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void findsByolAndTheTestClasspathProvider() {
        RepresentationTrainers registry = RepresentationTrainers.load();
        assertEquals(List.of("barlowtwins", "byol", "random-init", "simclr", "simsiam"), registry.names());
        assertEquals("byol", registry.create("byol", Map.of()).name());
        assertEquals("random-init", RepresentationTrainers.get("random-init", Map.of()).name());
    }

    @Test
    void anUnknownNameListsWhatExists() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RepresentationTrainers.get("moco", Map.of()));
        assertTrue(e.getMessage().contains("'moco'") && e.getMessage().contains("byol, random-init, simclr, simsiam"),
                e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> RepresentationTrainers.of(List.of()).provider("byol"));
        assertTrue(none.getMessage().contains("none"), none.getMessage());
    }

    @Test
    void twoProvidersWithOneNameNameBothClasses(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(RepresentationTrainerProvider.class.getName()),
                ImpostorProvider.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                getClass().getClassLoader())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> RepresentationTrainers.load(loader));
            assertTrue(e.getMessage().contains("'byol'") && e.getMessage().contains(ImpostorProvider.class.getName())
                    && e.getMessage().contains("ByolProvider"), e.getMessage());
        }
    }

    @Test
    void aBrokenRegistrationIsReported(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(RepresentationTrainerProvider.class.getName()), "org.example.Missing\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                getClass().getClassLoader())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> RepresentationTrainers.load(loader));
            assertTrue(e.getMessage().contains("org.example.Missing"), e.getMessage());
        }
    }

    @Test
    void byolOptionsAreTypedDescribedAndValidated() {
        RepresentationTrainerProvider byol = RepresentationTrainers.load().provider("byol");
        OptionDescription epochs = byol.options().stream().filter(o -> o.name().equals("epochs")).findFirst()
                .orElseThrow();
        assertEquals("int", epochs.type());
        assertEquals("100", epochs.defaultValue());
        OptionDescription optimiser = byol.options().stream().filter(o -> o.name().equals("optimiser"))
                .findFirst().orElseThrow();
        assertEquals("one of LARS, SGD, ADAMW", optimiser.type());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> byol.create(Map.of("epoch", "3")));
        assertTrue(unknown.getMessage().contains("'epoch'") && unknown.getMessage().contains("epochs")
                && unknown.getMessage().contains("checkpointDir"), unknown.getMessage());
        IllegalArgumentException badType = assertThrows(IllegalArgumentException.class,
                () -> byol.create(Map.of("epochs", "ten")));
        assertEquals("option epochs expects int, got 'ten'", badType.getMessage());
        IllegalArgumentException badEnum = assertThrows(IllegalArgumentException.class,
                () -> byol.create(Map.of("optimiser", "adam")));
        assertTrue(badEnum.getMessage().contains("one of LARS, SGD, ADAMW"), badEnum.getMessage());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> byol.create(Map.of("epochs", "5", "warmupEpochs", "6")));
        assertTrue(invalid.getMessage().contains("warmupEpochs"), invalid.getMessage());
        IllegalArgumentException workers = assertThrows(IllegalArgumentException.class,
                () -> byol.create(Map.of("workers", "0")));
        assertTrue(workers.getMessage().contains("workers"), workers.getMessage());
    }
}
