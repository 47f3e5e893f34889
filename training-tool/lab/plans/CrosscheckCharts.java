import org.segue.lab.eval.Charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two sweeps of docs/evaluation.md that only the PyTorch cross-check measured at every point:
 * attacker accuracy against the JPEG quality of its training files, and against the radius rho_a of
 * its adversarial training. Reads the cross-check's results (one JSON object per line, {@code name}
 * and {@code acc}); a job measured with several attacker seeds ({@code NAME-s0}, {@code NAME-s1}, ...)
 * counts as the mean of its seeds. The Java harness draws the same charts for its own rows
 * ({@code chart=} in the plans), but measured these sweeps at one point each on this CPU.
 *
 * <p>Usage, from the repository root, after {@code mvn -B -q install -DskipTests}:
 * <pre>
 * java -cp training-tool/lab/target/segue-lab.jar:training-tool/lab/target/lib/* training-tool/lab/plans/CrosscheckCharts.java training-tool/lab/results/crosscheck \
 *     training-tool/lab/results/crosscheck/run*-results.jsonl
 * </pre>
 */
public class CrosscheckCharts {

    private static final Pattern NAME = Pattern.compile("\"name\":\\s*\"([^\"]+)\"");
    private static final Pattern ACC = Pattern.compile("\"acc\":\\s*([0-9.eE-]+)");
    private static final Pattern SEED = Pattern.compile("-s[0-9]+$");

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: CrosscheckCharts OUT_DIR RESULTS.jsonl...");
            System.exit(2);
        }
        Map<String, List<Double>> jobs = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            for (String line : Files.readAllLines(Path.of(args[i]))) {
                Matcher name = NAME.matcher(line);
                Matcher acc = ACC.matcher(line);
                if (line.contains("\"kind\": \"attack\"") && name.find() && acc.find()) {
                    String job = SEED.matcher(name.group(1)).replaceFirst("");
                    jobs.computeIfAbsent(job, k -> new ArrayList<>()).add(100 * Double.parseDouble(acc.group(1)));
                }
            }
        }
        Path out = Path.of(args[0]);
        Charts.Reference chance = new Charts.Reference(10, "chance");

        List<Charts.Series> jpeg = new ArrayList<>();
        add(jpeg, "run 12 (shipped sessions 6-14)", jobs, new double[] {10, 30, 50, 70, 90},
                "run12-jpeg10", "run12-jpeg30", "run12-jpeg50", "run12-jpeg70", "run12-jpeg90");
        add(jpeg, "run 19 (shipped)", jobs, new double[] {50}, "run19-jpeg50");
        Charts.lineChart("PyTorch cross-check: attacker re-compresses its training files", "JPEG quality",
                "clean test accuracy (%)", jpeg, chance, out.resolve("jpeg-quality.png"));

        List<Charts.Series> adversarial = new ArrayList<>();
        add(adversarial, "run 12 (shipped sessions 6-14)", jobs, new double[] {0, 1, 2, 3, 4},
                "run12-112", "run12-adv1", "run12-adv2", "run12-adv3", "run12-adv4");
        add(adversarial, "run 19 (shipped)", jobs, new double[] {0, 4}, "run19-112", "run19-adv4");
        add(adversarial, "LSP", jobs, new double[] {0, 4}, "lsp-112", "lsp-adv4");
        add(adversarial, "UE (class-wise)", jobs, new double[] {0, 4}, "ueclass-112", "ueclass-adv4");
        Charts.lineChart("PyTorch cross-check: adversarial training of the attacker", "rho_a (8-bit levels)",
                "clean test accuracy (%)", adversarial, chance, out.resolve("adversarial-training.png"));
        System.out.println("wrote " + out.resolve("jpeg-quality.png") + " and " + out.resolve("adversarial-training.png"));
    }

    /** One series, each point the mean over its job's seeds; a job that was not measured is an error. */
    private static void add(List<Charts.Series> series, String label, Map<String, List<Double>> jobs, double[] x,
                            String... names) {
        double[] y = new double[names.length];
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            List<Double> seeds = jobs.get(names[i]);
            if (seeds == null) {
                throw new IllegalArgumentException("no result for job " + names[i] + " in the files given");
            }
            y[i] = seeds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            points.append(String.format(" %s=%.1f%% (%d seed%s)", names[i], y[i], seeds.size(), seeds.size() == 1 ? "" : "s"));
        }
        System.out.println(label + ":" + points);
        series.add(new Charts.Series(label, x, y));
    }
}
