package org.byol4j.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.byol4j.method.PretrainingConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Options are type-checked by the compiler where users write them: a builder or preset takes only the options of
 * its method (and the shared ones) with values of their type. Each case compiles one line with the JDK's compiler,
 * against this module's classes.
 */
class TypedOptionsCompileTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a shared option | ByolConfig.builder().set(PretrainingConfig.BATCH_SIZE, 64).build() | true",
        "the method's own | ByolConfig.builder().set(ByolConfig.TAU_BASE, 0.99).build() | true",
        "another method's option | SimClrConfig.builder().set(ByolConfig.TAU_BASE, 0.99).build() | false",
        "a value of the wrong type | ByolConfig.builder().set(PretrainingConfig.BATCH_SIZE, \"64\").build() | false",
        "a preset of another method | SimClrConfig.builder().set(ByolPreset.SMALL_GREYSCALE.settings()) | false",
        "a preset value of another method | OptionValues.<SimClrConfig, Double>of(ByolConfig.TAU_BASE, 0.9) | false",
    })
    void onlyTheMethodsOwnOptionsWithValuesOfTheirTypeCompile(String what, String line, boolean compiles,
            @TempDir Path dir) throws IOException, URISyntaxException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests run on a JDK");
        Path source = dir.resolve("Snippet.java");
        Files.writeString(source, String.join("\n",
                "import org.byol4j.byol.*;",
                "import org.byol4j.simclr.*;",
                "import org.byol4j.options.*;",
                "import org.byol4j.method.*;",
                "class Snippet { Object f() { return " + line + "; } }"));
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(errors, null, null, List.of("-classpath", classpath(), "-d", dir.toString(),
                "-proc:none"), null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(source)).call();
        assertEquals(compiles, ok, what + ": " + errors);
        if (!compiles) {
            assertTrue(errors.toString().contains("error"), errors.toString());
        }
    }

    private static String classpath() throws URISyntaxException {
        return Stream.of(PretrainingConfig.class, Configurable.class, ai.djl.nn.Block.class,
                ai.djl.ndarray.NDArray.class)
                .map(c -> {
                    try {
                        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
                    } catch (URISyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .distinct().collect(Collectors.joining(java.io.File.pathSeparator));
    }
}
