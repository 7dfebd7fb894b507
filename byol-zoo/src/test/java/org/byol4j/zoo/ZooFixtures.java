package org.byol4j.zoo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.byol4j.backbone.Backbone;
import org.byol4j.nn.ResNet;

/** Small artefacts written by the real export, and archives of them, shared by the zoo tests. */
final class ZooFixtures {

    static final String ID = "tiny-squares";

    private ZooFixtures() {}

    /** @return an untrained 16 px greyscale backbone (the zoo does not care how the weights were made) */
    static Backbone tinyBackbone() {
        return Backbone.randomInit(ResNet.parse("resnet20-small-w0.25", 1), 16, 5);
    }

    /**
     * @param repository folder to export into
     * @return the artefact folder, {@code repository/tiny-squares}
     */
    static Path export(Path repository) throws IOException {
        try (Backbone b = tinyBackbone()) {
            return ZooExport.export(b, repository, ID, "1.0", "squares", "a test artefact",
                    Map.of("command", "ZooFixtures.export"));
        }
    }

    /**
     * @param folder a repository folder
     * @param zip the archive to write, entries named relative to {@code folder}
     * @param extra extra entries (name to content), e.g. a path that escapes
     */
    static void zip(Path folder, Path zip, Map<String, byte[]> extra) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out);
                Stream<Path> files = Files.walk(folder)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                z.putNextEntry(new ZipEntry(folder.relativize(f).toString()));
                z.write(Files.readAllBytes(f));
                z.closeEntry();
            }
            for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }

    /** @return the parameter file of an exported artefact folder */
    static Path parameterFile(Path artefact) throws IOException {
        try (Stream<Path> s = Files.list(artefact)) {
            List<Path> params = s.filter(p -> p.toString().endsWith(".params")).toList();
            return params.get(0);
        }
    }
}
