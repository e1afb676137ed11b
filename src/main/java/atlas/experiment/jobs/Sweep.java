package atlas.experiment.jobs;

import atlas.error.BadInputException;

import atlas.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A resumable sweep in a folder: its jobs run in stages (e.g. train the nets, then measure them); each finished
 * unit's result is written atomically to {@code DIR/units/<id>.txt} as soon as it arrives, so after a crash or a
 * kill a rerun with the same settings runs only the missing units. Results come back in the jobs' order whatever
 * order they finished in, so the merged files do not depend on the runner, its threads or its executors.
 *
 * <p>A unit that fails is retried ({@code maxAttempts} in all); one that still fails is reported (in the
 * exception, in {@code timings.csv} and by the progress listener), the stage's other units still run, and the
 * sweep stops before the next stage with a {@link SweepFailedException}. Timings (seconds per unit, where it ran)
 * go to {@code DIR/timings.csv}, never into the results.
 */
public final class Sweep {

    /** Hears about each unit as it finishes (on the thread that runs the sweep). */
    public interface Listener {
        /** A stage begins: {@code total} units, {@code resumed} of them already done by an earlier run. */
        void stage(String stage, int total, int resumed);

        /** A unit finished (or failed on its last attempt); {@code done} of {@code total} units of the stage are finished. */
        void unit(JobOutcome outcome, int done, int total);
    }

    public static final String UNITS = "units";
    public static final String SETTINGS = "sweep.txt";
    public static final String TIMINGS = "timings.csv";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");

    private final Path dir, units;
    private final JobRunner runner;
    private final int maxAttempts;
    private final Listener listener;
    private final List<String> timingRows = new ArrayList<>();
    private final List<String> stageRows = new ArrayList<>();

    /**
     * @param dir         the sweep's folder (created)
     * @param settings    every setting that changes results, as text; a folder holding a sweep with other settings is refused
     * @param maxAttempts attempts per unit (1 = no retry)
     */
    public Sweep(Path dir, String settings, JobRunner runner, int maxAttempts, Listener listener) {
        if (maxAttempts < 1) throw new BadInputException("--retries must not be negative");
        this.dir = dir;
        this.units = dir.resolve(UNITS);
        this.runner = runner;
        this.maxAttempts = maxAttempts;
        this.listener = listener;
        try {
            Files.createDirectories(units);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + units + ": " + e.getMessage(), e);
        }
        Path f = dir.resolve(SETTINGS);
        if (Files.exists(f)) {
            String old = read(f);
            if (!old.equals(settings))
                throw new BadInputException(dir + " holds a sweep with other settings (see its " + SETTINGS
                        + "): rerun with the same settings to resume it, or use another --out");
        } else {
            AtomicFiles.writeString(f, settings);
        }
    }

    public Path dir() { return dir; }

    public JobRunner runner() { return runner; }

    /** The file holding a finished unit's result. */
    public Path unitFile(String id) { return units.resolve(id + ".txt"); }

    /**
     * Runs the jobs of one stage that are not done yet and returns every job's result, in the jobs' order.
     *
     * @throws SweepFailedException when a unit failed on every attempt (after the stage's other units ran)
     * @throws java.util.concurrent.CancellationException when interrupted (finished units are kept)
     */
    public List<String> stage(String stage, List<? extends Job> jobs) {
        Set<String> ids = new HashSet<>();
        for (Job j : jobs) {
            if (!ID.matcher(j.id()).matches()) throw new IllegalStateException("bad job id '" + j.id() + "'");
            if (!ids.add(j.id())) throw new IllegalStateException("two jobs have the id " + j.id());
        }
        String[] results = new String[jobs.size()];
        List<Job> pending = new ArrayList<>();
        List<Integer> pendingIndex = new ArrayList<>();
        for (int k = 0; k < jobs.size(); k++) {
            Path f = unitFile(jobs.get(k).id());
            if (Files.exists(f)) {
                results[k] = read(f);
                timingRows.add(String.join(",", stage, jobs.get(k).id(), "resumed", "0", "", ""));
            } else {
                pending.add(jobs.get(k));
                pendingIndex.add(k);
            }
        }
        int total = jobs.size();
        int[] done = {total - pending.size()};
        listener.stage(stage, total, done[0]);
        List<JobOutcome> failed = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            runner.run(pending, maxAttempts, o -> {
                int k = pendingIndex.get(o.index());
                if (o.ok()) {
                    AtomicFiles.writeString(unitFile(o.id()), o.result());
                    results[k] = o.result();
                } else {
                    failed.add(o);
                }
                done[0]++;
                timingRows.add(String.join(",", stage, o.id(), o.ok() ? "done" : "failed", Integer.toString(o.attempts()),
                        String.format(Locale.ROOT, "%.4f", o.seconds()), o.worker().replace(',', ' ')));
                listener.unit(o, done[0], total);
            });
        } finally {
            // the stage's wall time on this runner, for the overhead per unit and the projection (SweepTimings)
            stageRows.add(String.format(Locale.ROOT, "# stage %s: %d units run, %d resumed, %.3f s wall, %d slots", stage, pending.size(),
                    total - pending.size(), (System.nanoTime() - t0) / 1e9, runner.slots()));
            writeTimings();
        }
        if (!failed.isEmpty()) {
            failed.sort(java.util.Comparator.comparingInt(o -> pendingIndex.get(o.index())));
            JobOutcome first = failed.get(0);
            throw new SweepFailedException(String.format(Locale.ROOT,
                    "%d of %d units of stage '%s' failed after %d attempt(s) each (first: %s: %s); the %d finished units are kept in %s, rerun the same command to retry",
                    failed.size(), total, stage, maxAttempts, first.id(), first.error(), total - failed.size(), units), failed);
        }
        List<String> out = new ArrayList<>(total);
        for (String r : results) out.add(r);
        return out;
    }

    private void writeTimings() {
        StringBuilder sb = new StringBuilder("# " + runner.name() + "\n");
        for (String r : stageRows) sb.append(r).append('\n');
        sb.append("stage,unit,status,attempts,seconds,worker\n");
        for (String r : timingRows) sb.append(r).append('\n');
        AtomicFiles.writeString(dir.resolve(TIMINGS), sb.toString());
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
