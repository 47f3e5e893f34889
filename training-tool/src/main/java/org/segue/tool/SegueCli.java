package org.segue.tool;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code segue} command-line tool. */
@Command(name = "segue", mixinStandardHelpOptions = true, version = "segue 0.1.0",
        description = "Protects face images from being learned by face-recognition models (Segue).",
        subcommands = {ProtectCommand.class, RestoreCommand.class, KeygenCommand.class, CheckCommand.class, TrainCommand.class, DamRuntimeCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes (of every command):%n",
        exitCodeList = {
                "0:done",
                "1:an error, or some photos failed",
                "2:bad usage (an option, a value or a path is wrong); nothing was written",
                "130:cancelled (Ctrl-C)"})
public final class SegueCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code segue} alone: a command is missing, which is bad usage. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: protect, restore, keygen, train or dam-runtime");
    }

    /** The exit codes, as the help and the README give them. */
    static final int DONE = 0;
    static final int ERROR = 1;
    static final int USAGE = 2;
    static final int CANCELLED = 130;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        CommandLine cli = new CommandLine(new SegueCli());
        // a usage error says what is wrong and where help is, rather than the whole help after it
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("segue: " + e.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("segue: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            if (Boolean.getBoolean("segue.debug")) {
                e.printStackTrace(cmd.getErr());
            }
            return ERROR;
        });
        return cli.execute(args);
    }
}
