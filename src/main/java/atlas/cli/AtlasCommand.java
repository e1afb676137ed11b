package atlas.cli;

import atlas.net.ModelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;

/** The top-level {@code atlas} command: lists the subcommands and maps exceptions to exit codes. */
@Command(name = "atlas", mixinStandardHelpOptions = true, version = "ReLU Atlas 0.1.0",
        description = "Exact linear regions of ReLU networks: compute, measure, draw.",
        subcommands = {
                DemoCommand.class,
                RegionsCommand.class,
                LineCommand.class,
                CantorCommand.class,
                FoldCommand.class,
                TropicalCommand.class,
                PointCommand.class, EnumerateCommand.class, StatsCommand.class,
                BenchCommand.class,
                ExperimentCommand.class,
                TrainCommand.class,
                DataCommand.class,
                ServeCommand.class,
                CommandLine.HelpCommand.class
        })
public final class AtlasCommand implements Runnable {

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line whose output and errors go to the given writers (tests capture them). */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        AtlasCommand root = new AtlasCommand();
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            int code = exitCode(ex);
            String msg = message(ex);
            commandLine.getErr().println("atlas: " + msg);
            if (root.verbose) ex.printStackTrace(commandLine.getErr());
            commandLine.getErr().flush();
            return code;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("atlas: " + ex.getMessage().split("\n")[0]);
            c.getErr().println("Try 'atlas " + (c.getCommandName().equals("atlas") ? "" : c.getCommandName() + " ") + "--help'.");
            c.getErr().flush();
            return ExitCodes.INVALID_INPUT;
        });
        return cl;
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof ExitException e) return e.code();
        if (ex instanceof CancellationException) return ExitCodes.INTERRUPTED;
        if (ex instanceof ModelException || ex instanceof IllegalArgumentException || ex instanceof UncheckedIOException)
            return ExitCodes.INVALID_INPUT;
        if (ex instanceof ArithmeticException) return ExitCodes.NUMERICAL;
        return ExitCodes.INTERNAL;
    }

    static String message(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) m = ex.getClass().getSimpleName();
        if (exitCode(ex) == ExitCodes.INTERNAL) m = "internal error: " + ex;
        return m.split("\n")[0];
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = newCommandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
