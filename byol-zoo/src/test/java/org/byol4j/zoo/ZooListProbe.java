package org.byol4j.zoo;

import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelZoo;

/**
 * Lists DJL's model zoos as a user does, with whatever repositories the {@code byol4j.zoo.repositories} property
 * names, and prints the byol4j group's artefact ids: {@link ZooArchivesTest} runs it in a JVM with a small heap.
 */
final class ZooListProbe {

    private ZooListProbe() {}

    public static void main(String[] args) throws Exception {
        ModelZoo.listModels();
        ModelZoo zoo = ModelZoo.getModelZoo(ByolModelZoo.GROUP_ID);
        System.out.println("listed " + zoo.getModelLoaders().stream().map(ModelLoader::getArtifactId).sorted()
                .toList());
    }
}
