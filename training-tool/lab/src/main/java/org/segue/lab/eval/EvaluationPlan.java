package org.segue.lab.eval;

import org.segue.engine.check.Attacker;
import org.segue.engine.check.AttackerAugmentation;
import org.segue.lab.nn.AttackerNetworks;
import org.segue.engine.internal.ImageOps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A list of evaluation measurements in a small text format, so a whole table of the paper is one
 * file that can be rerun and resumed:
 *
 * <pre>
 * # comment
 * set data = ../shared/datasets/webface10
 * row clean-112 train=${data}/train test=${data}/test size=112 epochs=15 label="clean training"
 * row jpeg50    train=runs/p test=${data}/test jpeg=50 chart=jpeg series=Segue x=50
 * quality run7  clean=${data}/train protected=runs/p
 * figure  fig3  clean=${data}/train protected=runs/p count=4
 * </pre>
 *
 * A {@code row} is one attacker run; its keys: {@code train, test} (required), {@code size} (112),
 * {@code epochs} (15), {@code batch} (16), {@code arch} (resnet18), {@code augment} (none),
 * {@code jpeg} (quality), {@code adv} (rho_a in 8-bit levels), {@code advsteps} (5), {@code resize}
 * (area), {@code stem} (imagenet | small), {@code seed} (0), {@code label} (a description for the
 * table) and, to draw it, {@code chart}, {@code series} and {@code x}. A {@code quality} row compares a
 * protected folder with its clean originals (PSNR, SSIM, L-inf, L2); a {@code figure} row draws the paper's
 * Figure 3 for them ({@code count} identities: clean / protected / residual x30) into {@code <id>.png}. Relative paths are resolved
 * against the working directory.
 */
public record EvaluationPlan(List<Row> rows) {

    /** One line of the plan: its kind ("row", "quality" or "figure"), id, options and its own text. */
    public record Row(String kind, String id, Map<String, String> options, String text) {

        public String option(String key, String fallback) {
            return options.getOrDefault(key, fallback);
        }

        public String required(String key) {
            String v = options.get(key);
            if (v == null) {
                throw new IllegalArgumentException("plan row '" + id + "' needs " + key + "=...");
            }
            return v;
        }

        /** The attacker run this row describes (kind "row"). */
        public AttackerRun attackerRun() {
            String stem = option("stem", "imagenet");
            if (!stem.equals("imagenet") && !stem.equals("small")) {
                throw new IllegalArgumentException("row '" + id + "': stem must be imagenet or small");
            }
            float radius = Float.parseFloat(option("adv", "0")) / 255f;
            int steps = radius > 0 ? Integer.parseInt(option("advsteps", "5")) : 0;
            Attacker.Config config = new Attacker.Config(Integer.parseInt(option("epochs", "15")),
                    Integer.parseInt(option("batch", "16")), 5e-4f, stem.equals("small"),
                    Long.parseLong(option("seed", "0")), AttackerNetworks.network(option("arch", "resnet18")),
                    AttackerAugmentation.parse(option("augment", "none")), radius, steps);
            String jpeg = options.get("jpeg");
            return new AttackerRun(Path.of(required("train")), Path.of(required("test")),
                    Integer.parseInt(option("size", "112")), ImageOps.Filter.parse(option("resize", "area")),
                    jpeg == null ? null : Integer.valueOf(jpeg), switch (option("grey", "false")) {
                        case "true" -> true;
                        case "false" -> false;
                        default -> throw new IllegalArgumentException("row '" + id + "': grey must be true or false");
                    }, config);
        }
    }

    private static final Set<String> ROW_KEYS = Set.of("train", "test", "size", "epochs", "batch", "arch", "augment",
            "jpeg", "grey", "adv", "advsteps", "resize", "stem", "seed", "label", "chart", "series", "x");
    private static final Set<String> QUALITY_KEYS = Set.of("clean", "protected", "label");
    private static final Set<String> FIGURE_KEYS = Set.of("clean", "protected", "label", "count");
    private static final Pattern TOKEN = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)|(\\S+)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}");

    public static EvaluationPlan read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /** Parses a plan; every mistake is reported with its line number. */
    public static EvaluationPlan parse(String text, String source) {
        Map<String, String> variables = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String[] lines = text.split("\\R");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ":" + (n + 1) + ": ";
            try {
                line = substitute(line, variables);
                if (line.startsWith("set ")) {
                    String[] kv = line.substring(4).split("=", 2);
                    if (kv.length != 2 || kv[0].isBlank()) {
                        throw new IllegalArgumentException("expected: set NAME = VALUE");
                    }
                    variables.put(kv[0].strip(), kv[1].strip());
                    continue;
                }
                String[] head = line.split("\\s+", 3);
                if (head.length < 2 || !Set.of("row", "quality", "figure").contains(head[0])) {
                    throw new IllegalArgumentException("expected 'set', 'row ID ...', 'quality ID ...' or 'figure ID ...'");
                }
                String id = head[1];
                if (!id.matches("[A-Za-z0-9._-]+")) {
                    throw new IllegalArgumentException("row id '" + id + "' may only use letters, digits, '.', '_' and '-'");
                }
                if (!ids.add(id)) {
                    throw new IllegalArgumentException("row id '" + id + "' is used twice");
                }
                Map<String, String> options = new LinkedHashMap<>();
                Set<String> allowed = switch (head[0]) {
                    case "row" -> ROW_KEYS;
                    case "quality" -> QUALITY_KEYS;
                    default -> FIGURE_KEYS;
                };
                Matcher m = TOKEN.matcher(head.length > 2 ? head[2] : "");
                while (m.find()) {
                    if (m.group(3) != null) {
                        throw new IllegalArgumentException("'" + m.group(3) + "' is not KEY=VALUE");
                    }
                    String key = m.group(1);
                    if (!allowed.contains(key)) {
                        throw new IllegalArgumentException("unknown key '" + key + "'; allowed: " + allowed);
                    }
                    String value = m.group(2);
                    options.put(key, value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
                }
                Row row = new Row(head[0], id, options, line);
                if (row.kind().equals("row")) {
                    row.attackerRun(); // validates every value now, not hours later
                } else {
                    row.required("clean");
                    row.required("protected");
                    if (Integer.parseInt(row.option("count", "4")) < 1) {
                        throw new IllegalArgumentException("count must be positive");
                    }
                }
                rows.add(row);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + ": the plan has no rows");
        }
        return new EvaluationPlan(List.copyOf(rows));
    }

    private static String substitute(String line, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(line);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = variables.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("undefined variable ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }
}
