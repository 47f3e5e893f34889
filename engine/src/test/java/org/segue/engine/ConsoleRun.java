package org.segue.engine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.function.ToIntFunction;

/**
 * A command-line tool run in this JVM with its standard output and error captured: the exit code and what it
 * printed, for the tests of the {@code segue} and {@code segue-lab} commands.
 */
public record ConsoleRun(int exit, String out, String err) {

    public static ConsoleRun of(ToIntFunction<String[]> tool, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            int exit = tool.applyAsInt(args);
            return new ConsoleRun(exit, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
