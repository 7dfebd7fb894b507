package org.byol4j.cli;

import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelZoo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code byol zoo list}: what the byol4j model zoo holds (shipped and configured repositories), with properties. */
@Command(name = "zoo", mixinStandardHelpOptions = true, description = "The byol4j model zoo.",
        subcommands = ZooCommand.ListCommand.class)
final class ZooCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(System.err);
        return 2;
    }

    /** Lists the artefacts. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the zoo's artefacts (add repositories with -Dbyol4j.zoo.repositories=DIR).")
    static final class ListCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            ModelZoo zoo = ModelZoo.getModelZoo("org.byol4j");
            if (zoo == null) {
                throw new IllegalStateException("the byol4j zoo is not on the classpath: put the byol-zoo jar on it"
                        + " (the ./byol script does)");
            }
            int n = 0;
            for (ModelLoader loader : zoo.getModelLoaders()) {
                n++;
                System.out.println(loader);
            }
            System.out.println(n + " artefact(s)");
            return 0;
        }
    }
}
