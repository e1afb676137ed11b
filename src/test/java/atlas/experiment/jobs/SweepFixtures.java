package atlas.experiment.jobs;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Small sweeps and runners that misbehave on purpose, shared by the local and the Spark tests. */
final class SweepFixtures {
    private SweepFixtures() {}

    /** Six tiny ring nets (a few hundred ms each). */
    static RingSweep.Config smallRing() {
        return new RingSweep.Config(List.of(1, 2), List.of(4, 6, 8), List.of(3L), 4, 120, 40, 64, 3e-3, 32, "double");
    }

    /** Two tiny synthetic-data nets, 3 paths per pair, pairs grouped 10 to a unit: 2 training units and 20 fold units. */
    static atlas.experiment.SpaceFoldsExperiment.Config smallFolds(java.nio.file.Path out) {
        return new atlas.experiment.SpaceFoldsExperiment.Config("synthetic", null, out, List.of(new int[]{8, 8}, new int[]{6, 6, 6}), 0.25, List.of(3L),
                3, 0.0, false, 0, 300, 1, null, 30);
    }

    /** Runs {@link #smallFolds} in {@code out} on {@code runner}. */
    static List<atlas.experiment.SpaceFoldsExperiment.NetResult> folds(java.nio.file.Path out, JobRunner runner) {
        var cfg = smallFolds(out);
        return atlas.experiment.SpaceFoldsExperiment.run(cfg, new Sweep(out, cfg.settings(), runner, 2, QUIET));
    }

    /** The result files of a space-folds sweep (no timings in them). */
    static final List<String> FOLD_RESULTS = List.of("folding.csv", "pairs.csv", "summary.md", "models/2x8-seed3.json", "models/3x6-seed3.json");

    /** A job that fails on its first {@code failures} attempts, then returns its id squared. */
    record FlakyJob(String id, int failures) implements Job {
        private static final long serialVersionUID = 1L;

        @Override
        public String run(JobContext ctx) {
            if (ctx.attempt() <= failures) throw new IllegalStateException("flaky unit " + id + " failed on attempt " + ctx.attempt());
            return id + "," + id.length() * id.length() + "\n";
        }
    }

    /** Hands outcomes on, then stops the sweep as a kill would after {@code k} units. */
    static final class StopAfter implements JobRunner {
        private final JobRunner inner;
        private final int k;
        final AtomicInteger delivered = new AtomicInteger();

        StopAfter(JobRunner inner, int k) {
            this.inner = inner;
            this.k = k;
        }

        @Override
        public String name() { return inner.name() + " stopped after " + k; }

        @Override
        public int slots() { return inner.slots(); }

        @Override
        public void run(List<Job> jobs, int maxAttempts, Consumer<JobOutcome> done) {
            inner.run(jobs, maxAttempts, o -> {
                if (delivered.get() >= k) throw new CancellationException("killed after " + k + " units");
                done.accept(o);
                delivered.incrementAndGet();
            });
        }
    }

    /** Counts the units a runner actually ran. */
    static final class Counting implements JobRunner {
        private final JobRunner inner;
        final AtomicInteger ran = new AtomicInteger();

        Counting(JobRunner inner) { this.inner = inner; }

        @Override
        public String name() { return inner.name(); }

        @Override
        public int slots() { return inner.slots(); }

        @Override
        public void run(List<Job> jobs, int maxAttempts, Consumer<JobOutcome> done) {
            ran.addAndGet(jobs.size());
            inner.run(jobs, maxAttempts, done);
        }
    }

    static final Sweep.Listener QUIET = new Sweep.Listener() {
        @Override public void stage(String stage, int total, int resumed) { }
        @Override public void unit(JobOutcome outcome, int done, int total) { }
    };
}
