package org.byol4j.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one of the PyTorch reference scripts in {@code bench/compare} (Debian's {@code python3-torch}) after byol4j's
 * side of a benchmark, never beside it, and reads the JSON object it prints as its last line; its stderr goes to ours.
 */
final class PythonReference {

    private PythonReference() {}

    /**
     * @param python the interpreter, e.g. {@code /usr/bin/python3}
     * @param script the script's file name in {@code bench/compare}
     * @param args its arguments
     * @return the JSON object of the script's last output line
     * @throws IllegalStateException when the script exits with a failure, quoting its output
     */
    static JsonObject run(String python, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python,
                Path.of(System.getProperty("byol4j.bench.dir", "bench"), "compare", script).toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the PyTorch reference " + script + " failed (exit " + p.exitValue()
                    + "): " + out);
        }
        return JsonParser.parseString(out.substring(out.lastIndexOf('\n') + 1)).getAsJsonObject();
    }
}
