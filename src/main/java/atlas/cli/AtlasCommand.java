package atlas.cli;

import atlas.error.BadInputException;
import atlas.error.NumericalException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.CancellationException;

/** The top-level {@code atlas} command: lists the subcommands and maps exceptions to exit codes. */
@Command(name = "atlas", mixinStandardHelpOptions = true, version = "ReLU Atlas 0.1.0",
        description = "Exact linear regions of ReLU networks: compute, measure, draw.")
public final class AtlasCommand implements Runnable {

    /**
     * The subcommands, in the order {@code atlas --help} lists them. They are registered in code rather than in
     * the {@code @Command} annotation so that a call that names one registers only that one: picocli builds the
     * model of every registered command by reflection, which was about half the start-up of a short call.
     */
    static final Class<?>[] SUBCOMMANDS = {
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
                TrackCommand.class,
                LocalCommand.class,
                ConvertCommand.class,
                DataCommand.class,
                ServeCommand.class,
                CommandLine.HelpCommand.class
    };

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
        return newCommandLine(out, err, null);
    }

    /**
     * As {@link #newCommandLine(PrintWriter, PrintWriter)}; when {@code first} (the first argument) names a
     * subcommand other than {@code help}, only that subcommand is registered (the parse and every message are the
     * same, since nothing else is reachable from it); otherwise all are, for usage, help and suggestions.
     */
    static CommandLine newCommandLine(PrintWriter out, PrintWriter err, String first) {
        AtlasCommand root = new AtlasCommand();
        CommandLine cl = new CommandLine(root);
        Class<?> only = null;
        for (Class<?> c : SUBCOMMANDS) {
            Command a = c.getAnnotation(Command.class);
            if (first != null && !first.equals("help") && (a.name().equals(first) || java.util.Arrays.asList(a.aliases()).contains(first))) only = c;
        }
        for (Class<?> c : SUBCOMMANDS) if (only == null || c == only) cl.addSubcommand(c);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        wholeSentenceCommandLists(cl);
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(parseResult -> {
            try {
                return run.execute(parseResult);
            } catch (OutOfMemoryError e) {
                // Errors are not passed to the exception handler; the stack has unwound, so the heap has room again
                parseResult.commandSpec().commandLine().getErr().println("atlas: " + outOfMemoryHint());
                if (root.verbose) e.printStackTrace(parseResult.commandSpec().commandLine().getErr());
                parseResult.commandSpec().commandLine().getErr().flush();
                return ExitCodes.OUT_OF_MEMORY;
            }
        });
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
            c.getErr().println("atlas: " + oneLine(ex.getMessage()));
            c.getErr().println("Try 'atlas " + (c.getCommandName().equals("atlas") ? "" : c.getCommandName() + " ") + "--help'.");
            c.getErr().flush();
            return ExitCodes.INVALID_INPUT;
        });
        return cl;
    }

    /**
     * picocli lists a subcommand with the first line of its description, which cuts most of ours mid-sentence
     * ("... tropical polynomials (max of affine"); list each with the first sentence of its whole description instead,
     * on this command and on every command that has subcommands.
     */
    static void wholeSentenceCommandLists(CommandLine cl) {
        if (cl.getSubcommands().isEmpty()) return;
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, AtlasCommand::commandList);
        for (CommandLine sub : new java.util.LinkedHashSet<>(cl.getSubcommands().values())) wholeSentenceCommandLists(sub);
    }

    private static String commandList(CommandLine.Help help) {
        var subs = help.subcommands();
        if (subs.isEmpty()) return "";
        int nameWidth = 0;
        for (String name : subs.keySet()) nameWidth = Math.max(nameWidth, name.length());
        int total = help.commandSpec().usageMessage().width();
        CommandLine.Help.TextTable table = CommandLine.Help.TextTable.forColumns(help.colorScheme(),
                new CommandLine.Help.Column(nameWidth + 4, 2, CommandLine.Help.Column.Overflow.SPAN),
                new CommandLine.Help.Column(Math.max(20, total - nameWidth - 4), 2, CommandLine.Help.Column.Overflow.WRAP));
        for (var e : subs.entrySet()) table.addRowValues(e.getKey(), firstSentence(e.getValue().commandSpec()));
        return table.toString();
    }

    /** The first sentence of a command's description lines joined (or of its header), for the command list. */
    static String firstSentence(CommandLine.Model.CommandSpec spec) {
        String[] lines = spec.usageMessage().header().length > 0 ? spec.usageMessage().header() : spec.usageMessage().description();
        String text = String.join(" ", lines).replaceAll("\\s+", " ").trim();
        // a sentence ends at '.', ';' or ':' followed by a space, but not inside parentheses ("(e.g. ...)")
        int depth = 0, end = -1;
        for (int i = 0; i < text.length() && end < 0; i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '[') depth++;
            else if ((c == ')' || c == ']') && depth > 0) depth--;
            else if (depth == 0 && (c == '.' || c == ';' || c == ':') && (i + 1 == text.length() || text.charAt(i + 1) == ' ')
                    && !(i >= 3 && text.startsWith("e.g", i - 3)) && !(i >= 2 && text.startsWith("al", i - 2))) end = i;
        }
        if (end < 0) return text;
        return text.charAt(end) == '.' ? text.substring(0, end + 1) : text.substring(0, end) + ".";
    }

    /**
     * The exit code of an exception: the project's own types say what went wrong ({@link BadInputException}, a
     * {@link atlas.net.ModelException} among them: 2; {@link NumericalException} or another
     * {@link ArithmeticException}: 3); anything else, a plain {@code IllegalArgumentException} or
     * {@code UncheckedIOException} from a kernel included, is a bug (4), so it does not read as a user error.
     */
    static int exitCode(Throwable ex) {
        if (ex instanceof ExitException e) return e.code();
        for (Throwable t = ex; t != null; t = t.getCause()) if (t instanceof OutOfMemoryError) return ExitCodes.OUT_OF_MEMORY;
        if (ex instanceof CancellationException) return ExitCodes.INTERRUPTED;
        if (ex instanceof BadInputException) return ExitCodes.INVALID_INPUT;
        if (ex instanceof NumericalException || ex instanceof ArithmeticException) return ExitCodes.NUMERICAL;
        return ExitCodes.INTERNAL;
    }

    static String message(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) m = ex.getClass().getSimpleName();
        if (exitCode(ex) == ExitCodes.OUT_OF_MEMORY) return outOfMemoryHint();
        if (exitCode(ex) == ExitCodes.INTERNAL) m = "internal error: " + ex;
        return oneLine(m);
    }

    /**
     * The first line of a message, with any other control character shown as '?': names read from a hostile file
     * (an ONNX node called "\rlayers.2") must not break the one-line error or move the terminal's cursor.
     */
    static String oneLine(String m) {
        return m.split("\n")[0].replaceAll("\\p{Cntrl}", "?");
    }

    /** One line: the heap size, how far the work got (the last progress bar), and what to do. */
    static String outOfMemoryHint() {
        long mib = Runtime.getRuntime().maxMemory() >> 20;
        String progress = ProgressBars.lastProgress();
        return "out of memory: the Java heap (" + mib + " MiB) is full" + (progress != null ? " at " + progress : "")
                + "; give the JVM more, e.g. ATLAS_JAVA_OPTS=-Xmx" + Math.max(2, 2 * ((mib + 1023) >> 10)) + "g ./atlas ..., "
                + "or make the work smaller (domain, --size, --max-regions, --samples)";
    }

    /** Set when the command has returned: a shutdown hook that finds it unset was started by Ctrl-C (SIGINT) or kill. */
    private static volatile boolean finished;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // the JVM exits with 130 after SIGINT (Ctrl-C), 143 after SIGTERM; say so in one line, on a fresh line after
            // any progress bar (a training run has written its checkpoint by now: TrainCommand's own hook waits for it)
            if (!finished) {
                System.err.println();
                System.err.println("atlas: interrupted; files being written were discarded");
                System.err.flush();
            }
        }, "atlas-interrupt-message"));
        int code = newCommandLine(out, err, args.length > 0 ? args[0] : null).execute(args);
        out.flush();
        err.flush();
        finished = true;
        System.exit(code);
    }
}
