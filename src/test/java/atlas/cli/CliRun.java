package atlas.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process {@code atlas} call from a test: its exit code, standard output and standard error. */
record CliRun(int code, String out, String err) {
    static CliRun run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = AtlasCommand.newCommandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
