package org.segue.lab;

import org.segue.engine.api.ConsoleProgress;
import org.segue.lab.eval.EvaluationPlan;
import org.segue.lab.eval.EvaluationSuite;
import org.segue.engine.api.Cancellation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "evaluate-suite", mixinStandardHelpOptions = true,
        description = {"Runs an evaluation plan (training-tool/lab/plans/*.plan): one attacker or image-quality measurement per row,",
                "one JSON per row in --out, then summary.md, summary.json and a PNG per chart. Rows already",
                "measured for the same plan line are skipped, so an interrupted suite resumes."})
final class EvaluateSuiteCommand implements Callable<Integer> {

    @Option(names = "--plan", required = true, description = "the plan file")
    Path plan;

    @Option(names = "--out", required = true, description = "results folder")
    Path out;

    @Option(names = "--summary-only", description = "measure nothing: write the summary and charts of the rows already measured")
    boolean summaryOnly;

    @Option(names = "--rows", split = ",", description = "measure only these rows (ids), e.g. a new candidate's; "
            + "the summary still covers every row measured so far")
    List<String> rows;

    @Override
    public Integer call() throws Exception {
        EvaluationPlan parsed = EvaluationPlan.read(plan);
        if (rows != null) {
            List<String> unknown = rows.stream()
                    .filter(id -> parsed.rows().stream().noneMatch(r -> r.id().equals(id))).toList();
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("no such row in " + plan + ": " + String.join(", ", unknown));
            }
        }
        java.util.function.Predicate<String> measureRow = summaryOnly ? id -> false
                : rows == null ? id -> true : rows::contains;
        Cancellation cancellation = new Cancellation();
        Thread hook = new Thread(cancellation::cancel);
        Runtime.getRuntime().addShutdownHook(hook);
        List<EvaluationSuite.RowResult> results = EvaluationSuite.run(parsed, out, measureRow, new ConsoleProgress(System.err),
                cancellation, System.err::println);
        Runtime.getRuntime().removeShutdownHook(hook);
        if (results == null) {
            System.err.println("Cancelled; finished rows are kept in " + out + " and a rerun resumes.");
            return 130;
        }
        System.out.println("Summary: " + out.resolve("summary.md"));
        return 0;
    }
}
