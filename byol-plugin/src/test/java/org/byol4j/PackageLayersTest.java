package org.byol4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layers of docs/ARCHITECTURE.md, checked on the main sources: no package imports one of a higher layer,
 * and the imports between packages form no cycle.
 */
class PackageLayersTest {

    /** The table of docs/ARCHITECTURE.md: package to layer. */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(Map.entry("io", 0), Map.entry("engine", 0),
            Map.entry("options", 0), Map.entry("data", 0), Map.entry("nn", 0), Map.entry("optim", 0),
            Map.entry("augment", 1), Map.entry("views", 2), Map.entry("backbone", 2), Map.entry("spi", 3),
            Map.entry("method", 4), Map.entry("checkpoint", 5), Map.entry("pretrain", 6), Map.entry("byol", 7),
            Map.entry("simsiam", 7), Map.entry("simclr", 7), Map.entry("tribuo", 7), Map.entry("report", 8), Map.entry("finetune", 8),
            Map.entry("cli", 9));

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.byol4j\\.(\\w+)\\.",
            Pattern.MULTILINE);

    private static Map<String, Set<String>> imports() throws IOException {
        Path root = Path.of("src/main/java/org/byol4j");
        Map<String, Set<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(f).getName(0).toString();
                Set<String> to = out.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        to.add(m.group(1) + " (" + root.relativize(f) + ")");
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyPackageHasALayerAndImportsOnlyItsOwnOrLowerOnes() throws IOException {
        Map<String, Set<String>> imports = imports();
        assertEquals(new TreeSet<>(LAYERS.keySet()), new TreeSet<>(imports.keySet()),
                "a package without a layer, or a layer without a package: update this test and ARCHITECTURE.md");
        List<String> upward = new ArrayList<>();
        imports.forEach((pkg, to) -> to.forEach(dep -> {
            String target = dep.substring(0, dep.indexOf(' '));
            if (LAYERS.get(target) > LAYERS.get(pkg)) {
                upward.add(pkg + " (layer " + LAYERS.get(pkg) + ") imports " + dep + " (layer "
                        + LAYERS.get(target) + ")");
            }
        }));
        assertTrue(upward.isEmpty(), String.join("\n", upward));
    }

    @Test
    void thePackagesImportsFormNoCycle() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        imports().forEach((pkg, to) -> to.forEach(dep -> graph.computeIfAbsent(pkg, k -> new TreeSet<>())
                .add(dep.substring(0, dep.indexOf(' ')))));
        for (String start : graph.keySet()) {
            List<String> cycle = cycleFrom(start, graph, new ArrayList<>());
            assertTrue(cycle.isEmpty(), "cycle: " + cycle);
        }
    }

    private static List<String> cycleFrom(String at, Map<String, Set<String>> graph, List<String> path) {
        if (path.contains(at)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
            cycle.add(at);
            return cycle;
        }
        path.add(at);
        for (String next : graph.getOrDefault(at, Set.of())) {
            List<String> cycle = cycleFrom(next, graph, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        return List.of();
    }
}
