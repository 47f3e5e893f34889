package org.segue.lab.eval;

import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs an {@link EvaluationPlan} into a results folder: one JSON file per row ({@code <id>.json}),
 * then {@code summary.md} (a Markdown table of every row), {@code summary.json} and one PNG chart per
 * {@code chart=} name. A row whose JSON exists and was written for the same plan line is not run
 * again, so an interrupted suite resumes where it stopped and an edited row is measured anew.
 */
public final class EvaluationSuite {

    /** A finished row as stored in its JSON file. */
    public record RowResult(EvaluationPlan.Row row, Map<String, String> figures, String json) {

        public double number(String key) {
            String v = figures.get(key);
            return v == null || v.equals("null") ? Double.NaN : Double.parseDouble(v);
        }
    }

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"(?:[^\"\\\\]|\\\\.)*\"|[^,{}]+)");

    private EvaluationSuite() {}

    /**
     * Runs every row not yet measured and writes the summary. Returns the results in plan order, or
     * null when cancelled (finished rows stay on disk).
     */
    public static List<RowResult> run(EvaluationPlan plan, Path out, ProgressListener progress,
                                      Cancellation cancellation, Consumer<String> log) throws IOException {
        return run(plan, out, true, progress, cancellation, log);
    }

    /**
     * As {@link #run(EvaluationPlan, Path, ProgressListener, Cancellation, Consumer)}; with
     * {@code measure} false nothing is measured and the summary covers the rows already on disk.
     */
    public static List<RowResult> run(EvaluationPlan plan, Path out, boolean measure, ProgressListener progress,
                                      Cancellation cancellation, Consumer<String> log) throws IOException {
        return run(plan, out, measure ? id -> true : id -> false, progress, cancellation, log);
    }

    /**
     * As {@link #run(EvaluationPlan, Path, ProgressListener, Cancellation, Consumer)}, measuring only the
     * rows whose id {@code measureRow} accepts (a candidate's rows, say); the summary covers every row
     * measured so far.
     */
    public static List<RowResult> run(EvaluationPlan plan, Path out, java.util.function.Predicate<String> measureRow,
                                      ProgressListener progress, Cancellation cancellation, Consumer<String> log)
            throws IOException {
        Files.createDirectories(out);
        List<RowResult> results = new ArrayList<>();
        for (EvaluationPlan.Row row : plan.rows()) {
            Path file = out.resolve(row.id() + ".json");
            RowResult done = readIfCurrent(row, file);
            if (done != null) {
                log.accept(row.id() + ": already measured (" + file + ")");
                results.add(done);
                continue;
            }
            if (!measureRow.test(row.id())) {
                log.accept(row.id() + ": not measured yet, left out of the summary");
                continue;
            }
            if (cancellation.isCancelled()) {
                return null;
            }
            log.accept(row.id() + ": " + row.text());
            String body;
            if (row.kind().equals("row")) {
                AttackerRun.Result r = row.attackerRun().run(progress, cancellation);
                if (r == null) {
                    return null;
                }
                body = r.toJson();
                log.accept(String.format(Locale.ROOT, "%s: clean test accuracy %.1f%% (chance %.1f%%), %.0f s",
                        row.id(), 100 * r.testAccuracy(), 100 * r.chance(), r.seconds()));
            } else if (row.kind().equals("figure")) {
                int examples = writeFigure(row, out.resolve(row.id() + ".png"));
                body = "{\"figure\":" + AttackerRun.quote(row.id() + ".png") + ",\"examples\":" + examples + "}";
                log.accept(row.id() + ": " + out.resolve(row.id() + ".png"));
            } else {
                long t0 = System.nanoTime();
                ImageQuality.Summary q = ImageQuality.compareFolders(Path.of(row.required("clean")),
                        Path.of(row.required("protected")));
                body = q.toJson((System.nanoTime() - t0) / 1e9);
                log.accept(row.id() + ": " + q);
            }
            String json = stored(row, body);
            AtomicFiles.write(file, (json + "\n").getBytes(StandardCharsets.UTF_8));
            results.add(new RowResult(row, fields(body), json));
        }
        writeSummary(plan, results, out);
        return results;
    }

    /** A row's result file: its id, its plan line (to notice edits) and what it measured. */
    static String stored(EvaluationPlan.Row row, String body) {
        return "{\"id\":" + AttackerRun.quote(row.id()) + ",\"plan\":" + AttackerRun.quote(row.text())
                + ",\"result\":" + body + "}";
    }

    /** The paper's Figure 3: the first image of each of the first {@code count} identities. */
    private static int writeFigure(EvaluationPlan.Row row, Path png) throws IOException {
        int count = Integer.parseInt(row.option("count", "4"));
        List<RgbImage> clean = new ArrayList<>();
        List<RgbImage> protectedImages = new ArrayList<>();
        java.util.Set<Path> identities = new java.util.HashSet<>();
        for (Path[] pair : ImageQuality.pairFolders(Path.of(row.required("clean")), Path.of(row.required("protected")))) {
            if (clean.size() < count && identities.add(pair[0].getParent())) {
                clean.add(ImageCodec.read(pair[0]));
                protectedImages.add(ImageCodec.read(pair[1]));
            }
        }
        ImageGrid.write(clean, protectedImages, 30f, png);
        return clean.size();
    }

    private static RowResult readIfCurrent(EvaluationPlan.Row row, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String json = Files.readString(file).strip();
        Map<String, String> all = fields(json);
        if (!AttackerRun.quote(row.text()).equals(all.get("plan"))) {
            return null; // the row was edited: measure it again
        }
        int result = json.indexOf("\"result\":");
        return result < 0 ? null : new RowResult(row, fields(json.substring(result + 9)), json);
    }

    /** The flat fields of a one-level JSON object (strings keep their quotes). */
    static Map<String, String> fields(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            out.putIfAbsent(m.group(1), m.group(2).strip());
        }
        return out;
    }

    private static String unquote(String s) {
        return s != null && s.startsWith("\"") ? s.substring(1, s.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\") : s;
    }

    private static void writeSummary(EvaluationPlan plan, List<RowResult> results, Path out) throws IOException {
        StringBuilder md = new StringBuilder();
        if (results.stream().anyMatch(r -> r.row().kind().equals("row"))) {
            md.append("| row | what | attacker | input | counter-measure | epochs | clean test accuracy | chance | s |\n");
            md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        }
        StringBuilder quality = new StringBuilder();
        StringBuilder json = new StringBuilder("[\n");
        Map<String, Map<String, List<double[]>>> charts = new TreeMap<>();
        for (RowResult r : results) {
            json.append(json.length() > 2 ? ",\n" : "").append(r.json());
            String label = label(r.row());
            if (r.row().kind().equals("figure")) {
                continue;
            }
            if (r.row().kind().equals("quality")) {
                quality.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.3f | %.0f | %.2f | %d |%n", r.row().id(),
                        label, r.number("meanPsnr"), r.number("meanSsim"), r.number("maxLinfLevels"),
                        r.number("meanL2Levels"), (long) r.number("pairs")));
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d px %s | %s | %d | **%.1f%%** | %.1f%% | %.0f |%n",
                    r.row().id(), label, attacker(r), (long) r.number("inputSize"),
                    unquote(r.figures().get("resize")), counterMeasure(r), (long) r.number("epochs"),
                    100 * r.number("testAccuracy"), 100 / r.number("classes"), r.number("seconds")));
            String chart = r.row().options().get("chart");
            if (chart != null) {
                double x = Double.parseDouble(r.row().option("x", "0"));
                charts.computeIfAbsent(chart, c -> new LinkedHashMap<>())
                        .computeIfAbsent(r.row().option("series", "attacker"), s -> new ArrayList<>())
                        .add(new double[] {x, 100 * r.number("testAccuracy")});
            }
        }
        md.append(seedMeans(results));
        if (!quality.isEmpty()) {
            md.append(md.isEmpty() ? "" : "\n").append("| row | protected set | mean PSNR (dB) | mean SSIM | max L-inf (levels) | mean L2 (levels) | images |\n")
                    .append("| --- | --- | --- | --- | --- | --- | --- |\n").append(quality);
        }
        AtomicFiles.write(out.resolve("summary.md"), md.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("summary.json"), json.append("\n]\n").toString().getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, Map<String, List<double[]>>> chart : charts.entrySet()) {
            List<Charts.Series> series = new ArrayList<>();
            chart.getValue().forEach((name, points) -> {
                points.sort((a, b) -> Double.compare(a[0], b[0]));
                series.add(new Charts.Series(name, points.stream().mapToDouble(p -> p[0]).toArray(),
                        points.stream().mapToDouble(p -> p[1]).toArray()));
            });
            Charts.lineChart("Attacker accuracy on clean test faces: " + chart.getKey(), chart.getKey(),
                    "clean test accuracy (%)", series, chanceLine(results), out.resolve(chart.getKey() + ".png"));
        }
    }

    /** Options that name a row or place it in a chart without changing what is measured. */
    private static final List<String> NOT_MEASURED = List.of("seed", "label", "chart", "series", "x");

    /**
     * A table of the attacker rows that differ only in their seed, with the mean of each group:
     * on 200 test faces one seed's accuracy has a standard error of 2-3 points, so a target is
     * judged on the mean of several (issue 9). Empty when no two such rows have been measured.
     */
    static String seedMeans(List<RowResult> results) {
        Map<Map<String, String>, List<RowResult>> groups = new LinkedHashMap<>();
        for (RowResult r : results) {
            if (r.row().kind().equals("row")) {
                Map<String, String> measured = new TreeMap<>(r.row().options());
                measured.keySet().removeAll(NOT_MEASURED);
                // the same plan line measured another network once MobileNetV2 and EfficientNet gained
                // torchvision's dropout (session 9); results from before it do not record it: none
                double dropout = r.number("classifierDropout");
                measured.put("classifierDropout", Double.toString(Double.isNaN(dropout) ? 0 : dropout));
                // up to session 15 the attacker seeded its streams with the seed itself, so seed 0 could start
                // from the network a protection method had seeded 0 (the UE noise-finder); those results do
                // not record a stream seed and are not averaged with later ones
                measured.put("streams", Double.isNaN(r.number("streamSeed")) ? "the seed" : "the attacker's own");
                groups.computeIfAbsent(measured, k -> new ArrayList<>()).add(r);
            }
        }
        StringBuilder md = new StringBuilder();
        for (List<RowResult> group : groups.values()) {
            if (group.stream().mapToDouble(r -> r.number("seed")).distinct().count() < 2) {
                continue;
            }
            double[] accuracy = group.stream().mapToDouble(r -> 100 * r.number("testAccuracy")).toArray();
            double mean = Arrays.stream(accuracy).average().orElseThrow();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | **%.1f%%** |%n",
                    String.join(", ", group.stream().map(r -> r.row().id()).toList()),
                    label(group.get(0).row()),
                    String.join(", ", group.stream().map(r -> Long.toString((long) r.number("seed"))).toList()),
                    String.join(", ", Arrays.stream(accuracy)
                            .mapToObj(a -> String.format(Locale.ROOT, "%.1f%%", a)).toList()),
                    mean));
        }
        return md.isEmpty() ? "" : "\n| rows (the same attacker, other seeds) | what | attacker seeds | clean test accuracy "
                + "| mean |\n| --- | --- | --- | --- | --- |\n" + md;
    }

    /** The dashed chance line, when every attacker row has the same number of identities. */
    private static Charts.Reference chanceLine(List<RowResult> results) {
        double[] classes = results.stream().filter(r -> r.row().kind().equals("row"))
                .mapToDouble(r -> r.number("classes")).distinct().toArray();
        return classes.length == 1 ? new Charts.Reference(100 / classes[0], "chance") : null;
    }

    /** What a row measures, in the summary: its label, else the set it reads. */
    private static String label(EvaluationPlan.Row row) {
        return row.option("label", row.option("train", row.option("protected", "")));
    }

    /** The architecture, and the seed where it is not the default 0. */
    private static String attacker(RowResult r) {
        String architecture = unquote(r.figures().get("architecture"));
        long seed = (long) r.number("seed");
        return seed == 0 ? architecture : architecture + ", seed " + seed;
    }

    private static String counterMeasure(RowResult r) {
        List<String> parts = new ArrayList<>();
        String augmentation = unquote(r.figures().get("augmentation"));
        if (augmentation != null && !augmentation.equals("none")) {
            parts.add(augmentation);
        }
        if (!Double.isNaN(r.number("jpegQuality"))) {
            parts.add("JPEG q" + (long) r.number("jpegQuality"));
        }
        if (r.number("adversarialRadius") > 0) {
            parts.add(String.format(Locale.ROOT, "adv. training %.0f/255 PGD-%d", 255 * r.number("adversarialRadius"),
                    (long) r.number("adversarialSteps")));
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }
}
