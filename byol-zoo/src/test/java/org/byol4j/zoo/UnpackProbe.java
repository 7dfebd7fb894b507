package org.byol4j.zoo;

import java.net.URI;
import java.nio.file.Path;

/** Unpacks one archive into a cache and prints the entry: {@link ZooArchivesTest} runs two at once. */
final class UnpackProbe {

    private UnpackProbe() {}

    public static void main(String[] args) throws Exception {
        System.out.println("unpacked " + ZooArchives.unpack(URI.create(args[0]).toURL(), Path.of(args[1])));
    }
}
