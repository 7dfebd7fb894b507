package org.byol4j.cli;

import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code byol} command line. Sub-commands: {@code demo} (the walking skeleton on Fashion-MNIST).
 * Exit codes: 0 success, 1 failure at run time, 2 bad usage.
 */
public final class Main {

    private Main() {}

    /**
     * @param args sub-command and its options
     */
    public static void main(String[] args) {
        quietLibraries();
        System.exit(run(args));
    }

    /**
     * @param args sub-command and its options
     * @return the exit code
     */
    public static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(usage());
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0].toLowerCase(Locale.ROOT)) {
                case "demo":
                    return new DemoCommand(Options.parse(rest, DemoCommand.OPTIONS)).run();
                default:
                    System.err.println("byol: unknown command '" + args[0] + "'\n" + usage());
                    return 2;
            }
        } catch (Options.UsageException e) {
            System.err.println("byol " + args[0] + ": " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("byol " + args[0] + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** Keeps library chatter (DJL start-up, Tribuo's per-iteration loss) out of the command's output. */
    private static void quietLibraries() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda", "error");
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    }

    static String usage() {
        StringBuilder options = new StringBuilder();
        DemoCommand.OPTIONS.forEach((name, value) -> options.append("\n           ").append(name).append(' ')
                .append(value));
        return "usage: byol <command> [options]\n"
                + "commands:\n"
                + "  demo   pretrain a small ResNet with BYOL on Fashion-MNIST for a time budget, then compare linear\n"
                + "         evaluation of its embeddings with an untrained backbone and raw pixels, plus kNN\n"
                + "         options (defaults):" + options + "\n         (" + DemoCommand.USAGE_NOTE + ")";
    }
}
