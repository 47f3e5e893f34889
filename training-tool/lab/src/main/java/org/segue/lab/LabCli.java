package org.segue.lab;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the lab: the research commands (evaluation plans, attackers, baselines, benchmarks,
 * clustering, the authors' weights). Never shipped; the product's tool is {@code segue}.
 */
@Command(name = "segue-lab", mixinStandardHelpOptions = true, version = "segue-lab 0.1.0",
        description = "Research commands of Segue: evaluate protections, run baselines and benchmarks.",
        subcommands = {EvaluateCommand.class, EvaluatePhotosCommand.class, EvaluateSuiteCommand.class, ProtectDatasetCommand.class,
                ProtectBaselineCommand.class, ClusterCommand.class, BenchCommand.class, BenchPhotoCommand.class,
                BenchTrainCommand.class, ImportOfficialCommand.class, VisibilityCommand.class, ConsistencyCommand.class,
                RecentreCommand.class, SheetsCommand.class, GroupPhotosCommand.class, RecognisersCommand.class,
                EmbeddingPgdCommand.class, CommandLine.HelpCommand.class})
public final class LabCli {

    /** Exit code when a command ran but some inputs failed. */
    public static final int EXIT_PARTIAL = 3;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        CommandLine cli = new CommandLine(new LabCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("segue-lab: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            if (Boolean.getBoolean("segue.debug")) {
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }
}
