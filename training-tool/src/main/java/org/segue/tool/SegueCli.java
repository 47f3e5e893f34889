package org.segue.tool;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code segue} command-line tool. */
@Command(name = "segue", mixinStandardHelpOptions = true, version = "segue 0.1.0",
        description = "Protects face images from being learned by face-recognition models (Segue).",
        subcommands = {ProtectCommand.class, TrainCommand.class, DamRuntimeCommand.class, CommandLine.HelpCommand.class})
public final class SegueCli {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        CommandLine cli = new CommandLine(new SegueCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("segue: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            if (Boolean.getBoolean("segue.debug")) {
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }
}
