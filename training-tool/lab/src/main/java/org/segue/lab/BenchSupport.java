package org.segue.lab;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.segue.engine.internal.AtomicFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the benchmark commands share: statistics, peak memory, the machine's description, JSON and
 * Markdown files, and running one setting in a child JVM so that its peak memory is its own.
 */
final class BenchSupport {

    /** Prefix of the one stdout line in which a child run ({@code --json-line}) hands back its figures. */
    static final String JSON_LINE_PREFIX = "segue-bench-json: ";

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
            .create();
    static final Gson GSON_LINE = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    private BenchSupport() {
    }

    /** Median (mean of the middle two for an even count), min and max of some values. */
    record Stats(double median, double min, double max) {
        static Stats of(double[] values) {
            if (values.length == 0) {
                return new Stats(Double.NaN, Double.NaN, Double.NaN);
            }
            double[] v = values.clone();
            Arrays.sort(v);
            int n = v.length;
            double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
            return new Stats(median, v[0], v[n - 1]);
        }

        JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("median", median);
            o.addProperty("min", min);
            o.addProperty("max", max);
            return o;
        }

        /** The statistics of {@code values} and, under {@code key}, the values themselves: one JSON object. */
        static JsonObject toJson(double[] values, String key) {
            JsonObject o = of(values).toJson();
            JsonArray all = new JsonArray();
            for (double v : values) {
                all.add(v);
            }
            o.add(key, all);
            return o;
        }

        /** The values that {@link #toJson(double[], String)} wrote under {@code key}. */
        static double[] values(JsonObject stats, String key) {
            JsonArray all = stats.getAsJsonArray(key);
            double[] v = new double[all.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = all.get(i).getAsDouble();
            }
            return v;
        }
    }

    /** Peak resident memory of this process so far (VmHWM of /proc/self/status), MB; NaN where there is none. */
    static double peakResidentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return Double.NaN;
    }

    /** The CPU's name: the first "model name" of /proc/cpuinfo, or "unknown". */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    static JsonObject machine() {
        JsonObject m = new JsonObject();
        m.addProperty("os.arch", System.getProperty("os.arch"));
        m.addProperty("os.name", System.getProperty("os.name"));
        m.addProperty("os.version", System.getProperty("os.version"));
        m.addProperty("cores", Runtime.getRuntime().availableProcessors());
        m.addProperty("cpu", cpuModel());
        m.addProperty("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return m;
    }

    static String machineLine() {
        return String.format("%s, %d cores, %s, %s", cpuModel(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.arch"), "Java " + System.getProperty("java.runtime.version"));
    }

    static String now() {
        return OffsetDateTime.now().withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** The header every benchmark JSON file starts with: command, machine, date. */
    static JsonObject header(String command, List<String> args) {
        JsonObject o = new JsonObject();
        o.addProperty("command", "segue " + String.join(" ", args));
        JsonArray a = new JsonArray();
        args.forEach(a::add);
        o.add("arguments", a);
        ProcessHandle.current().info().commandLine().ifPresent(c -> o.addProperty("processCommandLine", c));
        o.addProperty("benchmark", command);
        o.add("machine", machine());
        o.addProperty("date", now());
        return o;
    }

    static void writeText(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    static void writeJson(Path file, JsonElement json) throws IOException {
        writeText(file, GSON.toJson(json) + "\n");
    }

    /** Prints {@code figures} as this child run's one result line. */
    static void printJsonLine(JsonObject figures) {
        System.out.println(JSON_LINE_PREFIX + GSON_LINE.toJson(figures));
        System.out.flush();
    }

    /**
     * Runs {@code segue ARGS} in a child JVM (this JVM's java executable, class path and -X/-D
     * options) and returns the figures of its {@link #JSON_LINE_PREFIX} line. Its other output
     * goes to this process's stderr.
     */
    static JsonObject runChild(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        try {
            for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if ((option.startsWith("-X") || option.startsWith("-D")) && !option.startsWith("-Djava.class.path")) {
                    command.add(option);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // no management bean: the child runs with default options
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LabCli.class.getName());
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        JsonObject result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(JSON_LINE_PREFIX)) {
                    result = JsonParser.parseString(line.substring(JSON_LINE_PREFIX.length())).getAsJsonObject();
                } else {
                    System.err.println(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        int exit = p.waitFor();
        if (exit != 0) {
            throw new IOException("the child run 'segue " + String.join(" ", args) + "' failed (exit " + exit + ")");
        }
        if (result == null) {
            throw new IOException("the child run 'segue " + String.join(" ", args) + "' printed no result line");
        }
        return result;
    }

    /** A number as it was typed: 24 rather than 24.0, 1.5 as 1.5. */
    static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
