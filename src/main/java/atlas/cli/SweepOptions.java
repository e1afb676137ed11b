package atlas.cli;

import atlas.error.BadInputException;

import atlas.experiment.jobs.JobOutcome;
import atlas.experiment.jobs.JobRunner;
import atlas.experiment.jobs.Runners;
import atlas.experiment.jobs.Sweep;
import atlas.experiment.jobs.SweepFailedException;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/**
 * The options of a resumable sweep (local threads or Apache Spark, retries) and the way a command runs one:
 * progress per unit (a bar on a terminal, plain lines otherwise), failed units turned into the exit status.
 */
final class SweepOptions {
    @Option(names = "--spark", paramLabel = "MASTER", description = "Run the units on Apache Spark: local[2], spark://host:7077, yarn ... "
            + "(needs the Spark build, see docs/spark.md). Default: local threads.")
    String spark;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "2", description = "Retries of a failed unit before it is reported (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--units-threads", paramLabel = "T", description = "Units run at once on local threads (default: min(2, cores)).")
    Integer threads;

    int threads() {
        int t = threads != null ? threads : Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        if (t < 1) throw new BadInputException("--units-threads must be positive");
        return t;
    }

    /**
     * Opens the runner and the sweep in {@code out}, runs {@code body}, closes the runner. Units that failed on every
     * attempt end the command with exit status 2, 3 or 4 (by the kind of the first failure) after the others ran.
     */
    <T> T run(String task, Path out, String settings, PrintWriter err, Function<Sweep, T> body) {
        if (retries < 0) throw new BadInputException("--retries must not be negative");
        int t = threads();
        try (JobRunner runner = Runners.open(spark, t); Listener l = new Listener(task, err)) {
            err.println(task + ": units on " + runner.name() + "; results in " + out);
            err.flush();
            Sweep sweep = new Sweep(out, settings, runner, retries + 1, l);
            return body.apply(sweep);
        } catch (SweepFailedException e) {
            int code = switch (e.kind()) {
                case "input" -> ExitCodes.INVALID_INPUT;
                case "numerical" -> ExitCodes.NUMERICAL;
                default -> ExitCodes.INTERNAL;
            };
            for (JobOutcome o : e.failures()) err.println(task + ": unit " + o.id() + " FAILED after " + o.attempts() + " attempt(s): " + o.error());
            err.flush();
            throw new ExitException(code, e.getMessage());
        }
    }

    /** Progress per unit: the project's bar on a terminal, one plain line per unit otherwise. */
    private static final class Listener implements Sweep.Listener, AutoCloseable {
        private final String task;
        private final PrintWriter err;
        private final boolean terminal = System.console() != null;
        private ProgressBar bar;
        private String stage;

        Listener(String task, PrintWriter err) {
            this.task = task;
            this.err = err;
        }

        @Override
        public void stage(String stage, int total, int resumed) {
            close();
            this.stage = stage;
            if (resumed > 0) err.println(task + " " + stage + ": " + resumed + " of " + total + " units already done (resumed)");
            err.flush();
            if (terminal) {
                bar = ProgressBars.open(task + " " + stage, total);
                bar.stepTo(resumed);
            }
        }

        @Override
        public void unit(JobOutcome o, int done, int total) {
            if (bar != null) {
                bar.stepTo(done);
                bar.setExtraMessage(o.id() + (o.ok() ? "" : " FAILED"));
                if (o.ok()) return;
            }
            err.println(String.format(Locale.ROOT, "%s %s: [%d/%d] %s %s in %.2f s%s", task, stage, done, total, o.id(),
                    o.ok() ? "done" : "FAILED (" + o.error() + ")", o.seconds(), o.attempts() > 1 ? " (attempt " + o.attempts() + ")" : ""));
            err.flush();
        }

        @Override
        public void close() {
            if (bar != null) bar.close();
            bar = null;
        }
    }
}
