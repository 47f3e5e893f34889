package org.segue.lab;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What every grid benchmark ({@code bench-photo}, {@code bench-train}) does with its settings and its
 * results: each setting in a child JVM or not, the summary table and the JSON file, and the hidden
 * child mode that measures one setting and prints it as one JSON line. A picocli mixin.
 */
final class BenchOutputOptions {

    @Option(names = "--fork", arity = "0..1", fallbackValue = "true",
            description = "run each setting in a child JVM so its peak memory is its own "
                    + "(default: true with more than one setting, false with one)")
    Boolean fork;

    @Option(names = "--markdown", description = "write the summary table (Markdown) to this file")
    Path markdown;

    @Option(names = "--json", description = "write every figure, the command line, the machine and the date to this JSON file")
    Path json;

    @Option(names = "--json-line", hidden = true,
            description = "child mode: measure the single setting and print its figures as one JSON line")
    boolean jsonLine;

    /** Whether this run is the child that measures one setting; refuses a grid in that mode. */
    boolean isChild(int settings) {
        if (jsonLine && settings != 1) {
            throw new IllegalArgumentException("--json-line measures one setting, not " + settings);
        }
        return jsonLine;
    }

    /** Whether each setting runs in its own child JVM: as asked, else whenever there is more than one. */
    boolean forked(int settings) {
        return fork != null ? fork : settings > 1;
    }

    /** The arguments of the child JVM that measures one setting: the setting's own options and child mode. */
    static List<String> childArguments(List<String> settingArguments) {
        List<String> args = new java.util.ArrayList<>(settingArguments);
        args.add("--json-line");
        return args;
    }

    /** Writes the table and the JSON file where asked: header, the benchmark's settings, every result. */
    void write(String command, List<String> originalArgs, String table, JsonObject settings, List<JsonObject> results)
            throws IOException {
        if (markdown != null) {
            BenchSupport.writeText(markdown, table + "\n");
        }
        if (json != null) {
            JsonObject o = BenchSupport.header(command, originalArgs);
            o.add("settings", settings);
            JsonArray all = new JsonArray();
            results.forEach(all::add);
            o.add("results", all);
            BenchSupport.writeJson(json, o);
        }
    }
}
