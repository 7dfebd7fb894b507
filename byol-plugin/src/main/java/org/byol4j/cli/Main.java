package org.byol4j.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code byol} command line, built on picocli: {@code pretrain}, {@code embed}, {@code linear-eval},
 * {@code knn-eval}, {@code export}, {@code zoo list} and {@code demo}. Every sub-command has {@code --help} with
 * its defaults; options can also come from a file ({@code byol pretrain @run.options}, one option per line);
 * a mistyped option gets the nearest valid ones suggested.
 *
 * <p>Exit codes: 0 success, 1 failure at run time (one line on stderr; {@code --verbose} adds the stack trace),
 * 2 bad usage, 130 stopped by Ctrl-C (after a final checkpoint).
 */
@Command(name = "byol", mixinStandardHelpOptions = true, version = "byol4j 0.1.0",
        description = "BYOL self-supervised image representations on the JVM (DJL + Tribuo).",
        subcommands = {PretrainCommand.class, EmbedCommand.class, LinearEvalCommand.class, KnnEvalCommand.class,
            ExportCommand.class, ZooCommand.class, DemoCommand.class, FineTuneCommand.class,
            PredictCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    /** Exit code of a run stopped by Ctrl-C. */
    static final int STOPPED = 130;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean verbose;

    /** Called by picocli when no sub-command is given. */
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return 2;
    }

    /**
     * @param args sub-command and its options
     */
    public static void main(String[] args) {
        quietLibraries();
        System.exit(run(args));
    }

    /**
     * Runs one command in this JVM.
     *
     * @param args sub-command and its options
     * @return the exit code
     */
    public static int run(String[] args) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        if (args.length > 0 && !args[0].startsWith("-") && !args[0].startsWith("@")
                && !cli.getSubcommands().containsKey(args[0])) {
            // An unknown sub-command fails (exit 2, with suggestions) whether or not --help follows it: picocli would
            // otherwise let the top-level --help win and exit 0, which a script cannot tell from a real command.
            args = Arrays.stream(args).filter(a -> !a.equals("--help") && !a.equals("-h")).toArray(String[]::new);
        }
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, ignored) -> {
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            String name = command.getCommandSpec().qualifiedName();
            err.println(name + ": " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try '" + name + " --help'.");
            err.flush();
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(e));
            if (main.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (e instanceof java.io.UncheckedIOException && e.getCause() != null) {
            message = e.getCause().getMessage();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /**
     * Keeps library chatter (DJL start-up, Tribuo's per-iteration loss) out of the command's output; a resumed run
     * still says which checkpoint it continues from.
     */
    static void quietLibraries() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.byol4j.checkpoint.Checkpoint", "info");
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda", "error");
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    }
}
