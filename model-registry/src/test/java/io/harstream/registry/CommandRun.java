package io.harstream.registry;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of a command line in this JVM: its exit code and what it printed. */
record CommandRun(int exit, String out, String err) {

    static CommandRun of(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new CommandRun(exit, out.toString(), err.toString());
    }

    static CommandRun models(String... args) {
        return of(ModelsCommand.commandLine(), args);
    }

    /** The one line printed on stderr (fails if there are more or none). */
    String errLine() {
        String e = err.strip();
        if (e.isEmpty() || e.contains("\n")) {
            throw new AssertionError("expected one line on stderr, got: <" + err + ">");
        }
        return e;
    }
}
